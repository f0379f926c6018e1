/**
 * Experiment, id = the upstream experiment name `org|source|cluster_uuid|namespace|type|name` (design.md §2):
 * every interaction with the recommendation engine for one workload; retries happen here.
 *
 * `AddResults` creates the experiment and sends one file's intervals in order. It is volatile: ClusterIngest has
 * stored the workload and its usage rows before, waits for the answer, and its own persisted IngestFile is what
 * survives a crash (a file cut short is ingested again and the engine answers duplicates "already exists"). So
 * the results are never copied through the message storage, which cost more than everything else a runner did.
 * `Refresh` is the poller's decision and storage of its recommendation. It is volatile too: the poller waits for
 * the answer and only then commits its Kafka offset, so the topic is what survives a crash, and a Refresh copied
 * through the message storage cost three more database transactions per message than its own work.
 */
import { Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"
import type { ExperimentUsage } from "../schema/ros/ExperimentUsage.js"
import { ExperimentType } from "../schema/ros/RecommendationMessage.js"

/**
 * The usage ClusterIngest built from the file, checked there by construction. Inside the cluster it is only
 * checked to be an object: the RPC client validates every payload it sends, and validating every metric of 96
 * intervals against the full schema cost a twentieth of a runner's CPU. Between runners it travels as plain data.
 */
const BuiltExperimentUsage = Schema.declare(
  (u: unknown): u is ExperimentUsage => typeof u === "object" && u !== null && "_tag" in u && "results" in u,
  { identifier: "BuiltExperimentUsage" }
)

export const AddResultsPayload = Schema.Struct({
  requestId: Schema.String,
  fileKey: Schema.String,
  orgId: Schema.String,
  /** the workload row ClusterIngest stored for this experiment */
  workloadId: Schema.Int,
  usage: BuiltExperimentUsage
})
export type AddResultsPayload = typeof AddResultsPayload.Type

/**
 * The results went their way but their outcome could not be recorded (the database is away): the caller hands
 * the experiment on again, which the engine answers "already exists". A failure rather than a defect, so the
 * cluster answers the caller instead of restarting the entity and replaying the message for as long as it lasts.
 */
export class AddResultsUnrecorded extends Schema.TaggedError<AddResultsUnrecorded>()("AddResultsUnrecorded", {
  message: Schema.String
}) {}

export const RefreshPayload = Schema.Struct({
  requestId: Schema.String,
  orgId: Schema.String,
  workloadId: Schema.Int,
  /** `YYYY-MM-DDTHH:MM:SS.000Z`, the data key the recommendation must carry */
  maxEndtimeReport: Schema.String,
  experimentType: ExperimentType
})
export type RefreshPayload = typeof RefreshPayload.Type

/** The recommendation was decided but not recorded (the database is away): the poller hands the message on again. */
export class RefreshUnrecorded extends Schema.TaggedError<RefreshUnrecorded>()("RefreshUnrecorded", {
  message: Schema.String
}) {}

export const Experiment = Entity.make("Experiment", [
  Rpc.make("AddResults", { payload: AddResultsPayload.fields, error: AddResultsUnrecorded }),
  Rpc.make("Refresh", { payload: RefreshPayload.fields, error: RefreshUnrecorded })
])
