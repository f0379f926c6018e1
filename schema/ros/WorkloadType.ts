/**
 * The workload types a container experiment can have (ros-ocp-backend.md §2.4 rule 3, §2.5): the lower-cased
 * `workload_type`, or `replicaset`/`replicationcontroller` for a bare owner. Same values as the `sorted_workloadtype`
 * enum of the `workloads` table (§4.1), minus `namespace`, which only namespace experiments use.
 */
import { Schema } from "effect"

export const workloadTypes = [
  "daemonset",
  "deployment",
  "deploymentconfig",
  "replicaset",
  "replicationcontroller",
  "statefulset"
] as const

export const WorkloadType = Schema.Literal(...workloadTypes)
export type WorkloadType = typeof WorkloadType.Type

export const isWorkloadType = Schema.is(WorkloadType)
