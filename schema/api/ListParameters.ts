/**
 * The query parameters of the ROS API (ros-ocp-backend.md §5.4–§5.5), as the endpoints declare them, so the OpenAPI
 * document lists every one with its meaning. They are decoded as plain strings (repeatable ones as lists) and
 * checked by the API's own parsers, which answer a bad value with a 400 naming the parameter.
 */
import { Schema } from "effect"
import { workloadTypes } from "../ros/WorkloadType.js"

/**
 * A single-valued parameter. Given more than once, the first value counts (Go's `QueryParam`, upstream's reading),
 * so a repeated parameter is checked like any other value rather than failing to decode; the document still
 * describes it as one string.
 */
const FirstValue = Schema.transform(Schema.Union(Schema.String, Schema.Array(Schema.String)), Schema.String, {
  strict: true,
  decode: (value) => (typeof value === "string" ? value : (value[0] ?? "")),
  encode: (value) => value
})

const text = (description: string) =>
  Schema.optional(FirstValue.annotations({ description, jsonSchema: { type: "string", description } }))

const repeated = (description: string) =>
  Schema.optional(Schema.Array(Schema.String).annotations({ description: `${description} Repeat to give several.` }))

/** The three forms of one filter: `x` (substring, case-insensitive), `filter[exact:x]` and `exclude[x]`. */
const filterFields = <const N extends string>(name: N, what: string) =>
  ({
    [name]: repeated(`${what} containing this text (case-insensitive); several values match any of them.`),
    [`filter[exact:${name}]`]: repeated(`${what} equal to this value; several values match any of them.`),
    [`exclude[${name}]`]: repeated(`Leave out ${what.toLowerCase()} equal to this value.`)
  }) as { readonly [K in N | `filter[exact:${N}]` | `exclude[${N}]`]: ReturnType<typeof repeated> }

export const containerSortKeys = [
  "cluster",
  "workload_type",
  "workload",
  "project",
  "container",
  "last_reported",
  "cpu_request_current",
  "memory_request_current",
  ...(["cpu", "memory"] as const).flatMap((resource) =>
    (["short", "medium", "long"] as const).flatMap((term) =>
      (["cost", "performance"] as const).map((engine) => `${resource}_variation_${term}_${engine}` as const)
    )
  )
] as const

export const namespaceSortKeys = containerSortKeys.filter(
  (key) => key !== "workload_type" && key !== "workload" && key !== "container"
)

export const workloadSortKeys = [
  "cluster",
  "workload_type",
  "workload",
  "project",
  "last_reported",
  "last_upload"
] as const

const paging = {
  limit: text("Page size (default 10); -1 returns every row."),
  offset: text("Rows to skip (default 0).")
}

const sorting = (keys: ReadonlyArray<string>, defaultKey: string) => ({
  order_by: text(`Sort key, one of: ${keys.join(", ")} (default ${defaultKey}).`),
  order_how: text("asc or desc (default desc; desc puts empty values last).")
})

const dates = (column: string, fallback: string) => ({
  start_date: text(`YYYY-MM-DD: only rows whose ${column} is on or after this day (UTC; default ${fallback}).`),
  end_date: text(`YYYY-MM-DD: only rows whose ${column} is on or before this day (UTC; default now).`)
})

export const UnitParameters = Schema.Struct({
  "cpu-unit": text("cores or millicores (default cores)."),
  "memory-unit": text("bytes, MiB or GiB (default bytes for lists, MiB for a container's detail)."),
  "true-units": text(
    "true shows unit names (cores, MiB) as formats instead of Kubernetes suffixes ('', Mi); default false."
  )
})

const format = {
  format: text("json (default) or csv; an Accept header of text/csv or application/json takes precedence.")
}

export const ContainerListParameters = Schema.Struct({
  ...dates("monitoring_end_time", "the first day of the current month"),
  ...filterFields("cluster", "Clusters (alias, or UUID)"),
  ...filterFields("project", "Projects (namespaces)"),
  ...filterFields("workload", "Workloads"),
  ...filterFields("workload_type", `Workload types (${workloadTypes.join(", ")})`),
  ...filterFields("container", "Containers"),
  ...paging,
  ...sorting(containerSortKeys, "last_reported"),
  ...format,
  ...UnitParameters.fields
})
export type ContainerListParameters = typeof ContainerListParameters.Type

export const NamespaceListParameters = Schema.Struct({
  ...dates("monitoring_end_time", "the first day of the current month"),
  ...filterFields("cluster", "Clusters (alias, or UUID)"),
  ...filterFields("project", "Projects (namespaces)"),
  ...paging,
  ...sorting(namespaceSortKeys, "last_reported"),
  ...format,
  ...UnitParameters.fields
})
export type NamespaceListParameters = typeof NamespaceListParameters.Type

export const WorkloadListParameters = Schema.Struct({
  ...dates("last upload", "no bound"),
  ...filterFields("cluster", "Clusters (alias, or UUID)"),
  ...filterFields("project", "Projects (namespaces)"),
  ...filterFields("workload", "Workloads"),
  ...filterFields("workload_type", `Workload types (${workloadTypes.join(", ")})`),
  ...filterFields("container", "Workloads with a container"),
  ...paging,
  ...sorting(workloadSortKeys, "last_reported")
})
export type WorkloadListParameters = typeof WorkloadListParameters.Type

export const RecommendationIdPath = Schema.Struct({
  id: Schema.String.annotations({ description: "The recommendation set's UUID." })
})
