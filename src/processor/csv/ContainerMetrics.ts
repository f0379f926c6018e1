/** The container metric table (ros-ocp-backend.md §3.5): a metric is sent when both its sum and avg have a value. */

import type { ContainerMetricName } from "../../../schema/ros/UpdateResultsEntry.js"
import { type ContainerFloatColumn, containerFloatColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { MetricTable } from "./MetricTable.js"

export const containerMetrics = new MetricTable<ContainerMetricName, ContainerFloatColumn>(
  [
    { name: "cpuRequest", sum: "cpu_request_container_sum", avg: "cpu_request_container_avg", format: "cores" },
    { name: "cpuLimit", sum: "cpu_limit_container_sum", avg: "cpu_limit_container_avg", format: "cores" },
    {
      name: "cpuUsage",
      sum: "cpu_usage_container_sum",
      avg: "cpu_usage_container_avg",
      min: "cpu_usage_container_min",
      max: "cpu_usage_container_max",
      format: "cores"
    },
    {
      name: "cpuThrottle",
      sum: "cpu_throttle_container_sum",
      avg: "cpu_throttle_container_avg",
      max: "cpu_throttle_container_max",
      format: "cores"
    },
    {
      name: "memoryRequest",
      sum: "memory_request_container_sum",
      avg: "memory_request_container_avg",
      format: "bytes"
    },
    { name: "memoryLimit", sum: "memory_limit_container_sum", avg: "memory_limit_container_avg", format: "bytes" },
    {
      name: "memoryUsage",
      sum: "memory_usage_container_sum",
      avg: "memory_usage_container_avg",
      min: "memory_usage_container_min",
      max: "memory_usage_container_max",
      format: "bytes"
    },
    {
      name: "memoryRSS",
      sum: "memory_rss_usage_container_sum",
      avg: "memory_rss_usage_container_avg",
      min: "memory_rss_usage_container_min",
      max: "memory_rss_usage_container_max",
      format: "bytes"
    }
  ],
  containerFloatColumns,
  "sumAndAvg"
)
