/**
 * Sends the event outbox to Kafka: at start, whenever a write commits new events, and every
 * SOURCES_OUTBOX_POLL_INTERVAL (for rows another process or a previous run left). Each batch is sent and
 * deleted inside one transaction holding the publisher lock, so a batch is removed only once Kafka has
 * acknowledged it, and the events leave in the order they were written, whichever process sends them.
 * A failure (Kafka or database down) is retried with a capped exponential backoff, forever: the events wait
 * in PostgreSQL meanwhile. Delivery is at least once (a crash between the send and the commit resends).
 */
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Metric, Option, Schedule } from "effect"
import { Kafka } from "../services/Kafka.js"
import { SourcesSettings } from "../services/Settings.js"
import { OutboxRepo, toOutgoing } from "./OutboxRepo.js"
import { OutboxSignal } from "./OutboxSignal.js"

const published = Metric.counter("sources_events_published_total", {
  description: "Sources events sent to platform.sources.event-stream"
})
const publishFailures = Metric.counter("sources_event_publish_failures_total", {
  description: "Attempts to send Sources events that failed and will be retried"
})

/** 200 ms, doubling, jittered, never more than 30 s apart, never giving up. */
export const publishRetry = Schedule.exponential("200 millis").pipe(
  Schedule.jittered,
  Schedule.union(Schedule.spaced("30 seconds"))
)

const make = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const outbox = yield* OutboxRepo
  const kafka = yield* Kafka
  const signal = yield* OutboxSignal
  const settings = yield* SourcesSettings

  /** Sends one batch; the number sent, or None when another publisher holds the lock. */
  const sendBatch = outbox.claim(settings.outboxBatchSize).pipe(
    Effect.flatMap(
      Option.match({
        onNone: () => Effect.succeed(Option.none<number>()),
        onSome: (rows) =>
          rows.length === 0
            ? Effect.succeed(Option.some(0))
            : kafka
                .send(rows.map((row) => toOutgoing(row)))
                .pipe(Effect.zipRight(outbox.remove(rows.map((row) => row.id))), Effect.as(Option.some(rows.length)))
      })
    ),
    sql.withTransaction
  )

  /** Sends batches until the outbox is empty (or another publisher has it). */
  const drain = Effect.gen(function* () {
    let total = 0
    while (true) {
      const sent = yield* sendBatch
      if (Option.isNone(sent)) break
      total += sent.value
      yield* Metric.incrementBy(published, sent.value)
      if (sent.value < settings.outboxBatchSize) break
    }
    if (total > 0) yield* Effect.logDebug(`published ${total} sources event(s)`)
  }).pipe(
    Effect.tapError((error) =>
      Metric.increment(publishFailures).pipe(
        Effect.zipRight(Effect.logWarning("sources events not sent yet; retrying", error.message))
      )
    ),
    Effect.retry(publishRetry),
    Effect.withSpan("EventPublisher.drain")
  )

  const wakeUp = Effect.raceFirst(signal.wait, Effect.sleep(settings.outboxPollInterval))

  yield* Effect.forkScoped(
    drain.pipe(Effect.zipRight(wakeUp), Effect.forever, Effect.annotateLogs({ service: "sources-event-publisher" }))
  )
})

/** The publisher fiber, running for the life of the layer. */
export const EventPublisherLive = Layer.scopedDiscard(make)
