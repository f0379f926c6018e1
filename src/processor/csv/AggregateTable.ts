/**
 * Running aggregates of the float columns over the rows (pods) of one group, as upstream's gota `Aggregation`
 * computes them (ros-ocp-backend.md §2.6): `*_sum` → SUM, `*_avg` → MEAN, `*_min` → MIN, `*_max` → MAX.
 *
 * A missing cell is NaN here and NaN is contagious, so a column with one empty cell in the group has no aggregate.
 * That is upstream's result for SUM and MEAN (NaN in, NaN out); for MIN and MAX gota's answer depends on row order,
 * and "no value" is the consistent reading. Upstream then sends "NaN"; we omit the aggregate (design.md §7).
 * Sums run left to right in file order, like gota's `Sum`.
 */

export type Aggregation = "sum" | "mean" | "min" | "max"

/** The aggregation upstream applies to a float column, from its suffix. */
export const aggregationOf = (column: string): Aggregation =>
  column.endsWith("_sum") ? "sum" : column.endsWith("_min") ? "min" : column.endsWith("_max") ? "max" : "mean"

const SUM = 0
const MIN = 1
const MAX = 2
const codeOf = { sum: SUM, mean: SUM, min: MIN, max: MAX } as const

/** How to aggregate each column of a row vector; built once per file kind. */
export class AggregationPlan {
  readonly codes: Uint8Array
  readonly means: Uint8Array

  constructor(readonly aggregations: ReadonlyArray<Aggregation>) {
    this.codes = Uint8Array.from(aggregations, (a) => codeOf[a])
    this.means = Uint8Array.from(aggregations, (a) => (a === "mean" ? 1 : 0))
  }
}

export class ColumnAggregates {
  private readonly acc: Float64Array
  private count = 0

  constructor(private readonly plan: AggregationPlan) {
    const codes = plan.codes
    this.acc = new Float64Array(codes.length)
    for (let i = 0; i < codes.length; i++) {
      if (codes[i] === MIN) this.acc[i] = Number.POSITIVE_INFINITY
      else if (codes[i] === MAX) this.acc[i] = Number.NEGATIVE_INFINITY
    }
  }

  /** Adds one row; `values[i]` is NaN where the cell is empty or unparsable. */
  add(values: Float64Array): void {
    const codes = this.plan.codes
    const acc = this.acc
    for (let i = 0; i < codes.length; i++) {
      const v = values[i]!
      const code = codes[i]
      if (code === SUM) acc[i]! += v
      else if (code === MIN) acc[i] = Math.min(acc[i]!, v)
      else acc[i] = Math.max(acc[i]!, v)
    }
    this.count++
  }

  /** The aggregate of column `i`, or `undefined` when a row of the group had no value there. */
  value(i: number): number | undefined {
    const raw = this.acc[i]!
    const v = this.plan.means[i] === 1 ? raw / this.count : raw
    return Number.isNaN(v) ? undefined : v
  }
}
