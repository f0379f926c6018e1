/**
 * A term's box plots (plots.plots_data, one box per timestamp) brought to cores or bytes, oldest first, and the
 * lines drawn over them.
 */
import type { BoxStats, Plots } from "../api/RecommendationTypes"
import { baseAmount, type Resource } from "../format/Quantity"

export interface UsageBox {
  /** Seconds since the epoch. */
  readonly at: number
  readonly min: number
  readonly q1: number
  readonly median: number
  readonly q3: number
  readonly max: number
}

export interface ReferenceLine {
  readonly label: string
  /** Cores or bytes; undefined: not set, not drawn. */
  readonly value: number | undefined
  readonly color: string
  readonly dashed: boolean
}

const boxOf = (resource: Resource, at: number, stats: BoxStats | undefined): UsageBox | undefined => {
  if (stats === undefined) return undefined
  const base = (v: number | undefined) => baseAmount(resource, v, stats.format)
  const [min, q1, median, q3, max] = [stats.min, stats.q1, stats.median, stats.q3, stats.max].map((v) => base(v))
  if (min === undefined || q1 === undefined || median === undefined || q3 === undefined || max === undefined) {
    return undefined
  }
  return { at, min, q1, median, q3, max }
}

export const usageBoxes = (plots: Plots | null | undefined, resource: Resource): ReadonlyArray<UsageBox> =>
  Object.entries(plots?.plots_data ?? {})
    .map(([timestamp, point]) =>
      boxOf(resource, Date.parse(timestamp) / 1000, resource === "cpu" ? point.cpuUsage : point.memoryUsage)
    )
    .filter((box): box is UsageBox => box !== undefined && Number.isFinite(box.at))
    .sort((a, b) => a.at - b.at)
