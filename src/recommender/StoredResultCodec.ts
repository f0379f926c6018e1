/**
 * Reading `kruize_results.extended_data` back on activation: 1,440 rows per experiment. The engine wrote
 * these itself, so a plain structural check accepts them at a fraction of the schema's cost; a row it
 * is not sure about goes to the `StoredResult` schema, which has the last word (and names the problem).
 * A property test holds the two to the same answers.
 */
import { Either, ParseResult } from "effect"
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

const isStoredResult = (u: unknown): u is StoredResult => {
  if (!isPlainObject(u) || !Array.isArray(u.intervals)) return false
  for (const k in u) if (k !== "intervals") return false
  for (const interval of u.intervals) {
    if (!isPlainObject(interval) || typeof interval.name !== "string" || !isPlainObject(interval.metrics)) return false
    for (const k in interval) if (k !== "name" && k !== "image" && k !== "metrics") return false
    if (interval.image !== undefined && typeof interval.image !== "string") return false
    for (const name in interval.metrics) if (!isAggregates(interval.metrics[name])) return false
  }
  return true
}

const decodeSlow = ParseResult.decodeUnknownEither(StoredResult)

/** A stored row's content, or the schema's account of what is wrong with it. */
export const decodeStoredResult = (u: unknown): Either.Either<StoredResult, ParseResult.ParseError> =>
  isStoredResult(u) ? Either.right(u) : Either.mapLeft(decodeSlow(u), (issue) => new ParseResult.ParseError({ issue }))
