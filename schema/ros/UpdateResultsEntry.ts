/**
 * The `/updateResults` entries ROS sends for one interval of one experiment (ros-ocp-backend.md §3.5, §3.6), as
 * ROS builds them: every aggregate is a decimal string (`formatDecimal`), and an aggregate with no value is left out
 * rather than sent as "NaN" (design.md §7). Field order follows upstream's Go structs, so `JSON.stringify` of a
 * value gives upstream's bytes (apart from metric order, which is a Go map iteration upstream and fixed here).
 *
 * The engine's own decoding of these bodies is `schema/kruize/Results.ts`; this is the sender's, stricter view.
 */
import { Schema } from "effect"
import { WorkloadType } from "./WorkloadType.js"

/** Upstream sends this version in every createExperiment and updateResults entry. */
export const KRUIZE_PAYLOAD_VERSION = "1.0"

export const ContainerMetricName = Schema.Literal(
  "cpuRequest",
  "cpuLimit",
  "cpuUsage",
  "cpuThrottle",
  "memoryRequest",
  "memoryLimit",
  "memoryUsage",
  "memoryRSS"
)
export type ContainerMetricName = typeof ContainerMetricName.Type

export const NamespaceMetricName = Schema.Literal(
  "namespaceCpuRequest",
  "namespaceCpuLimit",
  "namespaceCpuUsage",
  "namespaceCpuThrottle",
  "namespaceMemoryRequest",
  "namespaceMemoryLimit",
  "namespaceMemoryUsage",
  "namespaceMemoryRSS",
  "namespaceTotalPods",
  "namespaceRunningPods"
)
export type NamespaceMetricName = typeof NamespaceMetricName.Type

/** `cores` for CPU, `bytes` for memory; pod counts have none. No unit conversion happens in ROS. */
export const MetricFormat = Schema.Literal("cores", "bytes")
export type MetricFormat = typeof MetricFormat.Type

/** Upstream's `aggregation_info` struct: min, max, sum, avg, format, each omitted when empty. */
export const AggregationInfo = Schema.Struct({
  min: Schema.optional(Schema.String),
  max: Schema.optional(Schema.String),
  sum: Schema.optional(Schema.String),
  avg: Schema.optional(Schema.String),
  format: Schema.optional(MetricFormat)
}).annotations({ identifier: "RosAggregationInfo" })
export type AggregationInfo = typeof AggregationInfo.Type

const metricOf = <N extends Schema.Schema.Any>(name: N) =>
  Schema.Struct({ name, results: Schema.Struct({ aggregation_info: AggregationInfo }) })

export const ContainerMetric = metricOf(ContainerMetricName).annotations({ identifier: "RosContainerMetric" })
export type ContainerMetric = typeof ContainerMetric.Type

export const NamespaceMetric = metricOf(NamespaceMetricName).annotations({ identifier: "RosNamespaceMetric" })
export type NamespaceMetric = typeof NamespaceMetric.Type

/** Upstream has no `omitempty` on this struct, so every container carries `"recommendations": {}`. */
export const EmptyRecommendations = Schema.Struct({})

export const ContainerResults = Schema.Struct({
  container_image_name: Schema.String,
  container_name: Schema.String,
  metrics: Schema.Array(ContainerMetric),
  recommendations: EmptyRecommendations
}).annotations({ identifier: "RosContainerResults" })
export type ContainerResults = typeof ContainerResults.Type

/** One interval of one workload: every (pod-aggregated) container row of that workload ending at that time. */
export const ContainerResultsEntry = Schema.Struct({
  version: Schema.Literal(KRUIZE_PAYLOAD_VERSION),
  experiment_name: Schema.String,
  interval_start_time: Schema.String,
  interval_end_time: Schema.String,
  kubernetes_objects: Schema.Tuple(
    Schema.Struct({
      type: WorkloadType,
      name: Schema.String,
      namespace: Schema.String,
      containers: Schema.Array(ContainerResults)
    })
  )
}).annotations({ identifier: "RosContainerResultsEntry" })
export type ContainerResultsEntry = typeof ContainerResultsEntry.Type

/** One interval of one namespace. */
export const NamespaceResultsEntry = Schema.Struct({
  version: Schema.Literal(KRUIZE_PAYLOAD_VERSION),
  experiment_name: Schema.String,
  interval_start_time: Schema.String,
  interval_end_time: Schema.String,
  kubernetes_objects: Schema.Tuple(
    Schema.Struct({
      namespaces: Schema.Struct({ namespace: Schema.String, metrics: Schema.Array(NamespaceMetric) })
    })
  )
}).annotations({ identifier: "RosNamespaceResultsEntry" })
export type NamespaceResultsEntry = typeof NamespaceResultsEntry.Type
