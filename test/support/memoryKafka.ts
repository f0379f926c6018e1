/**
 * Deterministic test layer: the in-memory broker (`Kafka.layerMemory`'s implementation) with the given topics
 * created, recording every published message so actor unit tests can read what was sent and script passing
 * failures of `send`. Kafka itself is tested in test/integration.
 */
import { Context, Effect, Layer } from "effect"
import { Kafka, KafkaUnavailable, type OutgoingMessage } from "../../src/services/Kafka.js"
import { makeMemory } from "../../src/services/kafka/KafkaMemory.js"
import { MemoryJournal } from "./memoryJournal.js"

export interface MemoryKafkaService {
  /** messages the broker accepted, in order */
  readonly sent: ReadonlyArray<OutgoingMessage>
  /** the next `times` sends fail with KafkaUnavailable */
  readonly failNext: (times?: number) => Effect.Effect<void>
}

export class MemoryKafka extends Context.Tag("test/MemoryKafka")<MemoryKafka, MemoryKafkaService>() {}

const make = (topics: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const journal = yield* MemoryJournal
    const broker = yield* makeMemory
    yield* broker.ensureTopics(topics.map((topic) => ({ topic, partitions: 3 }))).pipe(Effect.orDie)
    const sent: Array<OutgoingMessage> = []
    let failures = 0

    const kafka = Kafka.of({
      ...broker,
      send: (messages) =>
        Effect.suspend(() => {
          const subject = messages.map((m) => m.key ?? "").join(",")
          if (failures > 0) {
            failures -= 1
            return journal
              .record({ service: "kafka", op: "send", subject, failedWith: "KafkaUnavailable" })
              .pipe(Effect.zipRight(Effect.fail(new KafkaUnavailable({ operation: "send", message: "injected" }))))
          }
          return broker.send(messages).pipe(
            Effect.tap(() => Effect.sync(() => void sent.push(...messages))),
            Effect.zipRight(journal.record({ service: "kafka", op: "send", subject }))
          )
        })
    })
    const control: MemoryKafkaService = {
      sent,
      failNext: (times = 1) =>
        Effect.sync(() => {
          failures = times
        })
    }
    return Context.make(Kafka, kafka).pipe(Context.add(MemoryKafka, control))
  })

/** `Kafka` in memory with `topics` created, and its `MemoryKafka` record; needs the shared `MemoryJournal`. */
export const layerMemoryKafka = (
  topics: ReadonlyArray<string>
): Layer.Layer<Kafka | MemoryKafka, never, MemoryJournal> => Layer.scopedContext(make(topics))
