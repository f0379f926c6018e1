/**
 * Upstream's `calculatePercentage`, which the API applies to limit variations: 0 when either side is 0, never NaN or
 * Infinity. (The stored request percentages are the poller's: test/unit/poller/RecommendationColumns.test.ts.)
 */
import { describe, expect, it } from "@effect/vitest"
import { percentOf } from "../../../src/api/VariationPercent.js"

describe("percentOf", () => {
  it("is 0 when either side is 0, else the ratio in percent", () => {
    expect(percentOf(5, 0)).toBe(0)
    expect(percentOf(0, 5)).toBe(0)
    expect(percentOf(-0.23, 1.5)).toBeCloseTo(-15.333, 3)
  })
})
