/**
 * Two `ros-ocp start runner` processes share the ROS entities' shards; one is killed (SIGKILL) in the middle of
 * an upload. The survivor takes its shards over and redelivers its unfinished persisted messages, so every
 * workload is stored exactly once and every recommendation is produced.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Schedule, Scope } from "effect"
import { sampleOptions } from "../../../samples/SampleData.js"
import { usageCsv } from "../../../samples/UsageCsv.js"
import { PollerConsumer } from "../../../src/roles/poller.js"
import { ProcessorConsumer } from "../../../src/roles/processor.js"
import { RosDatabase } from "../../../src/services/Database.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import { RosClusterClient } from "../../../src/services/RosCluster.js"
import { UploadStatusRepo } from "../../../src/uploads/UploadStatusRepo.js"
import { startRole } from "../../support/childRole.js"
import { engineOn } from "../../support/engineHarness.js"
import {
  awaitTrack,
  count,
  expectedFromCsv,
  freePort,
  hasEvent,
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
const options = sampleOptions({ workloads: 44 })
const csv = usageCsv(options, 26)

const expected = expectedFromCsv(csv, { orgId: ORG, sourceId: SOURCE, clusterUuid: options.clusterId })

/** The four quarters of the CSV as separate files, as the operator splits a large report. */
const quarters = (text: string) => {
  const [header, ...rows] = text.trimEnd().split("\n")
  const size = Math.ceil(rows.length / 4)
  return [0, 1, 2, 3].map((i) => `${header}\n${rows.slice(i * size, (i + 1) * size).join("\n")}\n`)
}

describe("two runners, one killed mid-ingest", () => {
  it.scopedLive(
    "every workload is stored exactly once and every recommendation is produced",
    () =>
      Effect.gen(function* () {
        const want = yield* expected
        const rosDb = yield* scratchDatabaseName("failover_ros")
        const kruizeDb = yield* scratchDatabaseName("failover_kruize")
        const engine = yield* engineOn(kruizeDb)
        const engineScope = yield* engine.start
        yield* Effect.addFinalizer(() => Scope.close(engineScope, Exit.void))
        const topics = yield* pipelineTopics
        return yield* failover(want, rosDb, engine.url, topics).pipe(
          Effect.provide(UploadStatusRepo.Default),
          Effect.provide(databaseClient(rosDb))
        )
      }).pipe(Effect.provide(Layer.mergeAll(Kafka.layer, ObjectStore.layer))),
    240_000
  )
})

const failover = (
  want: Effect.Effect.Success<typeof expected>,
  rosDb: string,
  engineUrl: string,
  topics: Effect.Effect.Success<typeof pipelineTopics>
) =>
  Effect.gen(function* () {
    const engine = { url: engineUrl }

    // The processor and poller here, as clients; all entity work happens in the two runner processes.
    const clientPort = yield* freePort
    const config = pipelineConfig({ rosDatabase: rosDb, engineUrl: engine.url, topics, runnerPort: clientPort })
    const consumers = Layer.mergeAll(ProcessorConsumer, PollerConsumer).pipe(
      Layer.provide(RosClusterClient),
      Layer.provide(RosDatabase)
    )
    const runnerEnv = (port: number) => ({
      DB_NAME: rosDb,
      KRUIZE_URL: engine.url,
      RECOMMENDATION_TOPIC: topics.recommendations,
      ROS_RUNNER_PORT: String(port),
      SHARDS_PER_GROUP: "30"
    })
    // The first runner creates the cluster tables and runs the migrations before the second starts.
    const first = yield* startRole("runner", runnerEnv(yield* freePort))
    const sql = yield* SqlClient.SqlClient
    const runners = sql<{ n: number }>`SELECT count(*)::int AS n FROM cluster_runners WHERE healthy`.pipe(
      Effect.map((rows) => rows[0]?.n ?? 0),
      Effect.catchAll(() => Effect.succeed(0))
    )
    const awaitRunners = (n: number) =>
      runners.pipe(
        Effect.filterOrFail((alive) => alive >= n),
        Effect.retry(Schedule.spaced("250 millis")),
        Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error(`${n} runner(s) never registered`) }),
        Effect.orDie
      )
    yield* awaitRunners(1)
    const second = yield* startRole("runner", runnerEnv(yield* freePort))
    yield* awaitRunners(2)
    const pipeline = yield* startWith(consumers, config)
    yield* Effect.addFinalizer(() => Scope.close(pipeline, Exit.void))
    // Shards are rebalanced over both runners before the upload starts.
    yield* Effect.sleep("4 seconds")

    const requestId = unique("req")
    yield* (yield* UploadStatusRepo).received({ requestId, orgId: ORG }).pipe(Effect.orDie)
    const files = yield* Effect.forEach(quarters(csv), (text, i) =>
      stageCsv(`${requestId}_openshift_usage_report.${i}.csv`, text)
    )
    yield* publishRosEvent(
      topics.uploads,
      rosEventText({
        requestId,
        orgId: ORG,
        sourceId: SOURCE,
        clusterUuid: options.clusterId,
        clusterAlias: "a",
        files
      })
    )

    // Kill as soon as work is visibly in flight.
    yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM workloads`).pipe(
      Effect.filterOrFail((n) => n > 0),
      Effect.retry(Schedule.spaced("50 millis")),
      Effect.timeout("60 seconds"),
      Effect.orDie
    )
    const before = yield* (yield* UploadStatusRepo).track(requestId, ORG).pipe(Effect.orDie)
    yield* second.kill
    expect(before._tag === "Some" && before.value.status).toBe("in_progress")
    expect(yield* first.exited).toBe(false)

    // What a hang needs to be understood: the upload's pieces by state, and the entity messages left unprocessed.
    const stateOfUpload = sql`
      SELECT (SELECT json_agg(json_build_object('file', file_key, 'outcome', outcome)) FROM upload_files
              WHERE request_id = ${requestId}) AS files,
             (SELECT json_object_agg(state, n) FROM (
                SELECT results || '/' || recommendation AS state, count(*) AS n FROM upload_experiments
                WHERE request_id = ${requestId} GROUP BY 1) e) AS experiments,
             (SELECT json_object_agg(tag, n) FROM (
                SELECT entity_type || '.' || tag AS tag, count(*) AS n FROM cluster_messages
                WHERE NOT processed GROUP BY 1) m) AS unprocessed`.pipe(
      Effect.map((rows) => JSON.stringify(rows[0])),
      Effect.catchAll((e) => Effect.succeed(`(state unreadable: ${e.message})`))
    )
    const track = yield* awaitTrack(requestId, ORG, (t) => t.status !== "in_progress").pipe(
      Effect.catchAllDefect((defect) =>
        Effect.flatMap(stateOfUpload, (state) => Effect.dieMessage(`${String(defect)}; upload state: ${state}`))
      )
    )
    expect(track.status).toBe("done")
    expect(hasEvent(track, "recommendations_ready")).toBe(true)
    expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM workloads`)).toBe(want.experiments)
    expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM workload_metrics`)).toBe(want.metricRows)
    // Named first, so a failure says which containers lack a recommendation and what the upload reported.
    const withoutSet = yield* Effect.flatMap(
      SqlClient.SqlClient,
      (s) => s<{ workload: string; container: string }>`
        SELECT w.workload_name AS workload, c.name AS container
        FROM workloads w CROSS JOIN LATERAL unnest(w.containers) AS c(name)
        WHERE NOT EXISTS (SELECT 1 FROM recommendation_sets rs WHERE rs.workload_id = w.id AND rs.container_name = c.name)
        ORDER BY 1, 2`
    ).pipe(Effect.orDie)
    // What a failure needs to be understood: the stored sets and the last metrics interval of those workloads.
    const context = yield* Effect.flatMap(
      SqlClient.SqlClient,
      (s) => s`
        SELECT w.workload_name AS workload, w.containers, m.container_name AS container, max(m.interval_end) AS last_metrics,
               (SELECT max(rs.monitoring_end_time) FROM recommendation_sets rs
                WHERE rs.workload_id = w.id AND rs.container_name = m.container_name) AS stored_end
        FROM workloads w JOIN workload_metrics m ON m.workload_id = w.id
        WHERE w.workload_name = ANY (${withoutSet.map((x) => x.workload)})
        GROUP BY w.id, w.workload_name, w.containers, m.container_name`
    ).pipe(Effect.orDie)
    expect(
      withoutSet,
      `containers without a recommendation set: ${JSON.stringify(context)}; upload: ${JSON.stringify(track)}`
    ).toEqual([])
    expect(yield* count((s) => s<{ n: number }>`SELECT count(*)::int AS n FROM recommendation_sets`)).toBe(
      want.containers
    )
  })
