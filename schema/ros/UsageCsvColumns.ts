/**
 * The operator's resource-optimization CSVs (ros-ocp-backend.md §2.2, §2.3): the columns ROS requires, split as
 * upstream types them (`CSVColumnMapping`, `NamespaceCSVColumnMapping`), and one raw-row schema per file kind.
 *
 * Column order in a file is free and extra columns are ignored, so these lists are sets; their order here is the
 * spec's, which is also the order a `MissingColumns` error lists them in.
 */
import { Schema } from "effect"
import { CsvDecimal } from "./CsvDecimal.js"

export const containerStringColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "container_name",
  "pod",
  "owner_name",
  "owner_kind",
  "workload",
  "workload_type",
  "namespace",
  "image_name",
  "node",
  "resource_id"
] as const

export const containerFloatColumns = [
  "cpu_request_container_avg",
  "cpu_request_container_sum",
  "cpu_limit_container_avg",
  "cpu_limit_container_sum",
  "cpu_usage_container_avg",
  "cpu_usage_container_min",
  "cpu_usage_container_max",
  "cpu_usage_container_sum",
  "cpu_throttle_container_avg",
  "cpu_throttle_container_max",
  "cpu_throttle_container_sum",
  "memory_request_container_avg",
  "memory_request_container_sum",
  "memory_limit_container_avg",
  "memory_limit_container_sum",
  "memory_usage_container_avg",
  "memory_usage_container_min",
  "memory_usage_container_max",
  "memory_usage_container_sum",
  "memory_rss_usage_container_avg",
  "memory_rss_usage_container_min",
  "memory_rss_usage_container_max",
  "memory_rss_usage_container_sum"
] as const

/** A row is dropped unless every one of these is a number ≥ 0 (§2.4 rule 1). */
export const containerUsageColumns = [
  "cpu_usage_container_avg",
  "cpu_usage_container_min",
  "cpu_usage_container_max",
  "cpu_usage_container_sum",
  "memory_usage_container_avg",
  "memory_usage_container_min",
  "memory_usage_container_max",
  "memory_usage_container_sum",
  "memory_rss_usage_container_avg",
  "memory_rss_usage_container_min",
  "memory_rss_usage_container_max",
  "memory_rss_usage_container_sum"
] as const satisfies ReadonlyArray<ContainerFloatColumn>

export const namespaceStringColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "namespace"
] as const

export const namespaceFloatColumns = [
  "cpu_request_namespace_sum",
  "cpu_limit_namespace_sum",
  "cpu_usage_namespace_avg",
  "cpu_usage_namespace_max",
  "cpu_usage_namespace_min",
  "cpu_throttle_namespace_avg",
  "cpu_throttle_namespace_max",
  "cpu_throttle_namespace_min",
  "memory_request_namespace_sum",
  "memory_limit_namespace_sum",
  "memory_usage_namespace_avg",
  "memory_usage_namespace_max",
  "memory_usage_namespace_min",
  "memory_rss_usage_namespace_avg",
  "memory_rss_usage_namespace_max",
  "memory_rss_usage_namespace_min",
  "namespace_running_pods_max",
  "namespace_running_pods_avg",
  "namespace_total_pods_max",
  "namespace_total_pods_avg"
] as const

/** A namespace row is dropped unless every one of these is a number ≥ 0 (§2.4). */
export const namespaceUsageColumns = [
  "cpu_usage_namespace_avg",
  "cpu_usage_namespace_max",
  "cpu_usage_namespace_min",
  "memory_usage_namespace_avg",
  "memory_usage_namespace_max",
  "memory_usage_namespace_min",
  "memory_rss_usage_namespace_avg",
  "memory_rss_usage_namespace_max",
  "memory_rss_usage_namespace_min"
] as const satisfies ReadonlyArray<NamespaceFloatColumn>

export type ContainerStringColumn = (typeof containerStringColumns)[number]
export type ContainerFloatColumn = (typeof containerFloatColumns)[number]
export type ContainerColumn = ContainerStringColumn | ContainerFloatColumn
export type NamespaceStringColumn = (typeof namespaceStringColumns)[number]
export type NamespaceFloatColumn = (typeof namespaceFloatColumns)[number]
export type NamespaceColumn = NamespaceStringColumn | NamespaceFloatColumn

/** The 37 required columns of a container file. */
export const containerColumns: ReadonlyArray<ContainerColumn> = [...containerStringColumns, ...containerFloatColumns]
/** The 25 required columns of a namespace file. */
export const namespaceColumns: ReadonlyArray<NamespaceColumn> = [...namespaceStringColumns, ...namespaceFloatColumns]

const fieldsOf = <const K extends ReadonlyArray<string>, S extends Schema.Schema.Any>(
  keys: K,
  schema: S
): { readonly [P in K[number]]: S } => {
  const fields: Record<string, S> = {}
  for (const key of keys) fields[key] = schema
  return fields as { readonly [P in K[number]]: S }
}

/**
 * One data row of a container file as csv-parse yields it (cells are strings), decoded to numbers where upstream
 * declares a float. The pipeline does not decode rows through this schema (that would cost a Schema run per row);
 * it is the contract, for tools and tests.
 */
export const ContainerCsvRow = Schema.Struct({
  ...fieldsOf(containerStringColumns, Schema.String),
  ...fieldsOf(containerFloatColumns, CsvDecimal)
}).annotations({ identifier: "ContainerCsvRow" })
export type ContainerCsvRow = typeof ContainerCsvRow.Type

/** One data row of a namespace file; see {@link ContainerCsvRow}. */
export const NamespaceCsvRow = Schema.Struct({
  ...fieldsOf(namespaceStringColumns, Schema.String),
  ...fieldsOf(namespaceFloatColumns, CsvDecimal)
}).annotations({ identifier: "NamespaceCsvRow" })
export type NamespaceCsvRow = typeof NamespaceCsvRow.Type
