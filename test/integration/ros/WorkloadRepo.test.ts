/**
 * The processor's writes on real PostgreSQL, many at once as a runner makes them: the first upload of an org
 * writes its workloads concurrently from several connections while their partitions do not exist yet. The
 * insert trigger creating partitions from each insert would deadlock them; every write must go through.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Layer, Ref } from "effect"
import { migrations } from "../../../src/migrations/index.js"
import { WorkloadRepo } from "../../../src/processor/WorkloadRepo.js"
import { applyMigrations } from "../../../src/services/Database.js"
import { onDatabase, scratchDatabase } from "../../support/scratchDatabase.js"

const RepoScratch = Layer.effectDiscard(applyMigrations(migrations.ros)).pipe(
  Layer.provideMerge(scratchDatabase("workload_repo"))
)

const WRITERS = 3

/** Each writer is its own repo (its own partition cache) on its own 8 connections, as each runner process is. */
const writer = (
  database: string,
  org: string,
  clusterId: number,
  names: ReadonlyArray<string>,
  at: Date,
  ready: Ref.Ref<number>,
  start: Deferred.Deferred<void>
) =>
  Effect.gen(function* () {
    const repo = yield* WorkloadRepo
    // Every connection open before the writes, and every writer starting at once: the race is in the first writes.
    const sql = yield* SqlClient.SqlClient
    yield* Effect.forEach(Array.from({ length: 8 }), () => sql`SELECT pg_sleep(0.05)`, { concurrency: 8 })
    if ((yield* Ref.updateAndGet(ready, (n) => n + 1)) === WRITERS) yield* Deferred.succeed(start, undefined)
    yield* Deferred.await(start)
    // Batches of four workloads, eight batches at a time: many statements of one new org in flight together.
    const batches = Array.from({ length: Math.ceil(names.length / 4) }, (_, i) => names.slice(4 * i, 4 * i + 4))
    const ids = yield* Effect.forEach(
      batches,
      (batch) =>
        Effect.gen(function* () {
          const stored = yield* repo.upsertWorkloads(
            batch.map((name) => ({
              orgId: org,
              clusterId,
              experimentName: `${org}|s|c|ns|deployment|${name}`,
              namespace: "ns",
              workloadType: "deployment",
              workloadName: name,
              containers: ["app"],
              metricsUploadAt: at
            }))
          )
          yield* repo.insertMetrics(
            org,
            [...stored.values()].map((workloadId) => ({
              workloadId,
              kind: "container" as const,
              namespace: "ns",
              containerName: "app",
              intervalStart: new Date(at.getTime() - 900_000),
              intervalEnd: at,
              usageMetrics: {}
            }))
          )
          return [...stored.values()]
        }),
      { concurrency: 8 }
    )
    return ids.flat()
  }).pipe(Effect.provide(WorkloadRepo.Default), (effect) => onDatabase(database, () => effect, 8))

describe("WorkloadRepo on a new org", () => {
  // Without the partitions made first, the writes deadlock over and over: the test then times out.
  it.layer(RepoScratch, { timeout: 60_000 })((it) => {
    it.effect("concurrent first writes of an org create its partitions once and store every row", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const [{ database = "" } = {}] = yield* sql<{ database: string }>`SELECT current_database() AS database`
        const org = "7700001"
        const clusterId = yield* Effect.flatMap(WorkloadRepo, (repo) =>
          repo.upsertCluster({
            orgId: org,
            account: undefined,
            sourceId: "s",
            clusterUuid: "c",
            clusterAlias: "alias"
          })
        ).pipe(Effect.provide(WorkloadRepo.Default))
        const at = new Date("2026-11-20T10:00:00Z")
        const names = Array.from({ length: 48 }, (_, i) => `w${i}`)
        const start = yield* Deferred.make<void>()
        const ready = yield* Ref.make(0)
        // Three writers (as three runners), each eight statements at a time.
        const ids = yield* Effect.all(
          Array.from({ length: WRITERS }, (_, k) =>
            writer(
              database,
              org,
              clusterId,
              names.filter((_, i) => i % WRITERS === k),
              at,
              ready,
              start
            )
          ),
          { concurrency: "unbounded" }
        )
        expect(ids.flat()).toHaveLength(48)
        const [counts] = yield* sql<{ workloads: number; metrics: number }>`
          SELECT (SELECT count(*)::int FROM workloads WHERE org_id = ${org}) AS workloads,
                 (SELECT count(*)::int FROM workload_metrics WHERE org_id = ${org}) AS metrics`
        expect(counts).toEqual({ workloads: 48, metrics: 48 })
        const partitions = yield* sql<{ name: string }>`
          SELECT relname AS name FROM pg_class WHERE relispartition AND relkind IN ('r', 'p') AND relname LIKE ${`%${org}%`} ORDER BY 1`
        expect(partitions.map((p) => p.name)).toEqual([
          `historical_recommendation_sets_${org}`,
          `historical_recommendation_sets_${org}_2026_11_1`,
          `historical_recommendation_sets_${org}_2026_11_16`,
          `workload_metrics_${org}`,
          `workload_metrics_${org}_2026_11_1`,
          `workload_metrics_${org}_2026_11_16`
        ])
      })
    )

    it.effect("a batch: ids by experiment name, upserted again in place; metric rows in several statements, once", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* WorkloadRepo
        const org = "7700002"
        const clusterId = yield* repo.upsertCluster({
          orgId: org,
          account: "acct",
          sourceId: "s",
          clusterUuid: "c2",
          clusterAlias: "alias"
        })
        const first = new Date("2026-11-20T10:00:00Z")
        const rowsAt = (at: Date, containers: ReadonlyArray<string>) => [
          ...Array.from({ length: 60 }, (_, i) => ({
            orgId: org,
            clusterId,
            experimentName: `${org}|s|c2|ns|deployment|w${i}`,
            namespace: "ns",
            workloadType: "deployment",
            workloadName: `w${i}`,
            containers,
            metricsUploadAt: at
          })),
          {
            orgId: org,
            clusterId,
            experimentName: `${org}|s|c2|namespace|ns`,
            namespace: "ns",
            workloadType: "namespace",
            workloadName: null,
            containers: null,
            metricsUploadAt: at
          }
        ]
        const ids = yield* repo.upsertWorkloads(rowsAt(first, ["app"]))
        expect(ids.size).toBe(61)
        const later = new Date("2026-11-21T10:00:00Z")
        const again = yield* repo.upsertWorkloads(rowsAt(later, ["app", "sidecar"]))
        expect(again).toEqual(ids)
        expect(new Set(again.values())).toEqual(new Set(ids.values()))
        const [w0] = yield* sql<{ containers: Array<string>; metrics_upload_at: Date; workload_type: string }>`
          SELECT containers, metrics_upload_at, workload_type::text FROM workloads
          WHERE id = ${ids.get(`${org}|s|c2|ns|deployment|w0`) ?? 0}`
        expect(w0).toEqual({ containers: ["app", "sidecar"], metrics_upload_at: later, workload_type: "deployment" })
        const [ns] = yield* sql<{
          containers: Array<string> | null
          workload_type: string
          workload_name: string | null
        }>`
          SELECT containers, workload_type::text, workload_name FROM workloads
          WHERE id = ${ids.get(`${org}|s|c2|namespace|ns`) ?? 0}`
        expect(ns).toEqual({ containers: null, workload_type: "namespace", workload_name: null })

        // 60 workloads × 96 intervals = 5,760 container rows (two statements) and 96 namespace rows.
        const metrics = [...ids].flatMap(([name, workloadId]) =>
          Array.from({ length: 96 }, (_, i) => {
            const intervalEnd = new Date(first.getTime() + i * 900_000)
            const namespaceRow = name.includes("|namespace|")
            return {
              workloadId,
              kind: namespaceRow ? ("namespace" as const) : ("container" as const),
              namespace: "ns",
              containerName: namespaceRow ? "" : "app",
              intervalStart: new Date(intervalEnd.getTime() - 899_000),
              intervalEnd,
              usageMetrics: [{ name: "cpuUsage", results: { aggregation_info: { sum: `${i}`, format: "cores" } } }]
            }
          })
        )
        yield* repo.insertMetrics(org, metrics)
        yield* repo.insertMetrics(org, metrics)
        const stored = yield* sql<{ metric_type: string; n: number; last: string }>`
          SELECT metric_type::text, count(*)::int AS n,
                 max(usage_metrics -> 0 -> 'results' -> 'aggregation_info' ->> 'sum') FILTER (
                   WHERE interval_end = ${new Date(first.getTime() + 95 * 900_000)}) AS last
          FROM workload_metrics WHERE org_id = ${org} GROUP BY 1 ORDER BY 1`
        expect(stored).toEqual([
          { metric_type: "container", n: 5_760, last: "95" },
          { metric_type: "namespace", n: 96, last: "95" }
        ])
      }).pipe(Effect.provide(WorkloadRepo.Default))
    )

    it.effect("metric rows go by COPY with their text intact; a key twice in one batch keeps its first row", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* WorkloadRepo
        const org = "7700003"
        const clusterId = yield* repo.upsertCluster({
          orgId: org,
          account: undefined,
          sourceId: "s",
          clusterUuid: "c3",
          clusterAlias: "alias"
        })
        // What COPY's text format escapes (backslash, tab, line ends) and what JSON escapes, in names and metrics.
        const awkward = ["tab\tname", "line\nbreak\r\n", "back\\slash \\N", 'quo"te', "ünï ✓"]
        const at = new Date("2026-11-20T10:00:00Z")
        const ids = yield* repo.upsertWorkloads(
          awkward.map((name, i) => ({
            orgId: org,
            clusterId,
            experimentName: `${org}|s|c3|${name}|deployment|w${i}`,
            namespace: name,
            workloadType: "deployment",
            workloadName: `w${i}`,
            containers: [name],
            metricsUploadAt: at
          }))
        )
        const metricsOf = (name: string, sum: string) => [
          { name: "cpuUsage", results: { aggregation_info: { sum, format: "cores", note: name } } }
        ]
        const rows = awkward.map((name, i) => ({
          workloadId: ids.get(`${org}|s|c3|${name}|deployment|w${i}`) ?? 0,
          kind: "container" as const,
          namespace: name,
          containerName: name,
          intervalStart: new Date(at.getTime() - 899_000),
          intervalEnd: at,
          usageMetrics: metricsOf(name, "1")
        }))
        // Upstream's quirk: two images of one container in one interval make two rows of the same key.
        const secondImage = { ...rows[0]!, usageMetrics: metricsOf(awkward[0]!, "2") }
        yield* repo.insertMetrics(org, [...rows, secondImage])
        const stored = yield* sql<{ container_name: string; namespace_name: string; usage_metrics: unknown }>`
          SELECT container_name, namespace_name, usage_metrics FROM workload_metrics
          WHERE org_id = ${org} ORDER BY workload_id`
        expect(stored).toEqual(
          awkward.map((name) => ({ container_name: name, namespace_name: name, usage_metrics: metricsOf(name, "1") }))
        )
      }).pipe(Effect.provide(WorkloadRepo.Default))
    )
  })
})
