/**
 * An experiment's results in memory: per container (or namespace), the intervals of the last 15 days of
 * interval_end, ready for the algorithm. A cache of the stored results (`kruize_result_days`), rebuilt from
 * them on activation.
 */
import type { StoredInterval } from "../../schema/kruize/StoredResult.js"
import { GrowingSeries } from "./algorithm/GrowingSeries.js"
import {
  algorithmMetricNames,
  type ExperimentType,
  type IntervalMetrics,
  type IntervalResult,
  type MetricName
} from "./algorithm/IntervalResult.js"
import type { IntervalSeries } from "./algorithm/IntervalSeries.js"

const algorithmMetrics: ReadonlySet<string> = new Set(algorithmMetricNames)

const toIntervalResult = (startMs: number, endMs: number, stored: StoredInterval): IntervalResult => {
  const metrics: { [K in MetricName]?: IntervalMetrics[K] } = {}
  for (const name in stored.metrics) {
    const aggregates = stored.metrics[name]
    if (aggregates !== undefined && algorithmMetrics.has(name)) metrics[name as MetricName] = aggregates
  }
  return { startMs, endMs, metrics }
}

const pk = (startMs: number, endMs: number) => `${endMs}|${startMs}`

export interface WindowContainer {
  readonly name: string
  readonly image: string | undefined
}

export class ResultWindow {
  private readonly series = new Map<string, Map<number, IntervalResult>>()
  private readonly images = new Map<string, string>()
  /** per container, made on its first recommendation and kept up to date by `add` and `evictBefore` */
  private readonly columns = new Map<string, GrowingSeries>()
  private readonly keys = new Map<string, number>()
  private latest = Number.NEGATIVE_INFINITY
  private withIntervals = true

  /**
   * Whether the intervals are held. A window can keep only the primary keys (enough to find duplicates and
   * apply retention) while nobody asks for a recommendation: see {@link keysOnly}.
   */
  get holdsIntervals(): boolean {
    return this.withIntervals
  }

  /** Drops the intervals and, until {@link clear}, records only the keys of what is added. */
  keysOnly(): void {
    this.series.clear()
    this.columns.clear()
    this.images.clear()
    this.withIntervals = false
  }

  /** Whether a result with this primary key (start, end) is held. */
  has(startMs: number, endMs: number): boolean {
    return this.keys.has(pk(startMs, endMs))
  }

  /** The latest interval_end held, if any. */
  get latestEndMs(): number | undefined {
    return Number.isFinite(this.latest) ? this.latest : undefined
  }

  get size(): number {
    return this.keys.size
  }

  /** Intervals held, over every container (0 while only keys are kept). */
  get intervalCount(): number {
    let n = 0
    for (const byEnd of this.series.values()) n += byEnd.size
    return n
  }

  add(startMs: number, endMs: number, intervals: ReadonlyArray<StoredInterval>): void {
    this.keys.set(pk(startMs, endMs), endMs)
    if (endMs > this.latest) this.latest = endMs
    if (!this.withIntervals) return
    for (const interval of intervals) {
      let byEnd = this.series.get(interval.name)
      if (byEnd === undefined) {
        byEnd = new Map()
        this.series.set(interval.name, byEnd)
      }
      // Kruize keys a container's results by interval end: a later record for the same end replaces it.
      const result = toIntervalResult(startMs, endMs, interval)
      this.columns.get(interval.name)?.add(result)
      byEnd.set(endMs, result)
      if (interval.image !== undefined) this.images.set(interval.name, interval.image)
    }
  }

  /** Forgets every interval ending before `ms`; returns how many results (primary keys) it forgot. */
  evictBefore(ms: number): number {
    let evicted = 0
    for (const [key, endMs] of this.keys) {
      if (endMs < ms) {
        this.keys.delete(key)
        evicted++
      }
    }
    if (evicted > 0) {
      for (const byEnd of this.series.values()) for (const endMs of byEnd.keys()) if (endMs < ms) byEnd.delete(endMs)
      for (const columns of this.columns.values()) columns.dropBefore(ms)
    }
    return evicted
  }

  containers(): ReadonlyArray<WindowContainer> {
    return [...this.series.keys()].map((name) => ({ name, image: this.images.get(name) }))
  }

  /** The intervals of one container ending in [fromMs, toMs]. */
  intervals(name: string, fromMs: number, toMs: number): ReadonlyArray<IntervalResult> {
    const out: Array<IntervalResult> = []
    for (const interval of this.series.get(name)?.values() ?? []) {
      if (interval.endMs >= fromMs && interval.endMs <= toMs) out.push(interval)
    }
    return out
  }

  /** The series of one container's intervals ending in [fromMs, toMs], for the algorithm. */
  seriesOf(name: string, type: ExperimentType, fromMs: number, toMs: number): IntervalSeries {
    let columns = this.columns.get(name)
    if (columns === undefined || columns.type !== type) {
      columns = new GrowingSeries(type)
      this.columns.set(name, columns)
    }
    return columns.view(fromMs, toMs, () => [...(this.series.get(name)?.values() ?? [])])
  }

  /** Forgets everything; intervals are held again. */
  clear(): void {
    this.series.clear()
    this.columns.clear()
    this.images.clear()
    this.keys.clear()
    this.latest = Number.NEGATIVE_INFINITY
    this.withIntervals = true
  }
}
