/**
 * Ids in request bodies: sources-api-go takes a JSON number or a string of digits; anything else is refused.
 */
import { describe, expect, it } from "@effect/vitest"
import { parseIdInput } from "../../../src/sources/SourcesService.js"

describe("parseIdInput", () => {
  it("accepts numbers and digit strings, normalised", () => {
    expect(parseIdInput(7)).toBe("7")
    expect(parseIdInput("7")).toBe("7")
    expect(parseIdInput("007")).toBe("7")
    expect(parseIdInput("9223372036854775807")).toBe("9223372036854775807")
  })

  it("refuses what is not a non-negative int64", () => {
    expect(parseIdInput(1.5)).toBeUndefined()
    expect(parseIdInput(-1)).toBeUndefined()
    expect(parseIdInput("-1")).toBeUndefined()
    expect(parseIdInput("1e3")).toBeUndefined()
    expect(parseIdInput("")).toBeUndefined()
    expect(parseIdInput(" 1")).toBeUndefined()
    expect(parseIdInput("9223372036854775808")).toBeUndefined()
    expect(parseIdInput(Number.NaN)).toBeUndefined()
  })
})
