/**
 * The result of streaming one usage CSV through validation, filtering and aggregation (ros-ocp-backend.md §2): the
 * file's kind, what happened to its rows, and one entry per experiment in the order the file first mentions them.
 */
import { Schema } from "effect"
import { ContainerExperimentUsage, NamespaceExperimentUsage } from "./ExperimentUsage.js"
import { RowCounts } from "./RowCounts.js"

export const ContainerUsageReport = Schema.TaggedStruct("ContainerUsageReport", {
  rows: RowCounts,
  experiments: Schema.Array(ContainerExperimentUsage)
}).annotations({ identifier: "ContainerUsageReport" })
export type ContainerUsageReport = typeof ContainerUsageReport.Type

export const NamespaceUsageReport = Schema.TaggedStruct("NamespaceUsageReport", {
  rows: RowCounts,
  experiments: Schema.Array(NamespaceExperimentUsage)
}).annotations({ identifier: "NamespaceUsageReport" })
export type NamespaceUsageReport = typeof NamespaceUsageReport.Type

export const UsageReport = Schema.Union(ContainerUsageReport, NamespaceUsageReport)
export type UsageReport = typeof UsageReport.Type
