/**
 * The koku role started for real, in this process, on topics and a consumer group of its own (so it never reads
 * anyone else's uploads, and nobody reads its messages), a throw-away `ros` database for upload status, and a
 * Sources API given by URL; plus what a test needs around it: staging a tarball as ingress does, announcing it,
 * reading hccm.ros.events, and waiting for the upload's `koku_processed` outcome.
 */
import { Chunk, ConfigProvider, Effect, Layer, Option, Queue, Schedule, Schema, Scope } from "effect"
import { AnnounceMessageJson } from "../../schema/ingress/AnnounceMessage.js"
import type { UploadEvent } from "../../schema/uploads/UploadStatus.js"
import { KokuLive } from "../../src/roles/koku.js"
import { type IncomingMessage, Kafka } from "../../src/services/Kafka.js"
import { ObjectStore } from "../../src/services/ObjectStore.js"
import type { UploadStatusRepo } from "../../src/uploads/UploadStatusRepo.js"
import { call } from "./sourcesHarness.js"

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export interface KokuTopics {
  readonly announce: string
  readonly rosEvents: string
  readonly groupId: string
}

/** Fresh topic names and group; the announce topic has one partition, so announcements are handled in order. */
export const kokuTopics = Effect.gen(function* () {
  const topics: KokuTopics = {
    announce: unique("koku-test-announce"),
    rosEvents: unique("koku-test-ros-events"),
    groupId: unique("koku-test-group")
  }
  yield* (yield* Kafka).ensureTopics([
    { topic: topics.announce, partitions: 1 },
    { topic: topics.rosEvents, partitions: 3 }
  ])
  return topics
})

export interface KokuUnderTest {
  /** Starts the role; close the scope to stop it. */
  readonly start: Effect.Effect<Scope.CloseableScope>
}

/** The role on `rosDatabase`, asking the Sources API at `sourcesUrl`, with `extra` settings over the environment's. */
export const kokuOn = (options: {
  readonly rosDatabase: string
  readonly sourcesUrl: string
  readonly topics: KokuTopics
  readonly extra?: Record<string, string>
}): KokuUnderTest => {
  const provider = ConfigProvider.fromMap(
    new Map([
      ["DB_NAME", options.rosDatabase],
      ["INGRESS_KAFKAANNOUNCETOPIC", options.topics.announce],
      ["UPLOAD_TOPIC", options.topics.rosEvents],
      ["KOKU_CONSUMER_GROUP_ID", options.topics.groupId],
      ["SOURCES_API_BASE_URL", options.sourcesUrl],
      ...Object.entries(options.extra ?? {})
    ])
  ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
  const start = Effect.gen(function* () {
    const scope = yield* Scope.make()
    yield* Layer.buildWithScope(KokuLive.pipe(Layer.provide(Layer.setConfigProvider(provider))), scope)
    return scope
  }).pipe(Effect.orDie)
  return { start }
}

export interface Announcement {
  readonly requestId: string
  readonly orgId: string
  readonly identity: string
  readonly size: number
  /** Default `hccm`. */
  readonly service?: string
}

/** The announce message ingress publishes for a stored upload (spec A.9), with its `service` header. */
export const announce = (topic: string, upload: Announcement) =>
  Effect.gen(function* () {
    const service = upload.service ?? "hccm"
    const value = yield* Schema.encode(AnnounceMessageJson)({
      account: "",
      category: "tar",
      content_type: `application/vnd.redhat.${service}.tar+tgz`,
      metadata: { reporter: "", stale_timestamp: "0001-01-01T00:00:00Z" },
      request_id: upload.requestId,
      principal: upload.orgId,
      org_id: upload.orgId,
      service,
      size: upload.size,
      url: yield* (yield* ObjectStore).presignGet("insights-upload-perma", upload.requestId, 86400),
      b64_identity: upload.identity,
      timestamp: new Date().toISOString()
    })
    yield* (yield* Kafka).send([{ topic, value, headers: { service } }])
  }).pipe(Effect.orDie)

/** A message as it came off hccm.ros.events: its key and its exact text. */
export interface RosEvent {
  readonly key: string | null
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
  readonly requestId: string
}

/**
 * Reads hccm.ros.events (the role's test topic) from its start until the scope closes. `next(requestId)` waits
 * (60 s at most) for that upload's message and returns it with every other message that arrived before it.
 */
export const rosEventReader = (topic: string) =>
  Effect.gen(function* () {
    const received = yield* Queue.unbounded<RosEvent>()
    yield* (yield* Kafka).consume({
      groupId: unique("koku-test-reader"),
      topics: [topic],
      value: Schema.String,
      handle: (text: string, message: IncomingMessage) =>
        Queue.offer(received, {
          key: message.key,
          headers: message.headers,
          text,
          requestId: String((JSON.parse(text) as { request_id?: unknown }).request_id)
        })
    })
    const next = (requestId: string) =>
      Effect.gen(function* () {
        const before: Array<RosEvent> = []
        while (true) {
          const event = yield* Queue.take(received)
          if (event.requestId === requestId) return { event, before }
          before.push(event)
        }
      }).pipe(
        Effect.timeoutFail({
          duration: "60 seconds",
          onTimeout: () => new Error(`no hccm.ros.events for ${requestId}`)
        }),
        Effect.orDie
      )
    /** Whatever has arrived and not been taken yet. */
    const pending = Effect.map(Queue.takeAll(received), (all) => Chunk.toArray(all))
    return { next, pending }
  })

/**
 * The upload's `koku_processed` event, once the stage has written it (60 s at most), with the upload's status.
 */
export const kokuOutcome = (repo: UploadStatusRepo, requestId: string, orgId: string) =>
  repo.track(requestId, orgId).pipe(
    Effect.orDie,
    Effect.map((track) =>
      Option.flatMap(track, (t) =>
        Option.map(Option.fromNullable(t.events.find((e: UploadEvent) => e.stage === "koku_processed")), (event) => ({
          event,
          track: t
        }))
      )
    ),
    Effect.flatMap((found) => (Option.isSome(found) ? Effect.succeed(found.value) : Effect.fail("pending" as const))),
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeoutFail({
      duration: "60 seconds",
      onTimeout: () => new Error(`no koku_processed outcome for ${requestId}`)
    }),
    Effect.orDie
  )

/** Creates an OpenShift source for `clusterId` with the cost-management application; its id, uid and name. */
export const createCostSource = (sourcesUrl: string, identity: string, clusterId: string, name: string) =>
  Effect.gen(function* () {
    const P = "/api/sources/v3.1"
    const types = yield* call(sourcesUrl, "GET", `${P}/source_types?filter[name]=openshift`)
    const apps = yield* call(
      sourcesUrl,
      "GET",
      `${P}/application_types?filter[name][eq]=/insights/platform/cost-management`
    )
    const typeId = (types.body as { data: ReadonlyArray<{ id: string }> }).data[0]?.id
    const costId = (apps.body as { data: ReadonlyArray<{ id: string }> }).data[0]?.id
    const created = yield* call(sourcesUrl, "POST", `${P}/sources`, {
      identity,
      body: { name, source_type_id: typeId, source_ref: clusterId }
    })
    if (created.status !== 201) return yield* Effect.dieMessage(`source not created: ${created.text}`)
    const source = created.body as { id: string; uid: string; name: string }
    const app = yield* call(sourcesUrl, "POST", `${P}/applications`, {
      identity,
      body: { source_id: source.id, application_type_id: costId }
    })
    if (app.status !== 201) return yield* Effect.dieMessage(`application not created: ${app.text}`)
    return source
  })
