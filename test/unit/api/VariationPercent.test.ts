/**
 * The derived columns of §4.2: current requests clamped to their NUMERIC types, request variations as truncated
 * percentages (memory through MiB with two decimals), NULL for a term without engines.
 */
import { describe, expect, it } from "@effect/vitest"
import { clampNumeric10, derivedColumns, percentOf } from "../../../src/api/VariationPercent.js"
import { recommendationDocument } from "../../support/rosSeed.js"

const GIB = 1024 ** 3

describe("derivedColumns", () => {
  it("stores request variations as the API shows them, NULL for terms without engines", () => {
    const doc = recommendationDocument({
      endTime: new Date("2026-06-01T11:45:00Z"),
      current: { cpuRequest: 1.5, cpuLimit: 2, memoryRequest: GIB, memoryLimit: 2 * GIB },
      cost: { cpu: 1.27, memory: 0.75 * GIB },
      performance: { cpu: 1.63, memory: 1.5 * GIB },
      terms: ["short_term"]
    })
    const columns = derivedColumns(doc)
    expect(columns.cpu_request_current).toBe(1.5)
    expect(columns.memory_request_current).toBe(GIB)
    // (1.27 - 1.5) / 1.5 = -15.333…% truncated to three decimals
    expect(columns.percents.cpu_variation_short_cost_pct).toBe(-15.333)
    expect(columns.percents.cpu_variation_short_performance_pct).toBe(8.666)
    expect(columns.percents.memory_variation_short_cost_pct).toBe(-25)
    expect(columns.percents.memory_variation_short_performance_pct).toBe(50)
    expect(columns.percents.cpu_variation_medium_cost_pct).toBeNull()
    expect(columns.percents.memory_variation_long_performance_pct).toBeNull()
  })

  it("a zero current request gives 0 %, never NaN or Infinity; values are clamped to NUMERIC(10,4)", () => {
    expect(percentOf(5, 0)).toBe(0)
    expect(percentOf(0, 5)).toBe(0)
    expect(clampNumeric10((100 / 0.001) * 100)).toBe(999999.9999)
    expect(clampNumeric10(Number.NaN)).toBe(0)
    const doc = recommendationDocument({
      endTime: new Date("2026-06-01T00:00:00Z"),
      current: { cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 },
      cost: { cpu: 1, memory: GIB },
      performance: { cpu: 2, memory: GIB }
    })
    expect(derivedColumns(doc).percents.cpu_variation_long_cost_pct).toBe(0)
  })
})
