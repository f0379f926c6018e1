/**
 * The fast /updateResults decoder must agree with the schema: whenever it answers, its records equal what
 * the schema decodes; for the bodies ROS sends it must answer, or it would be no faster.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, FastCheck as fc } from "effect"
import { UpdateResultsRequest } from "../../../schema/kruize/Results.js"
import { fastDecodeResults } from "../../../src/recommender/validation/FastResults.js"
import { decodeJsonBody } from "../../../src/recommender/validation/JsonBody.js"
import { containerRecord, namespaceRecord } from "../../support/kruizeFixtures.js"
import { mutate } from "../../support/mutate.js"

const schemaDecode = (body: string) => decodeJsonBody(UpdateResultsRequest, body)

const agree = (body: string) => {
  const fast = fastDecodeResults(JSON.parse(body))
  if (fast === undefined) return "schema only" as const
  const slow = schemaDecode(body)
  expect(Either.isRight(slow), body.slice(0, 300)).toBe(true)
  expect(fast).toStrictEqual(Either.getOrThrow(slow))
  return "both" as const
}

const oddValues = fc.oneof(
  fc.constant(null),
  fc.constant(""),
  fc.constant("NaN"),
  fc.constant(" 4.4 "),
  fc.constant("4.4d"),
  fc.constant("1e999"),
  fc.constant("xyz"),
  fc.constant("2026-06-01T10:00:00+02:00"),
  fc.constant("2026-06-01"),
  fc.constant("x".repeat(5000)),
  fc.constant("007.50"),
  fc.constant("1."),
  fc.constant(".5"),
  fc.constant("9".repeat(400)),
  fc.stringMatching(/^\d{1,25}(\.\d{1,25})?$/),
  fc.constant([]),
  fc.constant([null]),
  fc.constant({}),
  fc.constant({ extra: 1 }),
  fc.boolean(),
  fc.double(),
  fc.integer(),
  fc.string()
)

describe("fast /updateResults decoding", () => {
  it("decodes the records ROS sends, exactly as the schema does", () => {
    const body = JSON.stringify([
      ...Array.from({ length: 50 }, (_, i) => containerRecord(i)),
      ...Array.from({ length: 50 }, (_, i) => namespaceRecord(i))
    ])
    expect(agree(body)).toBe("both")
  })

  it("never disagrees with the schema on altered records", () => {
    let answered = 0
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
        oddValues,
        fc.boolean(),
        (path, replacement, namespace) => {
          const base = [namespace ? namespaceRecord(0) : containerRecord(0), containerRecord(1)]
          const body = JSON.stringify(mutate(base, path, replacement))
          if (agree(body) === "both") answered++
        }
      ),
      { numRuns: 2000, seed: 20261126 }
    )
    // Both outcomes occur, so the property is not vacuous.
    expect(answered).toBeGreaterThan(100)
    expect(answered).toBeLessThan(2000)
  })

  it("leaves every body that is not an array of objects to the schema", () => {
    for (const json of [null, 1, "x", {}, [null], [1], [[]]]) expect(fastDecodeResults(json)).toBeUndefined()
  })
})
