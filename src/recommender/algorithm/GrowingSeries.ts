/**
 * The {@link IntervalSeries} of one container (or namespace) kept up to date while its results arrive, so that a
 * recommendation on a warm window reads typed columns instead of re-reading ~1,440 interval objects scattered over
 * the heap (that pass was half of the computation). Results arrive in time order: appending one computes one row
 * with the same per-interval rule as {@link intervalSeries}, and retention moves the start index. Anything else (a
 * result out of order, an end time replaced) marks the series stale, and the next read rebuilds it from the
 * intervals.
 */
import type { ExperimentType, IntervalResult } from "./IntervalResult.js"
import {
  allocateColumns,
  columnNames,
  firstAfter,
  firstAtOrAfter,
  type IntervalSeries,
  type SeriesColumns,
  seriesRow,
  sortedByEnd
} from "./IntervalSeries.js"

export class GrowingSeries {
  private readonly row: (s: SeriesColumns, i: number, interval: IntervalResult) => void
  private intervals: Array<IntervalResult> = []
  private columns: SeriesColumns = allocateColumns(0)
  /** rows [start, end) of the columns and of `intervals` are live */
  private start = 0
  private end = 0
  private stale = true

  constructor(readonly type: ExperimentType) {
    this.row = seriesRow(type)
  }

  /**
   * A new interval of the container. One that does not end after the last one held (out of order, or replacing an
   * end time held) makes the series stale.
   */
  add(interval: IntervalResult): void {
    if (this.stale) return
    if (this.end > this.start && interval.endMs <= this.columns.endMs[this.end - 1]!) {
      this.markStale()
      return
    }
    if (this.end === this.columns.endMs.length) this.reserve(this.end - this.start + 1)
    this.intervals[this.end] = interval
    this.row(this.columns, this.end, interval)
    this.end++
  }

  /** Retention: the intervals ending before `ms` are gone. */
  dropBefore(ms: number): void {
    if (this.stale) return
    while (this.start < this.end && this.columns.endMs[this.start]! < ms) {
      this.intervals[this.start] = undefined as unknown as IntervalResult
      this.start++
    }
  }

  private markStale(): void {
    this.stale = true
    this.intervals = []
    this.columns = allocateColumns(0)
    this.start = 0
    this.end = 0
  }

  /**
   * The series of the intervals ending in [fromMs, toMs]. `held` gives every interval of the container (any order)
   * when the series has to be rebuilt.
   */
  view(fromMs: number, toMs: number, held: () => ReadonlyArray<IntervalResult>): IntervalSeries {
    if (this.stale) this.rebuild(held())
    const c = this.columns
    const live = c.endMs.subarray(this.start, this.end)
    const from = this.start + firstAtOrAfter(live, fromMs)
    const to = this.start + firstAfter(live, toMs)
    return {
      intervals: this.intervals.slice(from, to),
      endMs: c.endMs.subarray(from, to),
      cpu: c.cpu.subarray(from, to),
      cpuMin: c.cpuMin.subarray(from, to),
      memory: c.memory.subarray(from, to),
      memoryMin: c.memoryMin.subarray(from, to),
      spike: c.spike.subarray(from, to),
      pods: c.pods.subarray(from, to)
    }
  }

  private rebuild(all: ReadonlyArray<IntervalResult>): void {
    const sorted = sortedByEnd(all)
    this.columns = allocateColumns(Math.max(16, sorted.length * 2))
    this.intervals = sorted.slice()
    for (let i = 0; i < sorted.length; i++) this.row(this.columns, i, sorted[i]!)
    this.start = 0
    this.end = sorted.length
    this.stale = false
  }

  /** Room for `live` rows from index 0: the live rows move to the front, into larger columns when needed. */
  private reserve(live: number): void {
    const capacity = this.columns.endMs.length
    const next = live * 2 <= capacity ? this.columns : allocateColumns(Math.max(16, live * 2))
    for (const name of columnNames) next[name].set(this.columns[name].subarray(this.start, this.end))
    this.intervals = this.intervals.slice(this.start, this.end)
    this.columns = next
    this.end -= this.start
    this.start = 0
  }
}
