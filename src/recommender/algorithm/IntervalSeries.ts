/**
 * Per-interval quantities of kruize.md §3.5–§3.7 (§3.12 for namespaces), computed once per `recommend` call in one
 * pass over the sorted intervals and stored column-wise, so every term, model and plot bucket works on sub-ranges of
 * typed arrays instead of re-reading the interval objects.
 */
import { CPU_ONE_CORE } from "./Constants.js"
import type { Aggregates, ExperimentType, IntervalResult } from "./IntervalResult.js"

export interface IntervalSeries {
  /** ascending by `endMs` */
  readonly intervals: ReadonlyArray<IntervalResult>
  readonly endMs: Float64Array
  /** x_i: the interval's CPU figure (§3.5), "max" of Kruize's per-interval CPU object */
  readonly cpu: Float64Array
  /** m_i: CPU box-plot minimum (§3.5, §3.10) */
  readonly cpuMin: Float64Array
  /** y_i: the interval's memory figure (§3.6) */
  readonly memory: Float64Array
  /** memory box-plot minimum (§3.10) */
  readonly memoryMin: Float64Array
  /** spike_i (§3.6) */
  readonly spike: Float64Array
  /** per-interval pod figure whose maximum, rounded up, is `pods_count` (§3.7, §3.12) */
  readonly pods: Float64Array
}

// Kruize reads every absent metric or aggregate as 0 (`Optional…orElse(0.0)`).
const EMPTY: Aggregates = {}

const minPositive3 = (a: number, b: number, c: number): number => {
  let min = Number.POSITIVE_INFINITY
  if (a > 0 && a < min) min = a
  if (b > 0 && b < min) min = b
  if (c > 0 && c < min) min = c
  return min === Number.POSITIVE_INFINITY ? 0 : min
}

const spikeOf = (usage: Aggregates, rss: Aggregates): number =>
  Math.max(Math.ceil((usage.max ?? 0) - (usage.min ?? 0)), Math.ceil((rss.max ?? 0) - (rss.min ?? 0)))

/** max if > 0, else avg: "use the Max value when available, if not use the Avg" */
const peakOrAvg = (a: Aggregates): number => {
  const max = a.max ?? 0
  return max > 0 ? max : (a.avg ?? 0)
}

/**
 * Pods of a container interval for the per-pod figures: ⌈cpuUsage.sum / cpuUsage.avg⌉, falling back to memoryUsage
 * when the CPU avg is 0 (kruize.md §3.5/§3.6 as written; Kruize truncates `Math.ceil` to int, a no-op here).
 */
const podsOf = (cpu: Aggregates, memory: Aggregates): number => {
  const cpuAvg = cpu.avg ?? 0
  if (cpuAvg !== 0) return Math.ceil((cpu.sum ?? 0) / cpuAvg)
  const memoryAvg = memory.avg ?? 0
  if (memoryAvg !== 0) return Math.ceil((memory.sum ?? 0) / memoryAvg)
  return 0
}

const byEnd = (a: IntervalResult, b: IntervalResult): number => a.endMs - b.endMs

export const sortedByEnd = (intervals: ReadonlyArray<IntervalResult>): ReadonlyArray<IntervalResult> => {
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i - 1]!.endMs > intervals[i]!.endMs) return [...intervals].sort(byEnd)
  }
  return intervals
}

/** The columns of a series: every field of {@link IntervalSeries} but the intervals. */
export type SeriesColumns = Omit<IntervalSeries, "intervals">

export const columnNames = ["endMs", "cpu", "cpuMin", "memory", "memoryMin", "spike", "pods"] as const

export const allocateColumns = (n: number): SeriesColumns => ({
  endMs: new Float64Array(n),
  cpu: new Float64Array(n),
  cpuMin: new Float64Array(n),
  memory: new Float64Array(n),
  memoryMin: new Float64Array(n),
  spike: new Float64Array(n),
  pods: new Float64Array(n)
})

const containerRow = (s: SeriesColumns, i: number, interval: IntervalResult): void => {
  const { cpuUsage = EMPTY, cpuThrottle = EMPTY, memoryUsage = EMPTY, memoryRSS = EMPTY } = interval.metrics
  s.endMs[i] = interval.endMs

  const total = peakOrAvg(cpuUsage) + peakOrAvg(cpuThrottle)
  const pods = podsOf(cpuUsage, memoryUsage)
  // the per-pod CPU figure only exists on the ≥ 1 core branch (GenericRecommendationModel.getCPUUsageList)
  let cpuPerPod = 0
  if (CPU_ONE_CORE > total) {
    s.cpu[i] = total
  } else {
    if (pods > 0) cpuPerPod = ((cpuUsage.sum ?? 0) + (cpuThrottle.sum ?? 0)) / pods
    s.cpu[i] = Math.max(cpuPerPod, total)
  }
  s.cpuMin[i] = minPositive3(cpuPerPod, total, (cpuUsage.min ?? 0) + (cpuThrottle.min ?? 0))

  const memoryPerPod = pods > 0 ? (memoryUsage.sum ?? 0) / pods : 0
  const memory = Math.max(memoryPerPod, memoryUsage.max ?? 0)
  s.memory[i] = memory
  s.memoryMin[i] = minPositive3(memoryPerPod, memory, memoryUsage.min ?? 0)
  s.spike[i] = spikeOf(memoryUsage, memoryRSS)

  // pods_count is CPU-only (RecommendationEngine.getNumPods)
  const cpuAvg = cpuUsage.avg ?? 0
  s.pods[i] = cpuAvg !== 0 ? Math.ceil((cpuUsage.sum ?? 0) / cpuAvg) : 0
}

const namespaceRow = (s: SeriesColumns, i: number, interval: IntervalResult): void => {
  const {
    namespaceCpuUsage = EMPTY,
    namespaceCpuThrottle = EMPTY,
    namespaceMemoryUsage = EMPTY,
    namespaceMemoryRSS = EMPTY,
    namespaceTotalPods = EMPTY
  } = interval.metrics
  s.endMs[i] = interval.endMs

  // no per-pod branch for namespaces (getNamespaceCPUUsageList)
  const total = peakOrAvg(namespaceCpuUsage) + peakOrAvg(namespaceCpuThrottle)
  s.cpu[i] = total
  s.cpuMin[i] = minPositive3(0, total, (namespaceCpuUsage.min ?? 0) + (namespaceCpuThrottle.min ?? 0))

  const memory = namespaceMemoryUsage.max ?? 0
  s.memory[i] = memory
  s.memoryMin[i] = minPositive3(0, memory, namespaceMemoryUsage.min ?? 0)
  s.spike[i] = spikeOf(namespaceMemoryUsage, namespaceMemoryRSS)

  s.pods[i] = namespaceTotalPods.avg ?? 0
}

/** Writes row `i` of `columns`: the per-interval quantities of one interval, by experiment type. */
export const seriesRow = (type: ExperimentType): ((s: SeriesColumns, i: number, interval: IntervalResult) => void) =>
  type === "namespace" ? namespaceRow : containerRow

export const intervalSeries = (type: ExperimentType, intervals: ReadonlyArray<IntervalResult>): IntervalSeries => {
  const sorted = sortedByEnd(intervals)
  const columns = allocateColumns(sorted.length)
  const row = seriesRow(type)
  for (let i = 0; i < sorted.length; i++) row(columns, i, sorted[i]!)
  return { intervals: sorted, ...columns }
}

/** Index of the first interval whose end is ≥ `ms` (`endMs.length` when none). */
export const firstAtOrAfter = (endMs: Float64Array, ms: number): number => {
  let lo = 0
  let hi = endMs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (endMs[mid]! < ms) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Index of the first interval whose end is > `ms`. */
export const firstAfter = (endMs: Float64Array, ms: number): number => {
  let lo = 0
  let hi = endMs.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (endMs[mid]! <= ms) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** `pods_count` over intervals [from, to): Kruize's `(int) Math.ceil(max …)`. */
export const podsCount = (series: IntervalSeries, from: number, to: number): number => {
  let max = Number.NEGATIVE_INFINITY
  for (let i = from; i < to; i++) if (series.pods[i]! > max) max = series.pods[i]!
  return max === Number.NEGATIVE_INFINITY ? 0 : Math.ceil(max)
}

/**
 * Kruize's `getFormatValue` over intervals [from, to): the first non-empty `format` of `metric`, in time order. When
 * none is non-empty it ends with the last format it saw (`undefined` for a null one), or `""` when the metric never
 * occurs: the caller distinguishes the two (a `""` format still gets a variation entry, kruize.md §3.7).
 */
export const formatOf = (
  series: IntervalSeries,
  metric: keyof IntervalResult["metrics"],
  from: number,
  to: number
): string | undefined => {
  let format: string | undefined = ""
  for (let i = from; i < to; i++) {
    const aggregates = series.intervals[i]!.metrics[metric]
    if (aggregates === undefined) continue
    format = aggregates.format
    if (format !== undefined && format !== "") break
  }
  return format
}
