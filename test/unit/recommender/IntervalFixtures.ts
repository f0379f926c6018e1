/**
 * Small builders for algorithm inputs. Defaults are chosen so the arithmetic stays exact in binary64: one pod,
 * usage min = max = avg (no spike), current request 1 core / 1 GiB, limit 2 cores / 2 GiB.
 */

import type { IntervalMetrics, IntervalResult } from "../../../src/recommender/algorithm/IntervalResult.js"
import type { RecommendationResult, RecommendInput } from "../../../src/recommender/algorithm/Recommend.js"
import { recommend } from "../../../src/recommender/algorithm/Recommend.js"

export const MINUTE = 60_000
export const FIFTEEN_MINUTES = 15 * MINUTE
export const HOUR = 60 * MINUTE
export const DAY = 24 * HOUR
export const GIB = 1073741824

/** E of most tests: 2026-06-15T12:00:00.000Z */
export const T0 = Date.parse("2026-06-15T12:00:00.000Z")

export interface UsageOptions {
  /** cpuUsage max = avg = min (cores) */
  readonly cpu?: number
  /** memoryUsage max = avg = min (bytes) */
  readonly memory?: number
  readonly pods?: number
  readonly throttle?: number
  readonly memoryMin?: number
  readonly rssMin?: number
  readonly rssMax?: number
}

export const usageMetrics = (o: UsageOptions = {}): IntervalMetrics => {
  const cpu = o.cpu ?? 0.5
  const memory = o.memory ?? 500_000_000
  const pods = o.pods ?? 1
  return {
    cpuUsage: { min: cpu, max: cpu, sum: cpu * pods, avg: cpu, format: "cores" },
    ...(o.throttle === undefined
      ? {}
      : { cpuThrottle: { max: o.throttle, sum: o.throttle * pods, avg: o.throttle, format: "cores" } }),
    memoryUsage: { min: o.memoryMin ?? memory, max: memory, sum: memory * pods, avg: memory, format: "bytes" },
    memoryRSS: { min: o.rssMin ?? memory, max: o.rssMax ?? memory, format: "bytes" }
  }
}

export interface CurrentOptions {
  readonly cpuRequest?: number
  readonly cpuLimit?: number
  readonly memoryRequest?: number
  readonly memoryLimit?: number
}

export const currentMetrics = (o: CurrentOptions = {}): IntervalMetrics => ({
  cpuRequest: { sum: o.cpuRequest ?? 1, avg: o.cpuRequest ?? 1, format: "cores" },
  cpuLimit: { sum: o.cpuLimit ?? 2, avg: o.cpuLimit ?? 2, format: "cores" },
  memoryRequest: { sum: o.memoryRequest ?? GIB, avg: o.memoryRequest ?? GIB, format: "bytes" },
  memoryLimit: { sum: o.memoryLimit ?? 2 * GIB, avg: o.memoryLimit ?? 2 * GIB, format: "bytes" }
})

export const containerMetrics = (usage: UsageOptions = {}, current: CurrentOptions = {}): IntervalMetrics => ({
  ...currentMetrics(current),
  ...usageMetrics(usage)
})

export const interval = (endMs: number, metrics: IntervalMetrics, durationMs = FIFTEEN_MINUTES): IntervalResult => ({
  startMs: endMs - durationMs,
  endMs,
  metrics
})

/** `count` back-to-back 15-minute intervals, the last one ending at `endMs`; `metricsAt(0)` is the oldest. */
export const contiguous = (
  count: number,
  metricsAt: (i: number) => IntervalMetrics = () => containerMetrics(),
  endMs = T0
): Array<IntervalResult> =>
  Array.from({ length: count }, (_, i) => interval(endMs - (count - 1 - i) * FIFTEEN_MINUTES, metricsAt(i)))

export const run = (
  intervals: ReadonlyArray<IntervalResult>,
  options: Partial<Omit<RecommendInput, "intervals">> = {}
): RecommendationResult =>
  recommend({
    experimentType: "container",
    intervalEndTimeMs: intervals.reduce((max, i) => Math.max(max, i.endMs), Number.NEGATIVE_INFINITY),
    intervals,
    ...options
  })

/** The single `data` entry of an available recommendation (throws otherwise, failing the test). */
export const dataOf = (result: RecommendationResult) => {
  const entries = Object.values(result.recommendations.data)
  if (entries.length !== 1) throw new Error(`expected one data entry, got ${entries.length}`)
  return entries[0]!
}

export const shortTerm = (result: RecommendationResult) => {
  const term = dataOf(result).recommendation_terms.short_term
  if (term === undefined) throw new Error("no short_term")
  return term
}

export const engine = (result: RecommendationResult, model: "cost" | "performance" = "cost") => {
  const found = shortTerm(result).recommendation_engines?.[model]
  if (found === undefined) throw new Error(`no ${model} engine`)
  return found
}

export const codes = (map: { readonly [code: string]: unknown }): Array<number> => Object.keys(map).map(Number)
