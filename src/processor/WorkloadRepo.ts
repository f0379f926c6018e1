/**
 * The processor's writes to the upstream tables (spec ros-ocp-backend §4.1): the account and cluster of an
 * upload, its workloads and their usage, a batch of experiments per statement. Every write is an upsert or
 * `ON CONFLICT DO NOTHING`, because a file whose ingestion a crash cut short is read and written again.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import { Effect, Predicate, Schedule } from "effect"
import { CopyFrom, copyField } from "../services/database/CopyFrom.js"

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

/** One container (namespace experiments: the namespace, with container name "") over one interval. */
export interface MetricRow {
  readonly workloadId: number
  readonly kind: "container" | "namespace"
  readonly namespace: string
  readonly containerName: string
  readonly intervalStart: Date
  readonly intervalEnd: Date
  readonly usageMetrics: unknown
}

/** About 4 MB per COPY or statement (a container row is ~900 bytes). */
const METRIC_ROWS_PER_STATEMENT = 4_000

/** The advisory lock every creator of ros partitions of this database takes. */
const PARTITION_CREATION_LOCK = "ros-ocp/processor/create_partitions"

/**
 * Two writers of one org can race to create the same partition (CREATE TABLE IF NOT EXISTS is not atomic
 * against a concurrent create); the loser's statement fails and simply runs again.
 */
const retryPartitionRace = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.retry(effect, { times: 3, schedule: Schedule.spaced("20 millis") })

/** PostgreSQL's unique_violation: COPY met a row already stored. */
const isUniqueViolation = (error: SqlError.SqlError) =>
  Predicate.hasProperty(error.cause, "code") && error.cause.code === "23505"

const COPY_METRICS = `COPY workload_metrics (org_id, workload_id, container_name, interval_start, interval_end,
  usage_metrics, namespace_name, metric_type) FROM STDIN`

/** PostgreSQL's check_violation, which is what an insert into a partitioned table without a partition gets. */
const isNoPartition = (error: SqlError.SqlError) =>
  Predicate.hasProperty(error.cause, "code") && error.cause.code === "23514"

/** The first day of the half-month holding `at` (UTC): partitions are per org and half-month (§4.3). */
const halfMonthOf = (at: Date) =>
  `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}-${at.getUTCDate() > 15 ? "16" : "01"}`

export class WorkloadRepo extends Effect.Service<WorkloadRepo>()("ros/WorkloadRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const copy = yield* CopyFrom

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

    /**
     * Containers are replaced, not merged, and metrics_upload_at moves to this upload's (as upstream). One
     * statement for the batch: its rows go as one JSON document unpacked by `jsonb_to_recordset`, one parameter
     * and one statement text whatever their number. The experiment names of a batch are distinct (one per
     * workload of a file), as one statement may not update a row twice. Returns the ids by experiment name.
     */
    const upsertWorkloads = Effect.fn("WorkloadRepo.upsertWorkloads")(function* (
      workloads: ReadonlyArray<WorkloadRow>
    ) {
      const ids = new Map<string, number>()
      if (workloads.length === 0) return ids
      // The insert trigger finds the partitions it would create already there, so it takes no lock.
      for (const orgId of new Set(workloads.map((w) => w.orgId))) {
        const halves = workloads.filter((w) => w.orgId === orgId).map((w) => halfMonthOf(w.metricsUploadAt))
        yield* ensurePartitions(orgId, [...new Set(halves)])
      }
      const document = JSON.stringify(
        workloads.map((w) => ({
          o: w.orgId,
          c: w.clusterId,
          x: w.experimentName,
          n: w.namespace,
          t: w.workloadType,
          w: w.workloadName,
          k: w.containers,
          u: w.metricsUploadAt
        }))
      )
      const rows = yield* sql<{ id: string; experiment_name: string }>`
        INSERT INTO workloads (org_id, cluster_id, experiment_name, namespace, workload_type, workload_name,
                               containers, metrics_upload_at)
        SELECT r.o, r.c, r.x, r.n, r.t::sorted_workloadtype, r.w, r.k, r.u
        FROM jsonb_to_recordset(${document}::jsonb)
          AS r(o text, c bigint, x text, n text, t text, w text, k text[], u timestamptz)
        ON CONFLICT (org_id, cluster_id, experiment_name) DO UPDATE SET
          containers = EXCLUDED.containers, metrics_upload_at = EXCLUDED.metrics_upload_at
        RETURNING id, experiment_name`.pipe(retryPartitionRace)
      for (const row of rows) ids.set(row.experiment_name, Number(row.id))
      return ids
    })

    /**
     * The half-months whose partitions this process has made sure of, per org (`org|YYYY-MM-DD`): the org's
     * partitions of workload_metrics and historical_recommendation_sets for that half-month and the one before,
     * what the workloads insert trigger would create. Only a cache: the partition job may drop one since (it drops
     * old ones), and an insert that finds no partition clears the org's entries and makes sure again.
     */
    const ensured = new Set<string>()

    /**
     * Partitions are created one creator at a time, before any row needs them. Creating a partition of a table
     * whose rows reference workloads locks workloads against inserts; two first uploads' inserts creating the
     * same org's partitions from the trigger each hold what the other waits for (a deadlock, again on retry).
     */
    const ensurePartitions = (orgId: string, halves: ReadonlyArray<string>) =>
      Effect.gen(function* () {
        const missing = halves.filter((half) => !ensured.has(`${orgId}|${half}`))
        if (missing.length === 0) return
        yield* sql
          .withTransaction(
            Effect.gen(function* () {
              yield* sql`SELECT pg_advisory_xact_lock(hashtext(${PARTITION_CREATION_LOCK}))`
              for (const half of missing) {
                // Midnight UTC whatever the session's time zone: the functions take the day in UTC.
                const day = `${half}T00:00:00Z`
                yield* sql`SELECT create_org_partitions(${orgId}, ${day}::timestamptz, 'workload_metrics', 'interval_end')`
                yield* sql`SELECT create_org_partitions(${orgId}, ${day}::timestamptz,
                                                        'historical_recommendation_sets', 'monitoring_end_time')`
              }
            })
          )
          .pipe(retryPartitionRace)
        for (const half of missing) ensured.add(`${orgId}|${half}`)
      })

    const forgetPartitions = (orgId: string) =>
      Effect.sync(() => {
        for (const key of ensured) if (key.startsWith(`${orgId}|`)) ensured.delete(key)
      })

    /**
     * The rows without a second row for one key: a container named twice in one interval of a workload (two
     * images, upstream's quirk) keeps its first row, as upstream's insert does; left in, it would make a whole
     * COPY fail.
     */
    const firstOfEachKey = (rows: ReadonlyArray<MetricRow>) => {
      const keys = new Set<string>()
      return rows.filter((r) => {
        const key = `${r.workloadId} ${r.intervalStart.getTime()} ${r.intervalEnd.getTime()} ${r.containerName}`
        if (keys.has(key)) return false
        keys.add(key)
        return true
      })
    }

    /** Rows as COPY's text format, in the column order of COPY_METRICS; the metrics are the JSON the engine is sent. */
    const copyRows = (orgId: string, rows: ReadonlyArray<MetricRow>) => {
      const org = copyField(orgId)
      const times = new Map<number, string>()
      const timeOf = (at: Date) => {
        const ms = at.getTime()
        let text = times.get(ms)
        if (text === undefined) {
          text = at.toISOString()
          times.set(ms, text)
        }
        return text
      }
      let text = ""
      for (const r of rows) {
        text +=
          `${org}\t${r.workloadId}\t${copyField(r.containerName)}\t${timeOf(r.intervalStart)}\t` +
          `${timeOf(r.intervalEnd)}\t${copyField(JSON.stringify(r.usageMetrics))}\t${copyField(r.namespace)}\t` +
          `${r.kind}\n`
      }
      return text
    }

    /** One statement that skips rows already stored; what a batch goes as when COPY meets one. */
    const insertSkippingStored = (orgId: string, rows: ReadonlyArray<MetricRow>) => {
      const document = JSON.stringify(
        rows.map((r) => ({
          w: r.workloadId,
          k: r.kind,
          n: r.namespace,
          c: r.containerName,
          s: r.intervalStart,
          e: r.intervalEnd,
          m: r.usageMetrics
        }))
      )
      return sql`
        INSERT INTO workload_metrics (org_id, workload_id, container_name, interval_start, interval_end,
                                      usage_metrics, namespace_name, metric_type)
        SELECT ${orgId}, r.w, r.c, r.s, r.e, r.m, r.n, r.k::metrictype
        FROM jsonb_to_recordset(${document}::jsonb)
          AS r(w bigint, k text, n text, c text, s timestamptz, e timestamptz, m jsonb)
        ON CONFLICT DO NOTHING`
    }

    /**
     * Upstream loses rows older than the upload's previous half-month ("no partition"); we create the
     * partitions the rows need first, so a backfill keeps its history. Rows go by COPY, METRIC_ROWS_PER_STATEMENT
     * at a time, on a connection of their own (not inside a caller's transaction). COPY has no ON CONFLICT: a
     * batch that meets a stored row (a file ingested again) is stored again by one insert that skips the rows
     * already there.
     */
    const insertMetrics = Effect.fn("WorkloadRepo.insertMetrics")(function* (
      orgId: string,
      rows: ReadonlyArray<MetricRow>
    ) {
      if (rows.length === 0) return
      const halves = [...new Set(rows.map((r) => halfMonthOf(r.intervalEnd)))]
      yield* ensurePartitions(orgId, halves)
      const unique = firstOfEachKey(rows)
      for (let from = 0; from < unique.length; from += METRIC_ROWS_PER_STATEMENT) {
        const batch = unique.slice(from, from + METRIC_ROWS_PER_STATEMENT)
        const store = copy
          .copyFrom(COPY_METRICS, copyRows(orgId, batch))
          .pipe(Effect.catchIf(isUniqueViolation, () => insertSkippingStored(orgId, batch)))
        yield* store.pipe(
          Effect.catchIf(isNoPartition, () =>
            forgetPartitions(orgId).pipe(Effect.zipRight(ensurePartitions(orgId, halves)), Effect.zipRight(store))
          )
        )
      }
    })

    return { upsertCluster, upsertWorkloads, insertMetrics } as const
  })
}) {}
