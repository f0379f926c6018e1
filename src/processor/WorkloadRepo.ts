/**
 * The processor's writes to the upstream tables (spec ros-ocp-backend §4.1): the account and cluster of an
 * upload, each workload whose experiment the engine accepted, and the usage sent for it. Every write is an
 * upsert or `ON CONFLICT DO NOTHING`, because a persisted entity message may be handled more than once.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schedule } from "effect"

export interface ClusterIdentity {
  readonly orgId: string
  readonly account: string | undefined
  readonly sourceId: string
  readonly clusterUuid: string
  readonly clusterAlias: string
}

export interface WorkloadRow {
  readonly orgId: string
  readonly clusterId: number
  readonly experimentName: string
  readonly namespace: string
  /** `namespace` for namespace experiments */
  readonly workloadType: string
  readonly workloadName: string | null
  readonly containers: ReadonlyArray<string> | null
  /** the latest interval end of the upload */
  readonly metricsUploadAt: Date
}

export interface MetricRow {
  readonly containerName: string
  readonly intervalStart: Date
  readonly intervalEnd: Date
  readonly usageMetrics: unknown
}

/** The first day of the half-month holding `at` (UTC): partitions are per org and half-month (§4.3). */
/**
 * Two writers of one org can race to create the same partition (CREATE TABLE IF NOT EXISTS is not atomic
 * against a concurrent create); the loser's statement fails and simply runs again.
 */
const retryPartitionRace = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.retry(effect, { times: 3, schedule: Schedule.spaced("20 millis") })

const halfMonthOf = (at: Date) =>
  `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}-${at.getUTCDate() > 15 ? "16" : "01"}`

export class WorkloadRepo extends Effect.Service<WorkloadRepo>()("ros/WorkloadRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /** rh_accounts first-or-create, then the cluster row (a changed alias makes a new row, as upstream). */
    const upsertCluster = Effect.fn("WorkloadRepo.upsertCluster")(function* (c: ClusterIdentity) {
      const rows = yield* sql<{ id: string }>`
        WITH account AS (
          INSERT INTO rh_accounts (org_id, account) VALUES (${c.orgId}, ${c.account ?? null})
          ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id
          RETURNING id
        )
        INSERT INTO clusters (tenant_id, source_id, cluster_uuid, cluster_alias, last_reported_at)
        SELECT id, ${c.sourceId}, ${c.clusterUuid}, ${c.clusterAlias}, now() FROM account
        ON CONFLICT (tenant_id, source_id, cluster_uuid, cluster_alias) DO UPDATE SET last_reported_at = now()
        RETURNING id`.pipe(retryPartitionRace)
      return Number(rows[0]?.id)
    })

    /** Containers are replaced, not merged, and metrics_upload_at moves to this upload's (as upstream). */
    const upsertWorkload = Effect.fn("WorkloadRepo.upsertWorkload")(function* (w: WorkloadRow) {
      const rows = yield* sql<{ id: string }>`
        INSERT INTO workloads (org_id, cluster_id, experiment_name, namespace, workload_type, workload_name,
                               containers, metrics_upload_at)
        VALUES (${w.orgId}, ${w.clusterId}, ${w.experimentName}, ${w.namespace},
                ${w.workloadType}::sorted_workloadtype, ${w.workloadName},
                ${w.containers === null ? null : [...w.containers]}::text[], ${w.metricsUploadAt})
        ON CONFLICT (org_id, cluster_id, experiment_name) DO UPDATE SET
          containers = EXCLUDED.containers, metrics_upload_at = EXCLUDED.metrics_upload_at
        RETURNING id`.pipe(retryPartitionRace)
      return Number(rows[0]?.id)
    })

    /**
     * Upstream loses rows older than the upload's previous half-month ("no partition"); we create the
     * partitions the rows need first, so a backfill keeps its history.
     */
    const insertMetrics = Effect.fn("WorkloadRepo.insertMetrics")(function* (
      orgId: string,
      workloadId: number,
      kind: "container" | "namespace",
      namespace: string,
      rows: ReadonlyArray<MetricRow>
    ) {
      if (rows.length === 0) return
      const halves = [...new Set(rows.map((r) => halfMonthOf(r.intervalEnd)))]
      yield* Effect.gen(function* () {
        yield* sql`SELECT create_org_partitions(${orgId}, NULL, 'workload_metrics', 'interval_end')`
        for (const half of halves) {
          yield* sql`SELECT create_monthly_partitions(${half}::timestamptz, ${`workload_metrics_${orgId}`})`
        }
      }).pipe(retryPartitionRace)
      yield* sql`
        INSERT INTO workload_metrics ${sql.insert(
          rows.map((r) => ({
            org_id: orgId,
            workload_id: workloadId,
            container_name: r.containerName,
            interval_start: r.intervalStart,
            interval_end: r.intervalEnd,
            usage_metrics: JSON.stringify(r.usageMetrics),
            namespace_name: namespace,
            metric_type: kind
          }))
        )}
        ON CONFLICT DO NOTHING`
    })

    return { upsertCluster, upsertWorkload, insertMetrics } as const
  })
}) {}
