/**
 * The partition job on real PostgreSQL, on a throw-away `ros` database with upstream's schema: when it runs, the
 * half-month partitions of workload_metrics and historical_recommendation_sets that start before the cutoff of
 * DATA_RETENTION_PERIOD are dropped, in every org, with their rows; the recent ones, and their rows, stay.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { PartitionRepo } from "../../../src/housekeeper/PartitionRepo.js"
import { PartitionRetention } from "../../../src/housekeeper/PartitionRetention.js"
import { partitionCutoff } from "../../../src/housekeeper/RetentionDate.js"
import { migrations } from "../../../src/migrations/index.js"
import { applyMigrations } from "../../../src/services/Database.js"
import { scratchDatabase } from "../../support/scratchDatabase.js"
import { eventually, newOrg } from "./housekeeperHarness.js"

const RosScratch = Layer.effectDiscard(applyMigrations(migrations.ros)).pipe(
  Layer.provideMerge(scratchDatabase("ros_partitions"))
)

const DAY = 86_400_000

/** A workload whose upload ended `daysAgo` days ago, with one usage row then: its two half-month partitions appear. */
const seedUpload = (orgId: string, daysAgo: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const at = new Date(Date.now() - daysAgo * DAY)
    const [account] = yield* sql<{ id: string }>`
      INSERT INTO rh_accounts (org_id) VALUES (${orgId})
      ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id RETURNING id::text AS id`
    const [cluster] = yield* sql<{ id: string }>`
      INSERT INTO clusters (tenant_id, source_id, cluster_uuid, cluster_alias)
      VALUES (${account?.id ?? ""}, '1', ${crypto.randomUUID()}, 'alias') RETURNING id::text AS id`
    const [workload] = yield* sql<{ id: string }>`
      INSERT INTO workloads (org_id, cluster_id, experiment_name, namespace, workload_type, workload_name,
                             containers, metrics_upload_at)
      VALUES (${orgId}, ${cluster?.id ?? ""}, ${`${orgId}|1|c|ns|deployment|w${daysAgo}`}, 'ns', 'deployment',
              ${`w${daysAgo}`}, ${["app"]}, ${at})
      RETURNING id::text AS id`
    yield* sql`
      INSERT INTO workload_metrics (org_id, workload_id, container_name, interval_start, interval_end, usage_metrics)
      VALUES (${orgId}, ${workload?.id ?? ""}, 'app', ${new Date(at.getTime() - 15 * 60_000)}, ${at}, '[]')`
    yield* sql`
      INSERT INTO historical_recommendation_sets (org_id, workload_id, container_name, monitoring_start_time,
                                                  monitoring_end_time, recommendations, updated_at)
      VALUES (${orgId}, ${workload?.id ?? ""}, 'app', ${new Date(at.getTime() - DAY)}, ${at}, '{}', now())`
  })

/** The leaf range partitions and the lower bound of each, as `YYYY-MM-DD`. */
const leafPartitions = Effect.flatMap(
  SqlClient.SqlClient,
  (sql) => sql<{ name: string; lower: string }>`
    SELECT c.relname AS name, substring(pg_get_expr(c.relpartbound, c.oid) FROM '''([0-9-]+)') AS lower
    FROM pg_class c
    WHERE c.relispartition AND c.relkind = 'r' AND pg_get_expr(c.relpartbound, c.oid) LIKE 'FOR VALUES FROM%'
    ORDER BY 1`
)

const rowsOf = (table: "workload_metrics" | "historical_recommendation_sets", orgId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql(table)} WHERE org_id = ${orgId}`
  ).pipe(Effect.map((rows) => rows[0]?.n ?? 0))

describe("housekeeper: partition retention", () => {
  layer(RosScratch, { excludeTestServices: true })((it) => {
    it.effect("drops only the partitions older than the retention period, with their rows", () =>
      Effect.gen(function* () {
        const oldOrg = newOrg()
        const mixedOrg = newOrg()
        yield* seedUpload(oldOrg, 90)
        yield* seedUpload(mixedOrg, 60)
        yield* seedUpload(mixedOrg, 0)
        const before = yield* leafPartitions
        expect(before.length).toBeGreaterThanOrEqual(8)
        const cutoff = partitionCutoff(Date.now(), 15)
        const kept = before.filter((p) => p.lower >= cutoff)
        // Today's upload made two partitions per table, both at or after the cutoff.
        expect(kept).toHaveLength(4)

        const sql = yield* SqlClient.SqlClient
        const job = PartitionRetention.pipe(
          Layer.provide(PartitionRepo.Default),
          Layer.provide(Layer.succeed(SqlClient.SqlClient, sql)),
          Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["DATA_RETENTION_PERIOD", "15"]]))))
        )
        yield* Effect.scoped(
          Effect.gen(function* () {
            yield* Layer.build(job)
            yield* eventually(
              "the old partitions dropped",
              Effect.map(leafPartitions, (now) => now.length === kept.length)
            )
          })
        )

        expect(yield* leafPartitions).toEqual(kept)
        expect(yield* rowsOf("workload_metrics", oldOrg)).toBe(0)
        expect(yield* rowsOf("historical_recommendation_sets", oldOrg)).toBe(0)
        expect(yield* rowsOf("workload_metrics", mixedOrg)).toBe(1)
        expect(yield* rowsOf("historical_recommendation_sets", mixedOrg)).toBe(1)
      })
    )
  })
})
