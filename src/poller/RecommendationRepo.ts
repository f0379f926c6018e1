/**
 * The poller's reads and writes in database `ros` (spec ros-ocp-backend §3.8 steps 2 and 7, §4.1):
 * - `workloadState`: whether the workload still exists (the housekeeper may have deleted it) and the
 *   `monitoring_end_time` of its stored recommendation, which decides whether a refresh is due;
 * - `storeContainer` / `storeNamespace`: one transaction per answer, as upstream: every valid entry upserts the
 *   current row (`recommendation_sets` on workload_id + container_name, `namespace_recommendation_sets` on
 *   workload_id) and writes its history row (`historical_recommendation_sets` upserted on org + workload +
 *   container + monitoring_end_time, `historical_namespace_recommendation_sets` inserted ON CONFLICT DO NOTHING).
 *   Storing the same answer twice leaves the same rows.
 *
 * Deliberate differences from upstream:
 * - The workload row is locked (FOR KEY SHARE) before writing; when it is gone the store fails with
 *   `RecommendationWorkloadGone` and writes nothing, instead of a foreign-key error, and a concurrent delete waits
 *   for the transaction instead of racing it.
 * - A history row whose half-month partition is missing (the retention job dropped it, or the upload that created
 *   it was older) gets its org and half-month partitions created on demand with the migration's
 *   `create_org_partitions`, then is written; upstream counts `rosocp_partition__missing_error_total` and loses the
 *   whole transaction. The count of such rows is returned, for the same metric.
 * - "The first" stored recommendation is the one with the latest `monitoring_end_time`, not the one with the
 *   smallest random uuid (GORM's `First`), so a stale row of a vanished container cannot force refreshes.
 * - A container workload counts as having nothing stored while one of its current containers (`workloads.containers`)
 *   has no set: its first stored answer may have left that container out (its data for that time arrived in the
 *   next file of the upload, split inside a 15-minute window), and upstream would then wait for the next daily
 *   refresh before storing it; here the next message of the workload refreshes it.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option, Schema } from "effect"
import type { RecommendationColumns } from "./RecommendationColumns.js"
import type { RecommendationEntry } from "./RecommendationEntry.js"

/** The workload row was deleted before the recommendation could be stored: nothing was written. */
export class RecommendationWorkloadGone extends Schema.TaggedError<RecommendationWorkloadGone>()(
  "RecommendationWorkloadGone",
  { workloadId: Schema.Number }
) {}

/** The database refused or could not run a poller statement (worth a retry later). */
export class RecommendationRepoError extends Schema.TaggedError<RecommendationRepoError>()("RecommendationRepoError", {
  operation: Schema.String,
  workloadId: Schema.Number,
  cause: Schema.Defect
}) {}

export type RecommendationKind = "container" | "namespace"

export interface ContainerRecommendations {
  readonly orgId: string
  readonly workloadId: number
  readonly containers: ReadonlyArray<{
    readonly containerName: string
    /** stored in this order, so the last one is what `recommendation_sets` keeps */
    readonly entries: ReadonlyArray<RecommendationEntry>
  }>
}

export interface NamespaceRecommendations {
  readonly orgId: string
  readonly workloadId: number
  readonly namespaceName: string
  /** stored in this order, so the last one is what `namespace_recommendation_sets` keeps */
  readonly entries: ReadonlyArray<RecommendationEntry>
}

export interface StoreReport {
  /** entries written (each one current row and one history row) */
  readonly stored: number
  /** history rows that found no partition and got one created (upstream's partition-missing metric) */
  readonly missingPartitions: number
}

const NUMERIC_COLUMNS: ReadonlyArray<keyof RecommendationColumns> = [
  "cpu_request_current",
  "memory_request_current",
  "cpu_variation_short_cost_pct",
  "cpu_variation_short_performance_pct",
  "cpu_variation_medium_cost_pct",
  "cpu_variation_medium_performance_pct",
  "cpu_variation_long_cost_pct",
  "cpu_variation_long_performance_pct",
  "memory_variation_short_cost_pct",
  "memory_variation_short_performance_pct",
  "memory_variation_medium_cost_pct",
  "memory_variation_medium_performance_pct",
  "memory_variation_long_cost_pct",
  "memory_variation_long_performance_pct"
]

/** PostgreSQL found no partition for the row (SQLSTATE 23514, "no partition of relation … found for row"). */
export const isMissingPartition = (error: SqlError): boolean => {
  const cause: unknown = error.cause
  return (
    typeof cause === "object" &&
    cause !== null &&
    "code" in cause &&
    cause.code === "23514" &&
    "message" in cause &&
    String(cause.message).includes("no partition")
  )
}

const StateRow = Schema.Struct({ end_ms: Schema.NullOr(Schema.Number) })

export class RecommendationRepo extends Effect.Service<RecommendationRepo>()("ros/poller/RecommendationRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    // a SqlError, or a ParseError when a row does not have the shape the query promises
    const failed = (operation: string, workloadId: number) => (cause: unknown) =>
      new RecommendationRepoError({ operation, workloadId, cause })

    const numericNames = sql.literal(NUMERIC_COLUMNS.join(", "))
    const numericValues = (columns: RecommendationColumns) => sql.csv(NUMERIC_COLUMNS.map((c) => sql`${columns[c]}`))
    const numericUpdates = sql.literal(NUMERIC_COLUMNS.map((c) => `${c} = EXCLUDED.${c}`).join(", "))

    const findState = (kind: RecommendationKind) =>
      SqlSchema.findOne({
        Request: Schema.Number,
        Result: StateRow,
        // epoch milliseconds as float8: exact for every date PostgreSQL and Date share, year 1 included
        execute: (workloadId) => {
          const latest = sql`(
            SELECT (extract(epoch FROM r.monitoring_end_time) * 1000)::float8
            FROM ${sql(kind === "container" ? "recommendation_sets" : "namespace_recommendation_sets")} r
            WHERE r.workload_id = w.id
            ORDER BY r.monitoring_end_time DESC
            LIMIT 1
          )`
          // A container of the workload without a stored set counts as nothing stored (see the header).
          return kind === "container"
            ? sql`
              SELECT CASE WHEN EXISTS (
                SELECT 1 FROM unnest(coalesce(w.containers, '{}'::text[])) AS c(name)
                WHERE NOT EXISTS (SELECT 1 FROM recommendation_sets s WHERE s.workload_id = w.id AND s.container_name = c.name)
              ) THEN NULL ELSE ${latest} END AS end_ms
              FROM workloads w WHERE w.id = ${workloadId}`
            : sql`SELECT ${latest} AS end_ms FROM workloads w WHERE w.id = ${workloadId}`
        }
      })

    /**
     * None when the workload row no longer exists; otherwise the `monitoring_end_time` of its stored
     * recommendation (the latest one of a container workload), none when nothing is stored yet.
     */
    const workloadState = Effect.fn("RecommendationRepo.workloadState")(
      function* (workloadId: number, kind: RecommendationKind) {
        yield* Effect.annotateCurrentSpan({ workloadId, kind })
        const row = yield* findState(kind)(workloadId)
        return Option.map(row, (r) => Option.map(Option.fromNullable(r.end_ms), (ms) => new Date(ms)))
      },
      (effect, workloadId) =>
        Effect.catchTags(effect, {
          SqlError: failed("workloadState", workloadId),
          ParseError: failed("workloadState", workloadId)
        })
    )

    /** Holds the workload row until commit, so the housekeeper's delete waits; fails when it is already gone. */
    const lockWorkload = (workloadId: number) =>
      sql`SELECT id FROM workloads WHERE id = ${workloadId} FOR KEY SHARE`.pipe(
        Effect.filterOrFail(
          (rows) => rows.length === 1,
          () => new RecommendationWorkloadGone({ workloadId })
        )
      )

    /** Runs `write` in a savepoint; on a missing partition creates the org's partitions around `endTime`, retries. */
    const withPartition = (orgId: string, endTime: string, parent: string, write: Effect.Effect<unknown, SqlError>) =>
      sql.withTransaction(write).pipe(
        Effect.as(0),
        Effect.catchIf(isMissingPartition, () =>
          sql`SELECT create_org_partitions(${orgId}, ${endTime}::timestamptz, ${parent}, 'monitoring_end_time')`.pipe(
            Effect.zipRight(write),
            Effect.as(1)
          )
        )
      )

    const storeContainerEntry = (orgId: string, workloadId: number, containerName: string, e: RecommendationEntry) => {
      const json = JSON.stringify(e.json)
      const current = sql`
        INSERT INTO recommendation_sets (workload_id, container_name, monitoring_start_time, monitoring_end_time,
                                         recommendations, updated_at, ${numericNames})
        VALUES (${workloadId}, ${containerName}, ${e.monitoringStartTime}::timestamptz,
                ${e.monitoringEndTime}::timestamptz, ${json}::jsonb, now(), ${numericValues(e.columns)})
        ON CONFLICT (workload_id, container_name) DO UPDATE SET
          monitoring_start_time = EXCLUDED.monitoring_start_time,
          monitoring_end_time = EXCLUDED.monitoring_end_time,
          recommendations = EXCLUDED.recommendations,
          updated_at = EXCLUDED.updated_at,
          ${numericUpdates}`
      const history = sql`
        INSERT INTO historical_recommendation_sets (org_id, workload_id, container_name, monitoring_start_time,
                                                    monitoring_end_time, recommendations, updated_at)
        VALUES (${orgId}, ${workloadId}, ${containerName}, ${e.monitoringStartTime}::timestamptz,
                ${e.monitoringEndTime}::timestamptz, ${json}::jsonb, now())
        ON CONFLICT (org_id, workload_id, container_name, monitoring_end_time) DO UPDATE SET
          monitoring_start_time = EXCLUDED.monitoring_start_time,
          monitoring_end_time = EXCLUDED.monitoring_end_time,
          recommendations = EXCLUDED.recommendations,
          updated_at = EXCLUDED.updated_at`
      return current.pipe(
        Effect.zipRight(withPartition(orgId, e.monitoringEndTime, "historical_recommendation_sets", history))
      )
    }

    /** Every entry of every valid container of one answer, in one transaction. */
    const storeContainer = Effect.fn("RecommendationRepo.storeContainer")(
      function* (input: ContainerRecommendations) {
        yield* Effect.annotateCurrentSpan({ orgId: input.orgId, workloadId: input.workloadId })
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* lockWorkload(input.workloadId)
            let stored = 0
            let missingPartitions = 0
            for (const container of input.containers) {
              for (const entry of container.entries) {
                missingPartitions += yield* storeContainerEntry(
                  input.orgId,
                  input.workloadId,
                  container.containerName,
                  entry
                )
                stored += 1
              }
            }
            return { stored, missingPartitions } satisfies StoreReport
          })
        )
      },
      (effect, input) => Effect.catchTag(effect, "SqlError", failed("storeContainer", input.workloadId))
    )

    const storeNamespaceEntry = (input: NamespaceRecommendations, e: RecommendationEntry) => {
      const json = JSON.stringify(e.json)
      const current = sql`
        INSERT INTO namespace_recommendation_sets (org_id, workload_id, namespace_name, monitoring_start_time,
                                                   monitoring_end_time, recommendations, updated_at, ${numericNames})
        VALUES (${input.orgId}, ${input.workloadId}, ${input.namespaceName}, ${e.monitoringStartTime}::timestamptz,
                ${e.monitoringEndTime}::timestamptz, ${json}::jsonb, now(), ${numericValues(e.columns)})
        ON CONFLICT (workload_id) DO UPDATE SET
          monitoring_start_time = EXCLUDED.monitoring_start_time,
          monitoring_end_time = EXCLUDED.monitoring_end_time,
          recommendations = EXCLUDED.recommendations,
          updated_at = EXCLUDED.updated_at,
          ${numericUpdates}`
      const history = sql`
        INSERT INTO historical_namespace_recommendation_sets (org_id, workload_id, namespace_name,
                                                              monitoring_start_time, monitoring_end_time,
                                                              recommendations, updated_at)
        VALUES (${input.orgId}, ${input.workloadId}, ${input.namespaceName}, ${e.monitoringStartTime}::timestamptz,
                ${e.monitoringEndTime}::timestamptz, ${json}::jsonb, now())
        ON CONFLICT (org_id, workload_id, monitoring_end_time) DO NOTHING`
      return Effect.zipRight(current, history)
    }

    /** Every entry of a valid namespace answer, in one transaction (the history table is not partitioned). */
    const storeNamespace = Effect.fn("RecommendationRepo.storeNamespace")(
      function* (input: NamespaceRecommendations) {
        yield* Effect.annotateCurrentSpan({ orgId: input.orgId, workloadId: input.workloadId })
        return yield* sql.withTransaction(
          Effect.gen(function* () {
            yield* lockWorkload(input.workloadId)
            for (const entry of input.entries) yield* storeNamespaceEntry(input, entry)
            return { stored: input.entries.length, missingPartitions: 0 } satisfies StoreReport
          })
        )
      },
      (effect, input) => Effect.catchTag(effect, "SqlError", failed("storeNamespace", input.workloadId))
    )

    return { workloadState, storeContainer, storeNamespace } as const
  })
}) {}
