/**
 * The processor, poller and a runner started for real in this process, on topics and consumer groups of their
 * own, a throw-away `ros` database (cluster tables included) and an engine given by URL; plus what a test needs
 * around them: usage CSVs put in S3 the way koku puts them, hccm.ros.events published the way koku publishes
 * them, an upload status row to follow, and queries on the `ros` tables.
 */
import { SqlClient } from "@effect/sql"
import { ConfigProvider, Effect, Layer, Option, Schedule, Scope, Stream } from "effect"
import type { ExperimentScope } from "../../schema/ros/ExperimentScope.js"
import type { UploadTrack } from "../../schema/uploads/UploadStatus.js"
import { aggregateUsageCsv } from "../../src/processor/csv/AggregateUsageCsv.js"
import { PollerConsumer } from "../../src/roles/poller.js"
import { ProcessorConsumer } from "../../src/roles/processor.js"
import { RunnerEntities } from "../../src/roles/runner.js"
import { RosDatabase } from "../../src/services/Database.js"
import { Kafka } from "../../src/services/Kafka.js"
import { ObjectStore } from "../../src/services/ObjectStore.js"
import { RosClusterRunner } from "../../src/services/RosCluster.js"
import { UploadStatusRepo } from "../../src/uploads/UploadStatusRepo.js"
import { unusedPort } from "./ports.js"

export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export interface PipelineTopics {
  readonly uploads: string
  readonly recommendations: string
  readonly processorGroup: string
  readonly pollerGroup: string
}

export const pipelineTopics = Effect.gen(function* () {
  const topics: PipelineTopics = {
    uploads: unique("pipeline-test-uploads"),
    recommendations: unique("pipeline-test-recommendations"),
    processorGroup: unique("pipeline-test-processor"),
    pollerGroup: unique("pipeline-test-poller")
  }
  yield* (yield* Kafka).ensureTopics([
    { topic: topics.uploads, partitions: 3 },
    { topic: topics.recommendations, partitions: 3 }
  ])
  return topics
})

/** The settings a pipeline instance runs with, over the environment's. */
export const pipelineConfig = (options: {
  readonly rosDatabase: string
  readonly engineUrl: string
  readonly topics: PipelineTopics
  readonly runnerPort: number
  readonly extra?: Record<string, string>
}) =>
  ConfigProvider.fromMap(
    new Map([
      ["DB_NAME", options.rosDatabase],
      ["UPLOAD_TOPIC", options.topics.uploads],
      ["RECOMMENDATION_TOPIC", options.topics.recommendations],
      ["KAFKA_CONSUMER_GROUP_ID", options.topics.processorGroup],
      ["POLLER_CONSUMER_GROUP_ID", options.topics.pollerGroup],
      ["KRUIZE_URL", options.engineUrl],
      ["ROS_RUNNER_PORT", String(options.runnerPort)],
      ["SHARDS_PER_GROUP", "30"],
      ...Object.entries(options.extra ?? {})
    ])
  ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))

/** Processor + poller + one runner, as `start all` runs them. */
export const PipelineLayer = Layer.mergeAll(ProcessorConsumer, PollerConsumer, RunnerEntities).pipe(
  Layer.provide(RosClusterRunner),
  Layer.provide(RosDatabase)
)

/** Builds `layer` under `provider` in a scope of its own; close the scope to stop it. */
export const startWith = <E>(layer: Layer.Layer<never, E>, provider: ConfigProvider.ConfigProvider) =>
  Effect.gen(function* () {
    const scope = yield* Scope.make()
    yield* Layer.buildWithScope(layer.pipe(Layer.provide(Layer.setConfigProvider(provider))), scope)
    return scope
  }).pipe(Effect.orDie)

export const freePort = unusedPort

/** The usage CSV under `key` in ros-data, and the presigned URL koku would send for it. */
export const stageCsv = (key: string, text: string) =>
  Effect.gen(function* () {
    const store = yield* ObjectStore
    yield* store.put("ros-data", key, new TextEncoder().encode(text), { contentType: "text/csv" })
    return yield* store.presignGet("ros-data", key, 3600)
  }).pipe(Effect.orDie)

export interface Upload {
  readonly requestId: string
  readonly orgId: string
  readonly sourceId: string
  readonly clusterUuid: string
  readonly clusterAlias: string
  readonly files: ReadonlyArray<string>
}

/** The hccm.ros.events message koku publishes for `upload` (keys as koku writes them). */
export const rosEventText = (upload: Upload) =>
  JSON.stringify({
    request_id: upload.requestId,
    b64_identity: Buffer.from(JSON.stringify({ identity: { org_id: upload.orgId } })).toString("base64"),
    metadata: {
      account: "12345",
      org_id: upload.orgId,
      source_id: upload.sourceId,
      provider_uuid: "00000000-0000-0000-0000-000000000000",
      cluster_uuid: upload.clusterUuid,
      operator_version: "koku-metrics-operator:v4.1.0",
      cluster_alias: upload.clusterAlias
    },
    files: upload.files,
    object_keys: upload.files.map((_, i) => `file-${i}.csv`)
  })

export const publishRosEvent = (topic: string, text: string, key?: string) =>
  Effect.flatMap(Kafka, (kafka) => kafka.send([{ topic, value: text, key: key ?? null }])).pipe(Effect.orDie)

/** Waits (90 s at most) until the upload's status satisfies `done`, and returns it. */
export const awaitTrack = (requestId: string, orgId: string, done: (track: UploadTrack) => boolean) =>
  Effect.gen(function* () {
    const repo = yield* UploadStatusRepo
    return yield* repo.track(requestId, orgId).pipe(
      Effect.orDie,
      Effect.flatMap((track) =>
        Option.isSome(track) && done(track.value) ? Effect.succeed(track.value) : Effect.fail("pending" as const)
      ),
      Effect.retry(Schedule.spaced("250 millis")),
      Effect.timeoutFail({
        duration: "90 seconds",
        onTimeout: () => new Error(`upload ${requestId} did not reach the expected state`)
      }),
      Effect.orDie
    )
  })

/** Whether `stage` has an event with `outcome`. */
export const hasEvent = (track: UploadTrack, stage: string, outcome = "done") =>
  track.events.some((e) => e.stage === stage && e.outcome === outcome)

/** Rows of a count query, as a number. */
export const count = (query: (sql: SqlClient.SqlClient) => Effect.Effect<ReadonlyArray<{ n: number }>, unknown>) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => query(sql)).pipe(
    Effect.map((rows) => rows[0]?.n ?? 0),
    Effect.orDie
  )

/** What the pure pipeline says a container CSV holds: experiments, containers, container-intervals, names. */
export const expectedFromCsv = (csv: string, scope: ExperimentScope) =>
  Effect.gen(function* () {
    const report = yield* aggregateUsageCsv(Stream.make(new TextEncoder().encode(csv)), { scope })
    if (report._tag !== "ContainerUsageReport") return yield* Effect.die("expected a container report")
    return {
      experiments: report.experiments.length,
      containers: report.experiments.reduce((n, e) => n + e.containers.length, 0),
      metricRows: report.experiments.reduce(
        (n, e) => n + e.results.reduce((m, r) => m + r.kubernetes_objects[0].containers.length, 0),
        0
      ),
      names: report.experiments.map((e) => e.experimentName).sort()
    }
  })
