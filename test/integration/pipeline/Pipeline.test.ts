/**
 * The processor, poller and a runner on the real servers (Kafka, S3, PostgreSQL) and the real engine: a usage
 * CSV published as koku publishes it becomes the rows upstream would store (spec ros-ocp-backend §2–4), the
 * upload's status follows it, and the faults the issue names change nothing that was accepted.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Queue, Schema, Scope } from "effect"
import { sampleOptions } from "../../../samples/SampleData.js"
import { usageCsv } from "../../../samples/UsageCsv.js"
import { RecommendationMessageJson } from "../../../schema/ros/RecommendationMessage.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import { UploadStatusRepo } from "../../../src/uploads/UploadStatusRepo.js"
import { engineOn } from "../../support/engineHarness.js"
import {
  awaitTrack,
  count,
  expectedFromCsv,
  freePort,
  hasEvent,
  PipelineLayer,
  pipelineConfig,
  pipelineTopics,
  publishRosEvent,
  rosEventText,
  stageCsv,
  startWith,
  unique
} from "../../support/pipelineHarness.js"
import { databaseClient, scratchDatabaseName } from "../../support/scratchDatabase.js"

const ORG = "3340851"
const SOURCE = "111"
const options = sampleOptions()
// 26 hours: more than a day, so the short term has its data and the engine answers 111000.
const csv = usageCsv(options, 26)

const expected = expectedFromCsv(csv, { orgId: ORG, sourceId: SOURCE, clusterUuid: options.clusterId })

const Servers = Layer.mergeAll(Kafka.layer, ObjectStore.layer)

/** A fresh `ros` and `kruize` database, the engine and the pipeline on them; the test's body gets the handles. */
const withPipeline = <A, E>(
  body: (env: {
    readonly topics: Effect.Effect.Success<typeof pipelineTopics>
    readonly engine: Effect.Effect.Success<ReturnType<typeof engineOn>>
    readonly engineScope: { current: Scope.CloseableScope }
    readonly upload: (files: ReadonlyArray<string>) => Effect.Effect<string, never, UploadStatusRepo | Kafka>
    readonly republish: (requestId: string, files: ReadonlyArray<string>) => Effect.Effect<void, never, Kafka>
  }) => Effect.Effect<A, E, SqlClient.SqlClient | UploadStatusRepo | Kafka | ObjectStore | Scope.Scope>
) =>
  Effect.gen(function* () {
    const rosDb = yield* scratchDatabaseName("pipeline_ros")
    const kruizeDb = yield* scratchDatabaseName("pipeline_kruize")
    const engine = yield* engineOn(kruizeDb)
    const engineScope = { current: yield* engine.start }
    yield* Effect.addFinalizer(() => Scope.close(engineScope.current, Exit.void))
    const topics = yield* pipelineTopics
    const config = pipelineConfig({ rosDatabase: rosDb, engineUrl: engine.url, topics, runnerPort: yield* freePort })
    const pipeline = yield* startWith(PipelineLayer, config)
    yield* Effect.addFinalizer(() => Scope.close(pipeline, Exit.void))

    const send = (requestId: string, files: ReadonlyArray<string>) =>
      publishRosEvent(
        topics.uploads,
        rosEventText({
          requestId,
          orgId: ORG,
          sourceId: SOURCE,
          clusterUuid: options.clusterId,
          clusterAlias: "sample",
          files
        }),
        // One key: every message of the test on one partition, handled in the order sent.
        "test"
      )
    const upload = (files: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const requestId = unique("req")
        yield* (yield* UploadStatusRepo).received({ requestId, orgId: ORG }).pipe(Effect.orDie)
        yield* send(requestId, files)
        return requestId
      })
    return yield* body({ topics, engine, engineScope, upload, republish: send }).pipe(
      Effect.provide(UploadStatusRepo.Default),
      Effect.provide(databaseClient(rosDb))
    )
  }).pipe(Effect.provide(Servers))

const settled = (requestId: string) =>
  awaitTrack(requestId, ORG, (t) => t.status !== "in_progress" || hasEvent(t, "recommendations_ready"))

describe("pipeline: processor, poller and runner", () => {
  it.scopedLive(
    "a usage CSV becomes workloads, metrics and recommendation sets, and the upload reaches done",
    () =>
      withPipeline(({ upload, topics }) =>
        Effect.gen(function* () {
          const want = yield* expected
          const recommendations = yield* Queue.unbounded<string>()
          yield* (yield* Kafka).consume({
            groupId: unique("pipeline-test-reader"),
            topics: [topics.recommendations],
            value: Schema.String,
            handle: (text) => Queue.offer(recommendations, text)
          })
          const url = yield* stageCsv(`${unique("usage")}_openshift_usage_report.0.csv`, csv)
          const requestId = yield* upload([url])
          const track = yield* settled(requestId)

          expect(track.status).toBe("done")
          expect(track.error).toBeNull()
          for (const stage of ["ingested", "experiments_updated", "recommendations_ready"]) {
            expect(hasEvent(track, stage)).toBe(true)
          }

          const sql = yield* SqlClient.SqlClient
          const workloads = yield* sql<{ experiment_name: string; workload_type: string; containers: string[] }>`
            SELECT experiment_name, workload_type::text, containers FROM workloads ORDER BY experiment_name`
          expect(workloads.map((w) => w.experiment_name)).toEqual(want.names)
          expect(workloads.reduce((n, w) => n + w.containers.length, 0)).toBe(want.containers)
          expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM workload_metrics`)).toBe(
            want.metricRows
          )
          expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM clusters`)).toBe(1)

          const sets = yield* sql<{
            container_name: string
            recommendations: { recommendation_terms: { short_term: { recommendation_engines?: unknown } } }
            cpu_variation_short_cost_pct: string | null
            monitoring_end_time: Date
          }>`SELECT container_name, recommendations, cpu_variation_short_cost_pct, monitoring_end_time
             FROM recommendation_sets`
          expect(sets.length).toBe(want.containers)
          for (const set of sets) {
            expect(set.recommendations.recommendation_terms.short_term.recommendation_engines).toBeDefined()
            expect(set.cpu_variation_short_cost_pct).not.toBeNull()
          }
          expect(
            yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM historical_recommendation_sets`)
          ).toBe(want.containers)

          // One message per workload, in upstream's wire format, keyed by experiment name.
          const first = yield* Queue.take(recommendations)
          expect(Object.keys(JSON.parse(first) as object)).toEqual(["Request_id", "Metadata"])
          const decoded = Schema.decodeUnknownSync(RecommendationMessageJson)(first)
          expect(decoded.Request_id).toBe(requestId)
          expect(want.names).toContain(decoded.Metadata.Experiment_name)
        })
      ),
    120_000
  )

  it.scopedLive(
    "a duplicate hccm.ros.events delivery stores nothing twice",
    () =>
      withPipeline(({ upload, republish }) =>
        Effect.gen(function* () {
          const url = yield* stageCsv(`${unique("usage")}_openshift_usage_report.0.csv`, csv)
          const requestId = yield* upload([url])
          yield* settled(requestId)
          const sql = yield* SqlClient.SqlClient
          const snapshot = sql<{ w: number; m: number; r: number; h: number; c: number }>`
            SELECT (SELECT count(*)::int FROM workloads) AS w, (SELECT count(*)::int FROM workload_metrics) AS m,
                   (SELECT count(*)::int FROM recommendation_sets) AS r,
                   (SELECT count(*)::int FROM historical_recommendation_sets) AS h,
                   (SELECT count(*)::int FROM cluster_messages) AS c`
          const before = yield* snapshot
          yield* republish(requestId, [url])
          // A later upload on the same partition: once it has settled, the duplicate was handled before it.
          const empty = yield* stageCsv(`${unique("empty")}_openshift_usage_report.0.csv`, "")
          const sentinel = yield* upload([empty])
          yield* awaitTrack(sentinel, ORG, (t) => t.status === "failed")
          const after = yield* snapshot
          // The sentinel adds one persisted IngestFile message and nothing else.
          expect(after[0]).toEqual({ ...before[0], c: (before[0]?.c ?? 0) + 1 })
        })
      ),
    120_000
  )

  it.scopedLive(
    "a bad file is recorded with its reason and the message's other file still goes through",
    () =>
      withPipeline(({ upload }) =>
        Effect.gen(function* () {
          const header = csv.slice(0, csv.indexOf("\n"))
          // Same number of fields, one required column renamed: the header lacks it.
          const broken = header.replace(",cpu_usage_container_avg,", ",cpu_usage_mean,") + csv.slice(csv.indexOf("\n"))
          const bad = yield* stageCsv(`${unique("bad")}_openshift_usage_report.0.csv`, broken)
          const good = yield* stageCsv(`${unique("good")}_openshift_usage_report.1.csv`, csv)
          const requestId = yield* upload([bad, good])
          const track = yield* awaitTrack(requestId, ORG, (t) => hasEvent(t, "recommendations_ready"))
          expect(track.status).toBe("failed")
          expect(track.error?.stage).toBe("ingested")
          expect(track.error?.message).toContain("lacks required columns: cpu_usage_container_avg")
          const want = yield* expected
          expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM workloads`)).toBe(want.experiments)
          expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM recommendation_sets`)).toBe(
            want.containers
          )
        })
      ),
    120_000
  )

  it.scopedLive(
    "with the engine down for a while, everything completes once it is back and nothing is lost",
    () =>
      withPipeline(({ upload, engine, engineScope }) =>
        Effect.gen(function* () {
          yield* Scope.close(engineScope.current, Exit.void)
          const url = yield* stageCsv(`${unique("usage")}_openshift_usage_report.0.csv`, csv)
          const requestId = yield* upload([url])
          const waiting = yield* awaitTrack(requestId, ORG, (t) => hasEvent(t, "ingested"))
          expect(hasEvent(waiting, "experiments_updated")).toBe(false)
          yield* Effect.sleep("3 seconds")
          engineScope.current = yield* engine.start
          const track = yield* settled(requestId)
          expect(track.status).toBe("done")
          const want = yield* expected
          expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM recommendation_sets`)).toBe(
            want.containers
          )
          expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM workload_metrics`)).toBe(
            want.metricRows
          )
        })
      ),
    150_000
  )
})
