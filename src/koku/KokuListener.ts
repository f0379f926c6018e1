/**
 * koku's listener (spec C.1): a thin consumer of the announce topic in its own group. Messages whose `service`
 * header is not `hccm` belong to other services and are committed untouched. An hccm message whose body does not
 * decode is poison (logged, counted, committed). Every other message goes to {@link KokuStage}; its offset is
 * committed once the stage has recorded the outcome, and a passing failure (S3, Kafka, the Sources API or the disk
 * unavailable) is retried with backoff, never dropped.
 */
import { Effect, Layer, Schema } from "effect"
import { AnnounceMessageJson, SERVICE_HEADER } from "../../schema/ingress/AnnounceMessage.js"
import { Kafka, PoisonMessage } from "../services/Kafka.js"
import { KafkaSettings, KokuSettings } from "../services/Settings.js"
import { KokuStage } from "./KokuStage.js"

/** The `service` of uploads made by the cost-management operator. */
export const HCCM_SERVICE = "hccm"

/** ingress's message; koku refuses one without an org_id (spec C.2 step 1), and a request id names the upload. */
const decodeAnnounce = (text: string) =>
  Schema.decode(AnnounceMessageJson, { errors: "all" })(text).pipe(
    Effect.mapError((e) => new PoisonMessage({ reason: `invalid announce message: ${e.message}` })),
    Effect.filterOrFail(
      (upload) => upload.request_id !== "" && upload.org_id !== "",
      (upload) =>
        new PoisonMessage({
          reason: `announce message ${JSON.stringify(upload.request_id)} has no ${upload.request_id === "" ? "request_id" : "org_id"}`
        })
    )
  )

/** Topics a fresh broker may lack (the producer does not create topics); existing ones are left alone. */
const TOPIC_PARTITIONS = 3

const make = Effect.gen(function* () {
  const kafka = yield* Kafka
  const stage = yield* KokuStage
  const topics = yield* KafkaSettings
  const settings = yield* KokuSettings

  yield* kafka.ensureTopics([
    { topic: topics.announceTopic, partitions: TOPIC_PARTITIONS },
    { topic: topics.uploadTopic, partitions: TOPIC_PARTITIONS }
  ])
  yield* kafka.consume({
    groupId: settings.consumerGroupId,
    topics: [topics.announceTopic],
    // Decoded in the handler, after the service filter: another service's body is none of our business.
    value: Schema.String,
    handle: (text, message) =>
      message.headers[SERVICE_HEADER] !== HCCM_SERVICE
        ? Effect.logDebug(`ignored an upload of service ${JSON.stringify(message.headers[SERVICE_HEADER] ?? "")}`)
        : decodeAnnounce(text).pipe(Effect.flatMap((upload) => stage.process(upload))),
    isRetryable: (error) => error._tag !== "PoisonMessage"
  })
  yield* Effect.logInfo(`koku stage consuming ${topics.announceTopic} as ${settings.consumerGroupId}`)
})

/** The consumer, running for the life of the layer. */
export const KokuListener = Layer.scopedDiscard(make.pipe(Effect.annotateLogs({ service: "koku" })))
