/**
 * Kruize's percentile (`CommonUtils.percentile`, kruize.md §3.1): sort ascending, take the element at index
 * `round(p/100 × (n−1))`. No interpolation. Java's `Math.round` is floor(x + 0.5), which equals JS `Math.round` for
 * the non-negative indices used here.
 */
export const percentileIndex = (p: number, n: number): number => Math.round((p / 100) * (n - 1))

/** `sorted` must be ascending and non-empty. */
export const percentile = (sorted: ArrayLike<number>, p: number): number => sorted[percentileIndex(p, sorted.length)]!

/** A sorted copy of `values` (numeric order; typed-array sort orders −0 before 0 like Java's `Double.compareTo`). */
export const sortedCopy = (values: Float64Array): Float64Array => Float64Array.from(values).sort()

/** The `p`th percentile of `values[from, to)` (non-empty); p = 100 is the maximum, found without sorting. */
export const rangePercentile = (values: Float64Array, from: number, to: number, p: number): number => {
  if (p === 100) {
    let max = values[from]!
    for (let i = from + 1; i < to; i++) if (values[i]! > max) max = values[i]!
    return max
  }
  return percentile(sortedCopy(values.subarray(from, to)), p)
}
