/**
 * Publishing an upload on platform.upload.announce (ingress-koku-sources.md A.9): upstream's JSON, the `service`
 * header, and the metadata's `queue_key` (if any) as the message key.
 *
 * `UploadAnnouncer.layer` gives the role its own producer, connected in the background and retried until Kafka
 * answers: ingress starts and serves while Kafka is down (as upstream does), and an upload that cannot be
 * announced then is refused with 503 instead of the process failing to start. `layerFromKafka` uses a Kafka
 * service that is already there (every role in one process, or the in-memory broker of a unit test).
 */
import { Context, Deferred, Effect, ExecutionStrategy, Exit, Layer, Option, Schedule, Schema, Scope } from "effect"
import { type AnnounceMessage, AnnounceMessageJson, SERVICE_HEADER } from "../../schema/ingress/AnnounceMessage.js"
import { Kafka, type KafkaError } from "../services/Kafka.js"
import type { KafkaService } from "../services/kafka/KafkaService.js"
import { KafkaSettings } from "../services/Settings.js"
import { AnnounceFailed } from "./IngressFailure.js"

export interface UploadAnnouncerService {
  /** Publishes `message`; resolves once the broker has acknowledged it. */
  readonly announce: (message: AnnounceMessage, key: string | null) => Effect.Effect<void, AnnounceFailed>
  /** Whether a producer is connected (GET /health). */
  readonly connected: Effect.Effect<boolean>
}

/**
 * An announce that takes longer has most likely lost its broker. The client (the operator waits 30 s for its
 * whole request) is better served by a 503 it can retry than by a request that times out on its side.
 */
const SEND_TIMEOUT = "10 seconds"

/** Retries of the background connection: quickly at first, then every 30 s, for as long as the role runs. */
const connectRetry = Schedule.exponential("1 second").pipe(Schedule.union(Schedule.spaced("30 seconds")))

const describe = (error: KafkaError) => `${error.operation}: ${error.message}`

const publisher = (kafka: KafkaService, topic: string) =>
  Effect.fn("UploadAnnouncer.announce")(function* (message: AnnounceMessage, key: string | null) {
    yield* Effect.annotateCurrentSpan({ requestId: message.request_id, service: message.service, topic })
    const value = yield* Schema.encode(AnnounceMessageJson)(message).pipe(
      Effect.mapError((error) => new AnnounceFailed({ reason: `message does not encode: ${error.message}` }))
    )
    yield* kafka.send([{ topic, key, value, headers: { [SERVICE_HEADER]: message.service } }]).pipe(
      Effect.mapError((error) => new AnnounceFailed({ reason: `Kafka ${describe(error)}` })),
      Effect.timeoutFail({
        duration: SEND_TIMEOUT,
        onTimeout: () => new AnnounceFailed({ reason: `Kafka did not acknowledge within ${SEND_TIMEOUT}` })
      })
    )
  })

/**
 * Builds Kafka.layer in a scope of its own, so a failed attempt releases whatever it had acquired. Disconnected
 * from interruption: kafkajs's connect (with its own retries) cannot be cut short, and shutting the role down must
 * not wait for it; an attempt that still succeeds later finds its scope closed and disconnects at once.
 */
const connectOnce = (outer: Scope.Scope) =>
  Effect.gen(function* () {
    const scope = yield* Scope.fork(outer, ExecutionStrategy.sequential)
    return yield* Layer.buildWithScope(Kafka.layer, scope).pipe(
      Effect.map((context) => Context.get(context, Kafka)),
      Effect.onError((cause) => Scope.close(scope, Exit.failCause(cause)))
    )
  }).pipe(Effect.disconnect)

const makeConnecting = Effect.gen(function* () {
  const { announceTopic } = yield* KafkaSettings
  const scope = yield* Effect.scope
  const ready = yield* Deferred.make<KafkaService>()
  yield* connectOnce(scope).pipe(
    Effect.tapError((error) =>
      Effect.logWarning(
        "ingress cannot reach Kafka; uploads are refused with 503 until it can",
        error._tag === "KafkaUnavailable" || error._tag === "KafkaFailure" ? describe(error) : String(error)
      )
    ),
    Effect.retry(connectRetry),
    Effect.flatMap((kafka) => Deferred.succeed(ready, kafka)),
    Effect.zipRight(Effect.logInfo("ingress producer connected to Kafka")),
    Effect.forkScoped
  )
  const announce = (message: AnnounceMessage, key: string | null) =>
    Effect.flatMap(Deferred.poll(ready), (connected) =>
      Option.match(connected, {
        onNone: () => Effect.fail(new AnnounceFailed({ reason: "Kafka is not connected" })),
        onSome: (kafka) => Effect.flatMap(kafka, (k) => publisher(k, announceTopic)(message, key))
      })
    )
  return { announce, connected: Deferred.isDone(ready) } satisfies UploadAnnouncerService
})

const makeFromKafka = Effect.gen(function* () {
  const { announceTopic } = yield* KafkaSettings
  const kafka = yield* Kafka
  return { announce: publisher(kafka, announceTopic), connected: Effect.succeed(true) } satisfies UploadAnnouncerService
})

export class UploadAnnouncer extends Context.Tag("ros/ingress/UploadAnnouncer")<
  UploadAnnouncer,
  UploadAnnouncerService
>() {
  /** Its own producer on KAFKA_BOOTSTRAP_SERVERS, connected in the background. */
  static readonly layer = Layer.scoped(UploadAnnouncer, makeConnecting)
  /** Through the Kafka service of the surrounding composition. */
  static readonly layerFromKafka = Layer.effect(UploadAnnouncer, makeFromKafka)
}
