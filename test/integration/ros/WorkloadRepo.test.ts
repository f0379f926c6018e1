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
    return yield* Effect.forEach(
      names,
      (name) =>
        Effect.gen(function* () {
          const id = yield* repo.upsertWorkload({
            orgId: org,
            clusterId,
            experimentName: `${org}|s|c|ns|deployment|${name}`,
            namespace: "ns",
            workloadType: "deployment",
            workloadName: name,
            containers: ["app"],
            metricsUploadAt: at
          })
          yield* repo.insertMetrics(org, id, "container", "ns", [
            { containerName: "app", intervalStart: new Date(at.getTime() - 900_000), intervalEnd: at, usageMetrics: {} }
          ])
          return id
        }),
      { concurrency: 8 }
    )
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
  })
})
