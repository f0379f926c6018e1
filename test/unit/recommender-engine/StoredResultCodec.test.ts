/**
 * Stored entries (`kruize_result_days.entries`): what the engine writes reads back unchanged, and the fast
 * check of stored entries never accepts what the schema rejects, nor returns something other than what the
 * schema decodes.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, ParseResult, Schema } from "effect"
import { StoredResult } from "../../../schema/kruize/StoredResult.js"
import { decodeEntries, encodeEntry } from "../../../src/recommender/StoredResultCodec.js"
import { mutate } from "../../support/mutate.js"

const intervals = [
  {
    name: "app",
    image: "img:1",
    metrics: {
      cpuUsage: { avg: 0.5, max: 1, min: 0, sum: 1.5, format: "cores" },
      memoryUsage: { max: 1024, format: "bytes" }
    }
  },
  { name: "sidecar", metrics: { cpuUsage: { avg: 0 } } }
]

const entries = [
  { startMs: 1_780_000_000_000, endMs: 1_780_000_900_000, intervals },
  { startMs: 1_780_000_900_000, endMs: 1_780_001_800_000, intervals: intervals.slice(1) }
]

const text = (values: ReadonlyArray<unknown>) => values.map((v) => JSON.stringify(v)).join(",")
const asTuples = entries.map((e) => [e.startMs, e.endMs, e.intervals])

const schemaDecode = (body: string) =>
  Either.map(
    ParseResult.decodeUnknownEither(
      Schema.parseJson(Schema.Array(Schema.Tuple(Schema.Number, Schema.Number, StoredResult.fields.intervals)))
    )(`[${body}]`),
    (tuples) => tuples.map(([startMs, endMs, intervals]) => ({ startMs, endMs, intervals }))
  )

describe("stored entries", () => {
  it("reads back what the engine writes, in order, unchanged", () => {
    const written = entries.map((e) => encodeEntry(e.startMs, e.endMs, e.intervals)).join(",")
    expect(decodeEntries(written)).toStrictEqual(Either.right(entries))
    // Rows are appended to and joined with commas: any split of the list reads the same.
    const [first, second] = entries.map((e) => encodeEntry(e.startMs, e.endMs, e.intervals))
    expect(decodeEntries(`${first},${second}`)).toStrictEqual(decodeEntries(written))
    expect(decodeEntries("")).toStrictEqual(Either.right([]))
  })

  it("reports what is not an entry", () => {
    expect(Either.isLeft(decodeEntries("[1,2"))).toBe(true)
    expect(Either.isLeft(decodeEntries("[1,2,3]"))).toBe(true)
    expect(Either.isLeft(decodeEntries(`["1",2,${JSON.stringify(intervals)}]`))).toBe(true)
  })

  it("agrees with the schema on altered entries", () => {
    let rejected = 0
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 7 }),
        fc.oneof(
          fc.constant(null),
          fc.constant(-1),
          fc.constant(Number.NaN),
          fc.constant(Number.POSITIVE_INFINITY),
          fc.constant("x"),
          fc.constant([]),
          fc.constant({}),
          fc.constant({ extra: 1 }),
          fc.constant([1, 2]),
          fc.double(),
          fc.string()
        ),
        (path, replacement) => {
          const body = text(mutate(asTuples, path, replacement) as ReadonlyArray<unknown>)
          const fast = decodeEntries(body)
          const slow = schemaDecode(body)
          expect(Either.isRight(fast)).toBe(Either.isRight(slow))
          if (Either.isRight(fast) && Either.isRight(slow)) expect(fast.right).toStrictEqual(slow.right)
          if (Either.isLeft(fast)) rejected++
        }
      ),
      { numRuns: 1500, seed: 1126 }
    )
    expect(rejected).toBeGreaterThan(100)
  })
})
