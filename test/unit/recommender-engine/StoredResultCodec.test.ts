/**
 * The fast check of stored results must never accept what the StoredResult schema rejects, nor return
 * something other than what the schema decodes.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc, ParseResult } from "effect"
import { StoredResult } from "../../../schema/kruize/StoredResult.js"
import { decodeStoredResult } from "../../../src/recommender/StoredResultCodec.js"
import { mutate } from "../../support/mutate.js"

const valid = {
  intervals: [
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
}

const schemaDecode = ParseResult.decodeUnknownEither(StoredResult)

describe("decoding stored results", () => {
  it("accepts what the engine writes, unchanged", () => {
    expect(decodeStoredResult(valid)).toStrictEqual(Either.right(valid))
  })

  it("agrees with the schema on altered rows", () => {
    let rejected = 0
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
        fc.oneof(
          fc.constant(null),
          fc.constant(-1),
          fc.constant(Number.NaN),
          fc.constant(Number.POSITIVE_INFINITY),
          fc.constant("x"),
          fc.constant([]),
          fc.constant({}),
          fc.constant({ extra: 1 }),
          fc.double(),
          fc.string()
        ),
        (path, replacement) => {
          const row = mutate(valid, path, replacement)
          const fast = decodeStoredResult(row)
          const slow = schemaDecode(row)
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
