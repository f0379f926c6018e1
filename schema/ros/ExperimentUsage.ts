/**
 * What one usage CSV contributes to one Kruize experiment (ros-ocp-backend.md §2.7, §3): the experiment's identity
 * and its updateResults entries, one per interval, oldest first. Plain data, so it can travel in an entity message
 * as is; chunking by 100 (§3.7) is the sender's business.
 */
import { Schema } from "effect"
import { ContainerResultsEntry, NamespaceResultsEntry } from "./UpdateResultsEntry.js"
import { WorkloadType } from "./WorkloadType.js"

/** A container of the workload as createExperiment declares it (the first image seen wins, §3.3). */
export const ExperimentContainer = Schema.Struct({
  container_image_name: Schema.String,
  container_name: Schema.String
}).annotations({ identifier: "ExperimentContainer" })
export type ExperimentContainer = typeof ExperimentContainer.Type

/** One workload (namespace, type, name) = one container experiment. */
export const ContainerExperimentUsage = Schema.TaggedStruct("ContainerExperimentUsage", {
  /** `org|source|cluster_uuid|namespace|type|name` */
  experimentName: Schema.String,
  /** `org;cluster_uuid` */
  clusterName: Schema.String,
  namespace: Schema.String,
  workloadType: WorkloadType,
  workloadName: Schema.String,
  /** distinct container names in first-seen order (also what `workloads.containers` stores) */
  containers: Schema.Array(ExperimentContainer),
  /** the latest `interval_end_time` of the entries, `YYYY-MM-DDTHH:MM:SS.000Z` */
  maxIntervalEnd: Schema.String,
  results: Schema.NonEmptyArray(ContainerResultsEntry)
}).annotations({ identifier: "ContainerExperimentUsage" })
export type ContainerExperimentUsage = typeof ContainerExperimentUsage.Type

/** One namespace = one namespace experiment. */
export const NamespaceExperimentUsage = Schema.TaggedStruct("NamespaceExperimentUsage", {
  /** `org|source|cluster_uuid|namespace|<namespace>`: the literal word, then the name */
  experimentName: Schema.String,
  clusterName: Schema.String,
  namespace: Schema.String,
  maxIntervalEnd: Schema.String,
  results: Schema.NonEmptyArray(NamespaceResultsEntry)
}).annotations({ identifier: "NamespaceExperimentUsage" })
export type NamespaceExperimentUsage = typeof NamespaceExperimentUsage.Type

export const ExperimentUsage = Schema.Union(ContainerExperimentUsage, NamespaceExperimentUsage)
export type ExperimentUsage = typeof ExperimentUsage.Type
