/**
 * Which metric names feed each role of the algorithm, for container experiments (kruize.md §3.3–§3.7) and namespace
 * experiments (§3.12), plus where the current request/limit amount is read from (`avg` vs `sum`).
 */
import type { ExperimentType, MetricName } from "./IntervalResult.js"

export interface ExperimentMetrics {
  readonly cpuRequest: MetricName
  readonly cpuLimit: MetricName
  readonly cpuUsage: MetricName
  readonly cpuThrottle: MetricName
  readonly memoryRequest: MetricName
  readonly memoryLimit: MetricName
  readonly memoryUsage: MetricName
  readonly memoryRSS: MetricName
  /** aggregate holding the current request/limit: `avg` per pod for containers, `sum` for namespaces */
  readonly currentAggregate: "avg" | "sum"
}

const container: ExperimentMetrics = {
  cpuRequest: "cpuRequest",
  cpuLimit: "cpuLimit",
  cpuUsage: "cpuUsage",
  cpuThrottle: "cpuThrottle",
  memoryRequest: "memoryRequest",
  memoryLimit: "memoryLimit",
  memoryUsage: "memoryUsage",
  memoryRSS: "memoryRSS",
  currentAggregate: "avg"
}

const namespace: ExperimentMetrics = {
  cpuRequest: "namespaceCpuRequest",
  cpuLimit: "namespaceCpuLimit",
  cpuUsage: "namespaceCpuUsage",
  cpuThrottle: "namespaceCpuThrottle",
  memoryRequest: "namespaceMemoryRequest",
  memoryLimit: "namespaceMemoryLimit",
  memoryUsage: "namespaceMemoryUsage",
  memoryRSS: "namespaceMemoryRSS",
  currentAggregate: "sum"
}

export const experimentMetrics = (type: ExperimentType): ExperimentMetrics =>
  type === "namespace" ? namespace : container
