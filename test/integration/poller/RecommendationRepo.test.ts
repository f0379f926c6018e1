/**
 * RecommendationRepo on the real PostgreSQL server of infra/up, with the upstream schema (migrations of `ros`):
 * the engine's answer stored and stored again, history rows, the namespace tables, a workload deleted in between,
 * one transaction per answer, and history rows whose half-month partition is missing.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Either, Layer, Option, Schema } from "effect"
import { GO_ZERO_TIME } from "../../../schema/ros/GoTimeText.js"
import { RecommendationData } from "../../../schema/ros/UpdateRecommendationsAnswer.js"
import { migrations } from "../../../src/migrations/index.js"
import { checkContainerAnswer, checkNamespaceAnswer } from "../../../src/poller/RecommendationAnswer.js"
import { recommendationEntry } from "../../../src/poller/RecommendationEntry.js"
import { RecommendationRepo } from "../../../src/poller/RecommendationRepo.js"
import { refreshDue } from "../../../src/poller/RefreshDue.js"
import { applyMigrations } from "../../../src/services/Database.js"
import { scratchDatabase } from "../../support/scratchDatabase.js"
import { containerAnswer, MAX_END, namespaceAnswer } from "../../unit/poller/EngineAnswers.js"

const Migrated = Layer.effectDiscard(applyMigrations(migrations.ros)).pipe(
  Layer.provideMerge(scratchDatabase("poller_repo"))
)
const RepoLive = RecommendationRepo.Default.pipe(Layer.provideMerge(Migrated))

/** A cluster and one workload, as the processor writes them; the trigger creates the org's partitions. */
const seedWorkload = (org: string, name: string, uploadAt: string, type: "deployment" | "namespace" = "deployment") =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [account] = yield* sql<{ id: string }>`
      INSERT INTO rh_accounts (org_id) VALUES (${org})
      ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id RETURNING id`
    const [cluster] = yield* sql<{ id: string }>`
      INSERT INTO clusters (tenant_id, source_id, cluster_uuid, cluster_alias, last_reported_at)
      VALUES (${account?.id}, 's1', 'c1', 'alias', now())
      ON CONFLICT (tenant_id, source_id, cluster_uuid, cluster_alias) DO UPDATE SET last_reported_at = now()
      RETURNING id`
    const experiment = type === "namespace" ? `${org}|s1|c1|namespace|${name}` : `${org}|s1|c1|shop|deployment|${name}`
    const [workload] = yield* sql<{ id: string }>`
      INSERT INTO workloads (org_id, cluster_id, experiment_name, namespace, workload_type, workload_name,
                             containers, metrics_upload_at)
      VALUES (${org}, ${cluster?.id}, ${experiment}, 'shop', ${type}, ${type === "namespace" ? null : name},
              ${type === "namespace" ? null : ["app"]}, ${uploadAt})
      RETURNING id`
    return Number(workload?.id)
  })

const appEntries = () => {
  const check = Either.getOrThrow(checkContainerAnswer(containerAnswer(), MAX_END))
  return check.valid.map((c) => ({
    containerName: c.containerName,
    entries: c.data.map((d) => recommendationEntry(d))
  }))
}

/** A hand-made entry ending at `end` (engine spelling), with one short-term cost variation. */
const entryAt = (end: string, cpuVariation = -0.5) =>
  recommendationEntry(
    Schema.decodeUnknownSync(RecommendationData)({
      monitoring_end_time: end,
      current: { requests: { cpu: { amount: 1, format: "cores" } } },
      recommendation_terms: {
        short_term: {
          monitoring_start_time: "2026-01-01T00:00:00.000Z",
          recommendation_engines: { cost: { variation: { requests: { cpu: { amount: cpuVariation } } } } }
        }
      }
    })
  )

interface CurrentRow {
  readonly container_name: string
  readonly start: string
  readonly end: string
  readonly json: string
  readonly cpu_request_current: number | null
  readonly memory_request_current: number | null
  readonly cpu_short_cost: number | null
  readonly memory_short_performance: number | null
  readonly cpu_medium_cost: number | null
}

const currentRows = (workloadId: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<CurrentRow>`
      SELECT container_name, to_json(monitoring_start_time) #>> '{}' AS start,
             to_json(monitoring_end_time) #>> '{}' AS end, recommendations::text AS json,
             cpu_request_current::float8 AS cpu_request_current,
             memory_request_current::float8 AS memory_request_current,
             cpu_variation_short_cost_pct::float8 AS cpu_short_cost,
             memory_variation_short_performance_pct::float8 AS memory_short_performance,
             cpu_variation_medium_cost_pct::float8 AS cpu_medium_cost
      FROM recommendation_sets WHERE workload_id = ${workloadId} ORDER BY container_name`
  )

const historyRows = (workloadId: number) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ org_id: string; end: string; json: string; partition: string }>`
      SELECT org_id, to_json(monitoring_end_time) #>> '{}' AS end, recommendations::text AS json,
             tableoid::regclass::text AS partition
      FROM historical_recommendation_sets WHERE workload_id = ${workloadId} ORDER BY monitoring_end_time`
  )

const partitionsOf = (parent: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ name: string }>`
      SELECT relname AS name FROM pg_class
      WHERE relispartition AND starts_with(relname, ${parent}) ORDER BY 1`
  ).pipe(Effect.map((rows) => rows.map((r) => r.name)))

describe("RecommendationRepo on the real database", () => {
  layer(RepoLive, { excludeTestServices: true })((it) => {
    it.effect("workloadState: none for an unknown workload, some(none) before anything is stored", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        expect(yield* repo.workloadState(987654, "container")).toEqual(Option.none())
        const id = yield* seedWorkload("1000001", "fresh", "2026-06-01T11:45:00Z")
        expect(yield* repo.workloadState(id, "container")).toEqual(Option.some(Option.none()))
        expect(yield* repo.workloadState(id, "namespace")).toEqual(Option.some(Option.none()))
      })
    )

    it.effect(
      "stores the engine's answer: current row with its columns, history row, then the refresh is not due",
      () =>
        Effect.gen(function* () {
          const repo = yield* RecommendationRepo
          const id = yield* seedWorkload("1000002", "frontend", "2026-06-01T11:45:00Z")
          const containers = appEntries()
          const report = yield* repo.storeContainer({ orgId: "1000002", workloadId: id, containers })
          expect(report).toEqual({ stored: 1, missingPartitions: 0 })

          const [row, ...others] = yield* currentRows(id)
          expect(others).toEqual([])
          expect(row).toMatchObject({
            container_name: "app",
            start: "2026-05-31T11:45:00+00:00",
            end: "2026-06-01T11:45:00+00:00",
            cpu_request_current: 1.5,
            memory_request_current: 536870912,
            cpu_short_cost: -15.266,
            memory_short_performance: -2.992,
            cpu_medium_cost: null
          })
          expect(JSON.parse(row?.json ?? "null")).toEqual(containers[0]?.entries[0]?.json)

          const history = yield* historyRows(id)
          expect(history.map((h) => [h.org_id, h.end, h.partition])).toEqual([
            ["1000002", "2026-06-01T11:45:00+00:00", "historical_recommendation_sets_1000002_2026_06_1"]
          ])
          expect(JSON.parse(history[0]?.json ?? "null")).toEqual(containers[0]?.entries[0]?.json)

          const state = yield* repo.workloadState(id, "container")
          expect(state).toEqual(Option.some(Option.some(new Date("2026-06-01T11:45:00Z"))))
          expect(refreshDue(MAX_END, Option.flatten(state))).toBe("not_due")
        })
    )

    it.effect("a container left out of the stored answer keeps the workload's refresh due until it has a set", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const sql = yield* SqlClient.SqlClient
        const id = yield* seedWorkload("1000099", "frontend", "2026-06-01T11:45:00Z")
        yield* sql`UPDATE workloads SET containers = ARRAY['app', 'sidecar'] WHERE id = ${id}`
        // The first answer had only `app` (the sidecar's rows of that window came in the next file).
        yield* repo.storeContainer({ orgId: "1000099", workloadId: id, containers: appEntries() })
        const partial = yield* repo.workloadState(id, "container")
        expect(partial).toEqual(Option.some(Option.none()))
        expect(refreshDue(MAX_END, Option.flatten(partial))).toBe("new")
        yield* repo.storeContainer({
          orgId: "1000099",
          workloadId: id,
          containers: [{ containerName: "sidecar", entries: [entryAt("2026-06-01T11:45:00.000Z", -0.5)] }]
        })
        const whole = yield* repo.workloadState(id, "container")
        expect(whole).toEqual(Option.some(Option.some(new Date("2026-06-01T11:45:00Z"))))
        expect(refreshDue(MAX_END, Option.flatten(whole))).toBe("not_due")
      })
    )

    it.effect("storing the same answer again (a redelivered message) leaves the same rows", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const id = yield* seedWorkload("1000003", "frontend", "2026-06-01T11:45:00Z")
        const input = { orgId: "1000003", workloadId: id, containers: appEntries() }
        yield* repo.storeContainer(input)
        const before = yield* currentRows(id)
        expect(yield* repo.storeContainer(input)).toEqual({ stored: 1, missingPartitions: 0 })
        expect(yield* currentRows(id)).toEqual(before)
        expect(yield* historyRows(id)).toHaveLength(1)
      })
    )

    it.effect("a later refresh replaces the current row and adds a history row", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const id = yield* seedWorkload("1000004", "frontend", "2026-06-02T12:00:00Z")
        yield* repo.storeContainer({ orgId: "1000004", workloadId: id, containers: appEntries() })
        const later = entryAt("2026-06-02T11:45:00.000Z", -0.25)
        yield* repo.storeContainer({
          orgId: "1000004",
          workloadId: id,
          containers: [{ containerName: "app", entries: [later] }]
        })
        const rows = yield* currentRows(id)
        expect(rows.map((r) => [r.end, r.cpu_short_cost, r.memory_request_current])).toEqual([
          ["2026-06-02T11:45:00+00:00", -25, 0]
        ])
        expect(JSON.parse(rows[0]?.json ?? "null")).toEqual(later.json)
        expect((yield* historyRows(id)).map((h) => h.end)).toEqual([
          "2026-06-01T11:45:00+00:00",
          "2026-06-02T11:45:00+00:00"
        ])
        expect(yield* repo.workloadState(id, "container")).toEqual(
          Option.some(Option.some(new Date("2026-06-02T11:45:00Z")))
        )
      })
    )

    it.effect("several entries of one container: all in the history, the last one current", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const id = yield* seedWorkload("1000005", "frontend", "2026-06-02T12:00:00Z")
        const entries = [entryAt("2026-06-01T11:45:00.000Z", -0.1), entryAt("2026-06-02T11:45:00.000Z", -0.2)]
        const report = yield* repo.storeContainer({
          orgId: "1000005",
          workloadId: id,
          containers: [
            { containerName: "app", entries },
            { containerName: "sidecar", entries: [entryAt("2026-06-02T11:45:00.000Z", 0.3)] }
          ]
        })
        expect(report.stored).toBe(3)
        expect((yield* currentRows(id)).map((r) => [r.container_name, r.end, r.cpu_short_cost])).toEqual([
          ["app", "2026-06-02T11:45:00+00:00", -20],
          ["sidecar", "2026-06-02T11:45:00+00:00", 30]
        ])
        expect(yield* historyRows(id)).toHaveLength(3)
      })
    )

    it.effect("one transaction: a failing entry stores nothing of the answer", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const id = yield* seedWorkload("1000006", "frontend", "2026-06-01T11:45:00Z")
        const broken = { ...entryAt("2026-06-01T11:45:00.000Z"), monitoringEndTime: "not a time" }
        const error = yield* Effect.flip(
          repo.storeContainer({
            orgId: "1000006",
            workloadId: id,
            containers: [
              { containerName: "app", entries: appEntries()[0]?.entries ?? [] },
              { containerName: "broken", entries: [broken] }
            ]
          })
        )
        expect(error._tag).toBe("RecommendationRepoError")
        expect(yield* currentRows(id)).toEqual([])
        expect(yield* historyRows(id)).toEqual([])
      })
    )

    it.effect("a workload deleted before the store: RecommendationWorkloadGone, nothing written", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const sql = yield* SqlClient.SqlClient
        const id = yield* seedWorkload("1000007", "frontend", "2026-06-01T11:45:00Z")
        yield* sql`DELETE FROM workloads WHERE id = ${id}`
        expect(yield* repo.workloadState(id, "container")).toEqual(Option.none())
        const error = yield* Effect.flip(
          repo.storeContainer({ orgId: "1000007", workloadId: id, containers: appEntries() })
        )
        expect(error._tag).toBe("RecommendationWorkloadGone")
        const namespaceError = yield* Effect.flip(
          repo.storeNamespace({ orgId: "1000007", workloadId: id, namespaceName: "shop", entries: [] })
        )
        expect(namespaceError._tag).toBe("RecommendationWorkloadGone")
        const [count] = yield* sql<{ n: number }>`
          SELECT (SELECT count(*) FROM recommendation_sets WHERE workload_id = ${id})::int
               + (SELECT count(*) FROM historical_recommendation_sets WHERE workload_id = ${id})::int AS n`
        expect(count?.n).toBe(0)
      })
    )

    it.effect("a missing half-month partition is created on demand, and counted", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        // the upload's trigger created 2026-05-16 and 2026-06-01 only
        const id = yield* seedWorkload("1000008", "frontend", "2026-06-01T11:45:00Z")
        const march = entryAt("2026-03-10T11:45:00.000Z")
        const report = yield* repo.storeContainer({
          orgId: "1000008",
          workloadId: id,
          containers: [{ containerName: "app", entries: [march, entryAt("2026-06-01T11:45:00.000Z")] }]
        })
        expect(report).toEqual({ stored: 2, missingPartitions: 1 })
        expect((yield* historyRows(id)).map((h) => h.partition)).toEqual([
          "historical_recommendation_sets_1000008_2026_03_1",
          "historical_recommendation_sets_1000008_2026_06_1"
        ])
        expect(yield* partitionsOf("historical_recommendation_sets_1000008_")).toEqual([
          "historical_recommendation_sets_1000008_2026_02_16",
          "historical_recommendation_sets_1000008_2026_03_1",
          "historical_recommendation_sets_1000008_2026_05_16",
          "historical_recommendation_sets_1000008_2026_06_1"
        ])
        // the second time the partition is there
        expect(
          yield* repo.storeContainer({
            orgId: "1000008",
            workloadId: id,
            containers: [{ containerName: "app", entries: [march] }]
          })
        ).toEqual({ stored: 1, missingPartitions: 0 })
      })
    )

    it.effect("a missing org partition (dropped by retention) is created too, without losing the current row", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const sql = yield* SqlClient.SqlClient
        const id = yield* seedWorkload("1000009", "frontend", "2026-06-01T11:45:00Z")
        yield* sql`DROP TABLE historical_recommendation_sets_1000009`
        const report = yield* repo.storeContainer({ orgId: "1000009", workloadId: id, containers: appEntries() })
        expect(report).toEqual({ stored: 1, missingPartitions: 1 })
        expect(yield* currentRows(id)).toHaveLength(1)
        expect((yield* historyRows(id)).map((h) => h.partition)).toEqual([
          "historical_recommendation_sets_1000009_2026_06_1"
        ])
      })
    )

    it.effect("Go's zero monitoring_end_time round-trips as year 1, so the refresh decision sees zero_time", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const id = yield* seedWorkload("1000010", "frontend", "2026-06-01T11:45:00Z")
        const zero = recommendationEntry(Schema.decodeUnknownSync(RecommendationData)({}))
        expect(zero.monitoringEndTime).toBe(GO_ZERO_TIME)
        const report = yield* repo.storeContainer({
          orgId: "1000010",
          workloadId: id,
          containers: [{ containerName: "app", entries: [zero] }]
        })
        expect(report).toEqual({ stored: 1, missingPartitions: 1 })
        const state = Option.flatten(yield* repo.workloadState(id, "container"))
        expect(Option.map(state, (d) => d.toISOString())).toEqual(Option.some("0001-01-01T00:00:00.000Z"))
        expect(refreshDue(MAX_END, state)).toBe("zero_time")
      })
    )

    it.effect("namespace: current row upserted on the workload, history inserted once per end time", () =>
      Effect.gen(function* () {
        const repo = yield* RecommendationRepo
        const sql = yield* SqlClient.SqlClient
        const id = yield* seedWorkload("1000011", "shop", "2026-06-01T11:45:00Z", "namespace")
        const check = Either.getOrThrow(checkNamespaceAnswer(namespaceAnswer(), MAX_END))
        if (check._tag !== "Valid") throw new Error("expected a valid namespace answer")
        const input = {
          orgId: "1000011",
          workloadId: id,
          namespaceName: check.namespaceName,
          entries: check.data.map((d) => recommendationEntry(d))
        }
        expect(yield* repo.storeNamespace(input)).toEqual({ stored: 1, missingPartitions: 0 })
        expect(yield* repo.storeNamespace(input)).toEqual({ stored: 1, missingPartitions: 0 })
        yield* repo.storeNamespace({ ...input, entries: [entryAt("2026-06-02T11:45:00.000Z")] })

        const rows = yield* sql<{ org_id: string; namespace_name: string; end: string; cpu: number; mem: number }>`
          SELECT org_id, namespace_name, to_json(monitoring_end_time) #>> '{}' AS end,
                 cpu_request_current::float8 AS cpu, memory_variation_short_cost_pct::float8 AS mem
          FROM namespace_recommendation_sets WHERE workload_id = ${id}`
        expect(rows).toEqual([
          { org_id: "1000011", namespace_name: "shop", end: "2026-06-02T11:45:00+00:00", cpu: 1, mem: 0 }
        ])
        const history = yield* sql<{ end: string; json: string }>`
          SELECT to_json(monitoring_end_time) #>> '{}' AS end, recommendations::text AS json
          FROM historical_namespace_recommendation_sets WHERE workload_id = ${id} ORDER BY monitoring_end_time`
        expect(history.map((h) => h.end)).toEqual(["2026-06-01T11:45:00+00:00", "2026-06-02T11:45:00+00:00"])
        expect(JSON.parse(history[0]?.json ?? "null")).toEqual(input.entries[0]?.json)
        expect(yield* repo.workloadState(id, "namespace")).toEqual(
          Option.some(Option.some(new Date("2026-06-02T11:45:00Z")))
        )
      })
    )
  })
})
