/**
 * EngineExperiment: one recommendation-engine experiment (id = experiment name). The engine's HTTP
 * endpoints route every write and every recommendation to it, so one experiment is handled in order,
 * from its in-memory window of results; PostgreSQL (database `kruize`) holds the truth.
 */
import { Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"
import { ExperimentDefinition } from "../schema/kruize/Experiment.js"
import { ExperimentAlreadyExists, ExperimentNotFound, NoMetricsAvailable } from "../schema/kruize/KruizeError.js"
import { FailedResultRecord } from "../schema/kruize/KruizeResponse.js"
import type { ResultRecord } from "../schema/kruize/Results.js"

/** PostgreSQL could not be read or written: the request may be retried. */
export class EngineStorageFailure extends Schema.TaggedError<EngineStorageFailure>()("EngineStorageFailure", {
  operation: Schema.String,
  message: Schema.String
}) {}

/**
 * A record the HTTP layer has already decoded with `ResultRecord`. Inside the cluster it is only checked
 * to be an object: the RPC client validates every payload it sends, and re-validating 100 records per
 * request against the full schema cost more than a sixth of the engine's CPU. Between runners the record
 * travels as plain JSON-like data.
 */
const DecodedResultRecord = Schema.declare(
  (u: unknown): u is ResultRecord => typeof u === "object" && u !== null && !Array.isArray(u),
  { identifier: "DecodedResultRecord" }
)

/** A record of an /updateResults request with its position in that request. */
export const IndexedRecord = Schema.Struct({ index: Schema.Int, record: DecodedResultRecord })
export type IndexedRecord = typeof IndexedRecord.Type

export const AddResultsOutcome = Schema.Struct({
  accepted: Schema.Array(Schema.Int),
  rejected: Schema.Array(Schema.Struct({ index: Schema.Int, entry: FailedResultRecord }))
})
export type AddResultsOutcome = typeof AddResultsOutcome.Type

export const EngineExperiment = Entity.make("EngineExperiment", [
  Rpc.make("Create", {
    payload: { definition: ExperimentDefinition },
    error: Schema.Union(ExperimentAlreadyExists, EngineStorageFailure)
  }),
  Rpc.make("Delete", {
    error: Schema.Union(ExperimentNotFound, EngineStorageFailure)
  }),
  Rpc.make("AddResults", {
    payload: { records: Schema.Array(IndexedRecord) },
    success: AddResultsOutcome,
    error: EngineStorageFailure
  }),
  /** Answers with the body of the updateRecommendations response (kruize.md §2.7, §4), ready to send. */
  Rpc.make("Recommend", {
    payload: { intervalEndMs: Schema.Number },
    success: Schema.String,
    error: Schema.Union(ExperimentNotFound, NoMetricsAvailable, EngineStorageFailure)
  })
])
