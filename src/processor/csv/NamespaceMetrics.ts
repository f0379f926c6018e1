/**
 * The namespace metric table (ros-ocp-backend.md §3.6): requests and limits are additive, so only their sum is
 * sent; usage, throttle and RSS as avg/min/max; pod counts as avg/max without a format. A metric is sent when any
 * of its aggregates has a value.
 */
import type { NamespaceMetricName } from "../../../schema/ros/UpdateResultsEntry.js"
import { type NamespaceFloatColumn, namespaceFloatColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { MetricTable } from "./MetricTable.js"

export const namespaceMetrics = new MetricTable<NamespaceMetricName, NamespaceFloatColumn>(
  [
    { name: "namespaceCpuRequest", sum: "cpu_request_namespace_sum", format: "cores" },
    { name: "namespaceCpuLimit", sum: "cpu_limit_namespace_sum", format: "cores" },
    {
      name: "namespaceCpuUsage",
      avg: "cpu_usage_namespace_avg",
      min: "cpu_usage_namespace_min",
      max: "cpu_usage_namespace_max",
      format: "cores"
    },
    {
      name: "namespaceCpuThrottle",
      avg: "cpu_throttle_namespace_avg",
      min: "cpu_throttle_namespace_min",
      max: "cpu_throttle_namespace_max",
      format: "cores"
    },
    { name: "namespaceMemoryRequest", sum: "memory_request_namespace_sum", format: "bytes" },
    { name: "namespaceMemoryLimit", sum: "memory_limit_namespace_sum", format: "bytes" },
    {
      name: "namespaceMemoryUsage",
      avg: "memory_usage_namespace_avg",
      min: "memory_usage_namespace_min",
      max: "memory_usage_namespace_max",
      format: "bytes"
    },
    {
      name: "namespaceMemoryRSS",
      avg: "memory_rss_usage_namespace_avg",
      min: "memory_rss_usage_namespace_min",
      max: "memory_rss_usage_namespace_max",
      format: "bytes"
    },
    { name: "namespaceTotalPods", avg: "namespace_total_pods_avg", max: "namespace_total_pods_max" },
    { name: "namespaceRunningPods", avg: "namespace_running_pods_avg", max: "namespace_running_pods_max" }
  ],
  namespaceFloatColumns,
  "anyAggregate"
)
