/**
 * How results are kept in `kruize_result_days.entries`, and reading them back on activation: 1,440 per
 * experiment. The engine wrote them itself, so a plain structural check accepts them at a fraction of the
 * schema's cost; anything it is not sure about goes to the schema (`StoredResult`'s intervals), which has
 * the last word (and names the problem). A property test holds the two to the same answers.
 */
import { Either, ParseResult, Schema } from "effect"
import { type StoredAggregates, StoredResult } from "../../schema/kruize/StoredResult.js"

const aggregateKeys = new Set(["sum", "avg", "min", "max", "count", "median", "mode", "range"])

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const isAggregates = (u: unknown): u is StoredAggregates => {
  if (!isPlainObject(u)) return false
  for (const key in u) {
    const value = u[key]
    if (key === "format") {
      if (typeof value !== "string") return false
    } else if (!aggregateKeys.has(key) || typeof value !== "number" || !(value >= 0) || value === Infinity) {
      // `!(value >= 0)` also rejects NaN; unknown keys go to the schema, which drops or rejects them.
      return false
    }
  }
  return true
}

const isStoredIntervals = (u: unknown): u is StoredResult["intervals"] => {
  if (!Array.isArray(u)) return false
  for (const interval of u) {
    if (!isPlainObject(interval) || typeof interval.name !== "string" || !isPlainObject(interval.metrics)) return false
    for (const k in interval) if (k !== "name" && k !== "image" && k !== "metrics") return false
    if (interval.image !== undefined && typeof interval.image !== "string") return false
    for (const name in interval.metrics) if (!isAggregates(interval.metrics[name])) return false
  }
  return true
}

/**
 * `kruize_result_days.entries` holds one chunk's results of a day as JSON array elements joined by commas: each
 * element is `[interval_start ms, interval_end ms, intervals]`, `intervals` being a StoredResult's. The rows of an
 * experiment, joined by commas in day and arrival order, are one JSON array.
 */
export interface StoredEntry {
  readonly startMs: number
  readonly endMs: number
  readonly intervals: StoredResult["intervals"]
}

/** One element of `entries`. `intervals` encode to themselves (plain numbers and strings). */
export const encodeEntry = (startMs: number, endMs: number, intervals: StoredResult["intervals"]): string =>
  `[${startMs},${endMs},${JSON.stringify(intervals)}]`

const StoredEntries = Schema.parseJson(
  Schema.Array(Schema.Tuple(Schema.Number, Schema.Number, StoredResult.fields.intervals))
)
const decodeEntriesSlow = ParseResult.decodeUnknownEither(StoredEntries)

const isEpochMs = (u: unknown): u is number => typeof u === "number" && Number.isFinite(u)

/** The elements of `entries` rows joined with commas (`""` for none), in order, or what is wrong with them. */
export const decodeEntries = (text: string): Either.Either<ReadonlyArray<StoredEntry>, ParseResult.ParseError> => {
  const slow = () =>
    Either.map(
      Either.mapLeft(decodeEntriesSlow(`[${text}]`), (issue) => new ParseResult.ParseError({ issue })),
      (tuples) => tuples.map(([startMs, endMs, intervals]) => ({ startMs, endMs, intervals }))
    )
  let parsed: unknown
  try {
    parsed = JSON.parse(`[${text}]`)
  } catch {
    return slow()
  }
  if (!Array.isArray(parsed)) return slow()
  const out: Array<StoredEntry> = []
  for (const element of parsed) {
    if (!Array.isArray(element) || element.length !== 3) return slow()
    const [startMs, endMs, intervals] = element as [unknown, unknown, unknown]
    if (!isEpochMs(startMs) || !isEpochMs(endMs) || !isStoredIntervals(intervals)) return slow()
    out.push({ startMs, endMs, intervals })
  }
  return Either.right(out)
}
