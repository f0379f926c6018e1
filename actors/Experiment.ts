/**
 * Experiment, id = the upstream experiment name `org|source|cluster_uuid|namespace|type|name` (design.md §2):
 * every interaction with the recommendation engine for one workload. `AddResults` creates the experiment and
 * sends one file's intervals in order; `Refresh` is the poller's decision and storage of its recommendation.
 * Both are persisted, keyed so that a repeated delivery is answered from storage; retries happen here.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"
import { ExperimentUsage } from "../schema/ros/ExperimentUsage.js"
import { ExperimentType } from "../schema/ros/RecommendationMessage.js"

export const AddResultsPayload = Schema.Struct({
  requestId: Schema.String,
  fileKey: Schema.String,
  orgId: Schema.String,
  clusterId: Schema.Int,
  usage: ExperimentUsage
})
export type AddResultsPayload = typeof AddResultsPayload.Type

export const RefreshPayload = Schema.Struct({
  requestId: Schema.String,
  orgId: Schema.String,
  workloadId: Schema.Int,
  /** `YYYY-MM-DDTHH:MM:SS.000Z`, the data key the recommendation must carry */
  maxEndtimeReport: Schema.String,
  experimentType: ExperimentType
})
export type RefreshPayload = typeof RefreshPayload.Type

export const Experiment = Entity.make("Experiment", [
  Rpc.make("AddResults", {
    payload: AddResultsPayload.fields,
    primaryKey: (p) => `${p.requestId} ${p.fileKey}`
  }).annotate(ClusterSchema.Persisted, true),
  Rpc.make("Refresh", {
    payload: RefreshPayload.fields,
    primaryKey: (p) => `${p.requestId} ${p.maxEndtimeReport}`
  }).annotate(ClusterSchema.Persisted, true)
])
