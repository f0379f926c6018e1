/**
 * Which aggregated columns feed which Kruize metric (ros-ocp-backend.md §3.5, §3.6), and the rule deciding whether
 * a metric is sent at all. The order of a table is the order metrics appear in a payload (upstream iterates a Go
 * map, so its order is random; a fixed one makes payloads comparable).
 */
import { formatDecimal } from "../../../schema/ros/CsvDecimal.js"
import type { AggregationInfo, MetricFormat } from "../../../schema/ros/UpdateResultsEntry.js"
import type { AggregateTable } from "./AggregateTable.js"

export interface MetricSource<N extends string, C extends string> {
  readonly name: N
  readonly sum?: C
  readonly avg?: C
  readonly min?: C
  readonly max?: C
  readonly format?: MetricFormat
}

interface ResolvedMetric<N extends string> {
  readonly name: N
  readonly sum: number
  readonly avg: number
  readonly min: number
  readonly max: number
  readonly format: MetricFormat | undefined
}

/** Container metrics need both sum and avg; namespace metrics need any one aggregate. */
export type EmitRule = "sumAndAvg" | "anyAggregate"

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export class MetricTable<N extends string, C extends string> {
  private readonly resolved: ReadonlyArray<ResolvedMetric<N>>

  constructor(
    sources: ReadonlyArray<MetricSource<N, C>>,
    columns: ReadonlyArray<C>,
    private readonly rule: EmitRule
  ) {
    const at = (column: C | undefined) => (column === undefined ? -1 : columns.indexOf(column))
    this.resolved = sources.map((s) => ({
      name: s.name,
      sum: at(s.sum),
      avg: at(s.avg),
      min: at(s.min),
      max: at(s.max),
      format: s.format
    }))
  }

  /** The metrics of one group of the table, each aggregate as a decimal string, absent ones left out. */
  metrics(aggregates: AggregateTable, row: number): Array<{ name: N; results: { aggregation_info: AggregationInfo } }> {
    const out: Array<{ name: N; results: { aggregation_info: AggregationInfo } }> = []
    const read = (i: number) => (i < 0 ? undefined : aggregates.value(row, i))
    for (const m of this.resolved) {
      const sum = read(m.sum)
      const avg = read(m.avg)
      const min = read(m.min)
      const max = read(m.max)
      const emit =
        this.rule === "sumAndAvg"
          ? sum !== undefined && avg !== undefined
          : sum !== undefined || avg !== undefined || min !== undefined || max !== undefined
      if (!emit) continue
      // Key order of upstream's `aggregation_info` struct.
      const info: Mutable<AggregationInfo> = {}
      if (min !== undefined) info.min = formatDecimal(min)
      if (max !== undefined) info.max = formatDecimal(max)
      if (sum !== undefined) info.sum = formatDecimal(sum)
      if (avg !== undefined) info.avg = formatDecimal(avg)
      if (m.format !== undefined) info.format = m.format
      out.push({ name: m.name, results: { aggregation_info: info } })
    }
    return out
  }
}
