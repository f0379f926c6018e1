/**
 * What happened to the data rows of one usage CSV (ros-ocp-backend.md §2.4): how many were read, kept, and dropped
 * for each reason. Upstream only counts the dropped rows (`rosocp_invalid_datapoints_total`); the reasons are ours,
 * for the upload status.
 */
import { Schema } from "effect"

export const dropReasons = [
  /** a usage cell (cpu/memory/rss usage avg, min, max, sum) is empty */
  "missing_usage",
  /** a usage cell is not a finite decimal number */
  "invalid_usage",
  /** a usage cell is below zero */
  "negative_usage",
  /** container file: `owner_kind` or `owner_name` is empty or `<none>` */
  "missing_owner",
  /** container file: `workload_type` is empty or `<none>` */
  "missing_workload_type",
  /** container file: `workload_type` (lower-cased) is not one a Kruize experiment can have, e.g. `job`, `pod` */
  "unsupported_workload_type",
  /** namespace file: `namespace` is empty or `<none>` */
  "missing_namespace",
  /** `interval_start` or `interval_end` is not a Go `time.String()` timestamp */
  "invalid_interval"
] as const

export const DropReason = Schema.Literal(...dropReasons)
export type DropReason = typeof DropReason.Type

/** Every reason is present, zero when no row was dropped for it. */
export const DroppedRows = Schema.Record({ key: DropReason, value: Schema.NonNegativeInt }).annotations({
  identifier: "DroppedRows"
})
export type DroppedRows = typeof DroppedRows.Type

export const RowCounts = Schema.Struct({
  /** data rows read (the header and empty lines are not rows) */
  total: Schema.NonNegativeInt,
  accepted: Schema.NonNegativeInt,
  dropped: DroppedRows
}).annotations({ identifier: "RowCounts" })
export type RowCounts = typeof RowCounts.Type
