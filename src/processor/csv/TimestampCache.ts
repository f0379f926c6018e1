/**
 * Parsed interval bounds, memoised: a file repeats the same few hundred timestamps on every row, and the cache is
 * bounded by the number of distinct intervals, like the aggregates themselves.
 */
import { parseGoTimestamp } from "./GoTimestamp.js"
import { ownCopy } from "./StringPool.js"

const INVALID = Number.NaN

export class TimestampCache {
  private readonly parsed = new Map<string, number>()

  /** Epoch ms, or `undefined` if the text is not a Go timestamp. */
  get(text: string): number | undefined {
    let ms = this.parsed.get(text)
    if (ms === undefined) {
      ms = parseGoTimestamp(text) ?? INVALID
      // The key is kept: a copy, not a slice of the chunk the cell came from.
      this.parsed.set(ownCopy(text), ms)
    }
    return Number.isNaN(ms) ? undefined : ms
  }
}
