/**
 * The upstream ROS schema on real PostgreSQL: partitions appear when a workload is written, rows land
 * in the org's half-month partition, the enum sorts in upstream's order, and the retention function
 * drops only partitions older than its date.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { migrations } from "../../../src/migrations/index.js"
import { applyMigrations } from "../../../src/services/Database.js"
import { scratchDatabase } from "../../support/scratchDatabase.js"

const RosScratch = Layer.effectDiscard(applyMigrations(migrations.ros)).pipe(
  Layer.provideMerge(scratchDatabase("ros_schema"))
)

const seedWorkload = (org: string, uploadAt: string, name = "app") =>
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
    const [workload] = yield* sql<{ id: string }>`
      INSERT INTO workloads (org_id, cluster_id, experiment_name, namespace, workload_type, workload_name,
                             containers, metrics_upload_at)
      VALUES (${org}, ${cluster?.id}, ${`${org}|s1|c1|ns|deployment|${name}`}, 'ns', 'deployment', ${name},
              ${["c"]}, ${uploadAt})
      ON CONFLICT (org_id, cluster_id, experiment_name) DO UPDATE SET metrics_upload_at = EXCLUDED.metrics_upload_at
      RETURNING id`
    return workload?.id ?? ""
  })

/** Tables (partitioned or leaf) whose name starts with `prefix`, sorted. */
const tablesNamed = (prefix: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ name: string }>`
      SELECT relname AS name FROM pg_class
      WHERE starts_with(relname, ${prefix}) AND relkind IN ('r', 'p') AND relispartition ORDER BY 1`
  ).pipe(Effect.map((rows) => rows.map((r) => r.name)))

describe("ros schema", () => {
  it.layer(RosScratch)((it) => {
    it.effect("a workload upload creates the org's list partition and two half-month partitions", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const id = yield* seedWorkload("3340851", "2023-06-03T00:45:00Z")
        expect(yield* tablesNamed("workload_metrics")).toEqual([
          "workload_metrics_3340851",
          "workload_metrics_3340851_2023_05_16",
          "workload_metrics_3340851_2023_06_1"
        ])
        expect(yield* tablesNamed("historical_recommendation_sets_3340851")).toEqual([
          "historical_recommendation_sets_3340851",
          "historical_recommendation_sets_3340851_2023_05_16",
          "historical_recommendation_sets_3340851_2023_06_1"
        ])
        yield* sql`
          INSERT INTO workload_metrics (org_id, workload_id, container_name, interval_start, interval_end, usage_metrics)
          VALUES ('3340851', ${id}, 'c', '2023-06-02T00:00:01Z', '2023-06-02T00:15:00Z', '[]')`
        const [row] = yield* sql<{ t: string }>`SELECT tableoid::regclass::text AS t FROM workload_metrics`
        expect(row?.t).toBe("workload_metrics_3340851_2023_06_1")
      })
    )

    it.effect("an upload in the second half of a month creates that half and the first half", () =>
      Effect.gen(function* () {
        yield* seedWorkload("org-two", "2023-12-20T10:00:00Z")
        expect(yield* tablesNamed("workload_metrics_org-two")).toEqual([
          "workload_metrics_org-two",
          "workload_metrics_org-two_2023_12_1",
          "workload_metrics_org-two_2023_12_16"
        ])
      })
    )

    it.effect("a hostile org id stays an identifier, not SQL", () =>
      Effect.gen(function* () {
        const org = `x'); DROP TABLE workloads; --`
        yield* seedWorkload(org, "2023-06-03T00:45:00Z")
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM workloads WHERE org_id = ${org}`
        expect(rows[0]?.n).toBe(1)
      })
    )

    it.effect("workload types sort in upstream's declaration order", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ t: string }>`
          SELECT unnest(ARRAY['statefulset','daemonset','namespace','replicaset']::sorted_workloadtype[]) AS t
          ORDER BY 1`
        expect(rows.map((r) => r.t)).toEqual(["daemonset", "replicaset", "statefulset", "namespace"])
      })
    )

    it.effect("drop_ros_partition drops only range partitions that start before its date", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* seedWorkload("3340851", "2023-07-20T00:00:00Z", "later")
        const [dropped] = yield* sql<{ n: number }>`SELECT drop_ros_partition('2023-06-16') AS n`
        // 2023-05-16 and 2023-06-01 of both parents for org 3340851, plus org-two keeps its December ones.
        expect(dropped?.n).toBeGreaterThanOrEqual(4)
        const left = yield* tablesNamed("workload_metrics_3340851")
        expect(left).toEqual([
          "workload_metrics_3340851",
          "workload_metrics_3340851_2023_07_1",
          "workload_metrics_3340851_2023_07_16"
        ])
        expect(yield* tablesNamed("workload_metrics_org-two_")).toEqual([
          "workload_metrics_org-two_2023_12_1",
          "workload_metrics_org-two_2023_12_16"
        ])
      })
    )
  })
})
