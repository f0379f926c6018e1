/**
 * What happens to one consumed message, the same for every implementation: decode, handle with
 * retries for passing failures, and decide whether its offset may be committed.
 */
import { Cause, Effect, Metric, Option, Schedule, Schema } from "effect"
import type { ConsumerOptions, IncomingMessage } from "./KafkaService.js"
import { PoisonMessage } from "./KafkaService.js"

export const messagesHandled = Metric.counter("ros_kafka_messages_handled_total", {
  description: "Kafka messages handled and committed"
})
export const messagesPoisoned = Metric.counter("ros_kafka_messages_poison_total", {
  description: "Kafka messages that could not be handled and were committed without effect"
})

export const defaultRetry = Schedule.exponential("200 millis").pipe(
  Schedule.union(Schedule.spaced("30 seconds")),
  Schedule.jittered
)

/** The message was handled, or it is poison: either way its offset may be committed. */
export type Outcome = "handled" | "poison"

const describe = (m: IncomingMessage) => ({
  topic: m.topic,
  partition: m.partition,
  offset: m.offset,
  key: m.key ?? ""
})

/**
 * Never fails: every failure ends as "poison" except interruption, which propagates so the caller
 * leaves the offset uncommitted and the message is delivered again.
 */
export const handleMessage = <A, E, R>(
  options: ConsumerOptions<A, E, R>,
  message: IncomingMessage
): Effect.Effect<Outcome, never, R> => {
  const isRetryable = options.isRetryable ?? (() => true)
  const schedule = options.retry ?? defaultRetry
  const count = (metric: typeof messagesHandled) =>
    Metric.update(metric.pipe(Metric.tagged("topic", message.topic), Metric.tagged("group", options.groupId)), 1)
  return decodeValue(options.value, message).pipe(
    Effect.flatMap((value) =>
      options.handle(value, message).pipe(
        Effect.tapError((error) =>
          isRetryable(error) ? Effect.logWarning("message handling failed, will retry", String(error)) : Effect.void
        ),
        Effect.retry({ schedule, while: isRetryable })
      )
    ),
    Effect.matchCauseEffect({
      onSuccess: () => count(messagesHandled).pipe(Effect.as<Outcome>("handled")),
      onFailure: (cause) =>
        Cause.isInterruptedOnly(cause)
          ? Effect.interrupt
          : Effect.logError("poison message committed without effect", reason(cause)).pipe(
              Effect.zipRight(count(messagesPoisoned)),
              Effect.as<Outcome>("poison")
            )
    }),
    Effect.annotateLogs(describe(message)),
    Effect.withSpan(`kafka.consume ${message.topic}`, { attributes: describe(message), captureStackTrace: false })
  )
}

const reason = (cause: Cause.Cause<unknown>): string =>
  Option.match(Cause.failureOption(cause), {
    onNone: () => Cause.pretty(cause),
    onSome: (e) => (e instanceof PoisonMessage ? e.reason : String(e))
  })

const utf8 = new TextDecoder("utf-8", { fatal: true })

const decodeValue = <A>(schema: Schema.Schema<A, string>, message: IncomingMessage): Effect.Effect<A, PoisonMessage> =>
  Effect.try({
    try: () => {
      if (message.value === null) throw new Error("message has no value")
      return utf8.decode(message.value)
    },
    catch: (e) => new PoisonMessage({ reason: e instanceof Error ? e.message : "message value is not UTF-8 text" })
  }).pipe(
    Effect.flatMap((text) =>
      Schema.decodeUnknown(schema)(text).pipe(
        Effect.mapError((e) => new PoisonMessage({ reason: `invalid message value: ${e.message}` }))
      )
    )
  )
