/**
 * How the engine keeps one accepted /updateResults record in `kruize_results.extended_data`: per container
 * (or the namespace) only the aggregates that were sent, so reloading an experiment's window decodes small
 * plain objects instead of re-validating the wire record.
 */
import { Schema } from "effect"

const NonNegative = Schema.Number.pipe(Schema.finite(), Schema.nonNegative())

export const StoredAggregates = Schema.Struct({
  sum: Schema.optionalWith(NonNegative, { exact: true }),
  avg: Schema.optionalWith(NonNegative, { exact: true }),
  min: Schema.optionalWith(NonNegative, { exact: true }),
  max: Schema.optionalWith(NonNegative, { exact: true }),
  count: Schema.optionalWith(NonNegative, { exact: true }),
  median: Schema.optionalWith(NonNegative, { exact: true }),
  mode: Schema.optionalWith(NonNegative, { exact: true }),
  range: Schema.optionalWith(NonNegative, { exact: true }),
  format: Schema.optionalWith(Schema.String, { exact: true })
})
export type StoredAggregates = typeof StoredAggregates.Type

export const StoredInterval = Schema.Struct({
  /** The container name, or the namespace of a namespace experiment. */
  name: Schema.String,
  image: Schema.optionalWith(Schema.String, { exact: true }),
  metrics: Schema.Record({ key: Schema.String, value: StoredAggregates })
})
export type StoredInterval = typeof StoredInterval.Type

export const StoredResult = Schema.Struct({
  intervals: Schema.Array(StoredInterval)
}).annotations({ identifier: "StoredResult" })
export type StoredResult = typeof StoredResult.Type
