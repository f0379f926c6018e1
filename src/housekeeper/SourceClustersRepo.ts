/**
 * The SQL of a source's deletion (database `ros`): the experiment names of an org's clusters of one source, and
 * the deletion of those clusters, which cascades to their workloads, metrics and recommendations.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, ParseResult, Schema } from "effect"
import type { SourceScope } from "./DestroyEvent.js"

const Scope = Schema.Struct({ orgId: Schema.String, sourceId: Schema.String })
const ExperimentRow = Schema.Struct({ experiment_name: Schema.String })
const IdRow = Schema.Struct({ id: Schema.String })

/** Rows of our own queries that do not match their schema are a bug, not a passing failure; SqlError stays typed. */
const rowsOrDie = <A, E, R>(query: Effect.Effect<A, E | ParseResult.ParseError, R>) =>
  Effect.catchIf(query, ParseResult.isParseError, (error) => Effect.die(error))

/** How a deletion ended: done, or refused because workloads appeared whose experiments were not deleted yet. */
export type ClustersDeletion =
  | { readonly _tag: "Deleted"; readonly clusters: number }
  | { readonly _tag: "Unseen"; readonly experimentNames: ReadonlyArray<string> }

const deletedClusters = (clusters: number): ClustersDeletion => ({ _tag: "Deleted", clusters })
const unseenExperiments = (experimentNames: ReadonlyArray<string>): ClustersDeletion => ({
  _tag: "Unseen",
  experimentNames
})

export class SourceClustersRepo extends Effect.Service<SourceClustersRepo>()("ros/housekeeper/SourceClustersRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const experimentRows = SqlSchema.findAll({
      Request: Scope,
      Result: ExperimentRow,
      execute: (scope) => sql`
        SELECT w.experiment_name
        FROM workloads w
          JOIN clusters c ON c.id = w.cluster_id
          JOIN rh_accounts a ON a.id = c.tenant_id
        WHERE a.org_id = ${scope.orgId} AND c.source_id = ${scope.sourceId}
        ORDER BY w.id`
    })

    /** Locks the clusters until the transaction ends: a workload cannot be added to them meanwhile. */
    const lockClusters = SqlSchema.findAll({
      Request: Scope,
      Result: IdRow,
      execute: (scope) => sql`
        SELECT c.id::text AS id
        FROM clusters c JOIN rh_accounts a ON a.id = c.tenant_id
        WHERE a.org_id = ${scope.orgId} AND c.source_id = ${scope.sourceId}
        ORDER BY c.id
        FOR UPDATE OF c`
    })

    const experimentsOfClusters = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: ExperimentRow,
      execute: (ids) => sql`SELECT experiment_name FROM workloads WHERE ${sql.in("cluster_id", ids)}`
    })

    const deleteByIds = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: IdRow,
      execute: (ids) => sql`DELETE FROM clusters WHERE ${sql.in("id", ids)} RETURNING id::text AS id`
    })

    /** The experiment names of the org's workloads on clusters of the source. */
    const experimentNames = Effect.fn("SourceClustersRepo.experimentNames")(function* (scope: SourceScope) {
      yield* Effect.annotateCurrentSpan({ orgId: scope.orgId, sourceId: scope.sourceId })
      return (yield* rowsOrDie(experimentRows(scope))).map((row) => row.experiment_name)
    })

    /**
     * Deletes the org's clusters of the source, unless one of their workloads has an experiment outside
     * `deletedExperiments` (added since the names were read): then nothing is deleted and those names come back,
     * so the caller deletes them in the engine first and no experiment is left behind.
     */
    const deleteClusters = Effect.fn("SourceClustersRepo.deleteClusters")(function* (
      scope: SourceScope,
      deletedExperiments: ReadonlySet<string>
    ) {
      yield* Effect.annotateCurrentSpan({ orgId: scope.orgId, sourceId: scope.sourceId })
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          const ids = (yield* rowsOrDie(lockClusters(scope))).map((row) => row.id)
          if (ids.length === 0) return deletedClusters(0)
          const names = yield* rowsOrDie(experimentsOfClusters(ids))
          const unseen = names.map((row) => row.experiment_name).filter((name) => !deletedExperiments.has(name))
          if (unseen.length > 0) return unseenExperiments(unseen)
          const deleted = yield* rowsOrDie(deleteByIds(ids))
          return deletedClusters(deleted.length)
        })
      )
    })

    return { experimentNames, deleteClusters } as const
  })
}) {}
