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

/**
 * The running aggregates of every group of a file, a row per group in one shared Float64Array: a file has tens
 * of thousands of groups, and an object with a typed array of its own for each cost twice the memory and as
 * many objects for the collector to trace.
 */
export class AggregateTable {
  private readonly width: number
  /** a new row's accumulators: 0 for sums and means, +∞ for minimums, −∞ for maximums */
  private readonly seed: Float64Array
  private acc: Float64Array
  private counts: Uint32Array
  private rows = 0

  constructor(
    private readonly plan: AggregationPlan,
    initialRows = 1024
  ) {
    const codes = plan.codes
    this.width = codes.length
    this.seed = Float64Array.from(codes, (code) =>
      code === MIN ? Number.POSITIVE_INFINITY : code === MAX ? Number.NEGATIVE_INFINITY : 0
    )
    this.acc = new Float64Array(initialRows * this.width)
    this.counts = new Uint32Array(initialRows)
  }

  /** A new group with no rows yet; its number is what `add` and `value` take. */
  newRow(): number {
    if (this.rows === this.counts.length) {
      const acc = new Float64Array(this.acc.length * 2)
      acc.set(this.acc)
      this.acc = acc
      const counts = new Uint32Array(this.counts.length * 2)
      counts.set(this.counts)
      this.counts = counts
    }
    this.acc.set(this.seed, this.rows * this.width)
    return this.rows++
  }

  /** Adds one CSV row to group `row`; `values[i]` is NaN where the cell is empty or unparsable. */
  add(row: number, values: Float64Array): void {
    const codes = this.plan.codes
    const acc = this.acc
    const base = row * this.width
    for (let i = 0; i < codes.length; i++) {
      const v = values[i]!
      const code = codes[i]
      const at = base + i
      if (code === SUM) acc[at]! += v
      else if (code === MIN) acc[at] = Math.min(acc[at]!, v)
      else acc[at] = Math.max(acc[at]!, v)
    }
    this.counts[row]!++
  }

  /** The aggregate of column `i` of group `row`, or `undefined` when a row of the group had no value there. */
  value(row: number, i: number): number | undefined {
    const raw = this.acc[row * this.width + i]!
    const v = this.plan.means[i] === 1 ? raw / this.counts[row]! : raw
    return Number.isNaN(v) ? undefined : v
  }
}
