/**
 * What a Kruize experiment name is scoped by (ros-ocp-backend.md §3.1): the upload's `org_id`, `source_id` and
 * `cluster_uuid`, taken from the `hccm.ros.events` message metadata (§1.4).
 */
import { Schema } from "effect"

export const ExperimentScope = Schema.Struct({
  orgId: Schema.String,
  sourceId: Schema.String,
  clusterUuid: Schema.String
}).annotations({ identifier: "ExperimentScope" })
export type ExperimentScope = typeof ExperimentScope.Type
