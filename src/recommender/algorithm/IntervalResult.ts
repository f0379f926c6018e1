/**
 * The recommendation algorithm's input: one measurement interval of one container (or of one namespace), decoded once
 * from an `/updateResults` record and then kept unchanged in the experiment's in-memory window (15 days × 96 intervals
 * per container). Plain readonly objects: no classes, no Schema, no Effect, so the hot path only reads numbers.
 *
 * Wire → IntervalResult (spec kruize.md §2.5), for each container of a container record (or the `namespaces` object of
 * a namespace record):
 * - `startMs` / `endMs` = `Date.parse(interval_start_time)` / `Date.parse(interval_end_time)` (epoch ms, UTC).
 * - `metrics[m.name] = m.results.aggregation_info` for every metric `m` whose name is a {@link MetricName}, with numeric
 *   strings already turned into numbers and null/absent aggregates left out (never zero-filled). Copy `format` as sent
 *   (omit it when null/absent; keep `""` or blank strings: they produce notifications 223004/224004).
 * - A metric missing from the record stays missing here: that absence is what yields "request/limit not set" (523001…).
 * - Other metric names (accelerator, podCount, …) and `results.value` / `results.metadata` can be dropped.
 *
 * Preconditions (guaranteed by updateResults validation, not re-checked here): numbers are finite and ≥ 0, and `endMs`
 * is unique per container (it is the results map key in Kruize). Order does not matter; the algorithm sorts.
 */

/** `aggregation_info` of one metric in one interval (kruize.md §2.5). Absent aggregates are absent, not 0. */
export interface Aggregates {
  readonly sum?: number
  readonly avg?: number
  readonly min?: number
  readonly max?: number
  readonly count?: number
  readonly median?: number
  readonly mode?: number
  readonly range?: number
  readonly format?: string
}

/** Metrics of a container record. ROS sends requests/limits as sum+avg, throttle as sum/avg/max, usage/RSS as min/max/sum/avg. */
export type ContainerMetricName =
  | "cpuRequest"
  | "cpuLimit"
  | "cpuUsage"
  | "cpuThrottle"
  | "memoryRequest"
  | "memoryLimit"
  | "memoryUsage"
  | "memoryRSS"

/** Metrics of a namespace record: requests/limits as sum; usage, throttle, RSS as avg/min/max; pod counts as avg/max. */
export type NamespaceMetricName =
  | "namespaceCpuRequest"
  | "namespaceCpuLimit"
  | "namespaceCpuUsage"
  | "namespaceCpuThrottle"
  | "namespaceMemoryRequest"
  | "namespaceMemoryLimit"
  | "namespaceMemoryUsage"
  | "namespaceMemoryRSS"
  | "namespaceTotalPods"
  | "namespaceRunningPods"

export type MetricName = ContainerMetricName | NamespaceMetricName

/** Every metric the algorithm reads; the rest of a record (accelerator, jvm, maxDate) can be dropped. */
export const algorithmMetricNames: ReadonlyArray<MetricName> = [
  "cpuRequest",
  "cpuLimit",
  "cpuUsage",
  "cpuThrottle",
  "memoryRequest",
  "memoryLimit",
  "memoryUsage",
  "memoryRSS",
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
]

export type IntervalMetrics = { readonly [K in MetricName]?: Aggregates }

export interface IntervalResult {
  /** interval_start_time, epoch ms */
  readonly startMs: number
  /** interval_end_time, epoch ms; the key of the interval */
  readonly endMs: number
  readonly metrics: IntervalMetrics
}

export type ExperimentType = "container" | "namespace"
