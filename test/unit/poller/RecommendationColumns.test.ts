import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { RecommendationData } from "../../../schema/ros/UpdateRecommendationsAnswer.js"
import { checkContainerAnswer } from "../../../src/poller/RecommendationAnswer.js"
import {
  clamp10_4,
  clamp20_4,
  cpuVariationPct,
  memoryVariationPct,
  mib2,
  pct,
  recommendationColumns,
  trunc3
} from "../../../src/poller/RecommendationColumns.js"
import { recommendationDocument } from "../../support/rosSeed.js"
import { containerAnswer, MAX_END } from "./EngineAnswers.js"

const columnsOf = (entry: unknown) => recommendationColumns(Schema.decodeUnknownSync(RecommendationData)(entry))

const nulls = {
  cpu_variation_short_cost_pct: null,
  cpu_variation_short_performance_pct: null,
  cpu_variation_medium_cost_pct: null,
  cpu_variation_medium_performance_pct: null,
  cpu_variation_long_cost_pct: null,
  cpu_variation_long_performance_pct: null,
  memory_variation_short_cost_pct: null,
  memory_variation_short_performance_pct: null,
  memory_variation_medium_cost_pct: null,
  memory_variation_medium_performance_pct: null,
  memory_variation_long_cost_pct: null,
  memory_variation_long_performance_pct: null
}

describe("trunc3 (TruncateToThreeDecimalPlaces): truncates, never rounds", () => {
  it("cuts after the third decimal, toward zero", () => {
    expect(trunc3(2.9999)).toBe(2.999) // rounding would give 3
    expect(trunc3(-2.9999)).toBe(-2.999)
    expect(trunc3(123456.78912)).toBe(123456.789)
    expect(trunc3(0.1 + 0.2)).toBe(0.3) // 0.30000000000000004
    expect(trunc3(-0.22999999999999998)).toBe(-0.229) // rounding would give -0.23
  })

  it("leaves values with at most three decimals alone, even when ×1000 is not exact", () => {
    expect(trunc3(1.5)).toBe(1.5)
    expect(trunc3(0.285)).toBe(0.285) // 0.285 × 1000 = 284.99999999999997
    expect(trunc3(42)).toBe(42)
  })

  it("counts decimals on the shortest decimal form, so 1.0005 becomes 1 and 1e-7 becomes 0", () => {
    expect(trunc3(1.0005)).toBe(1) // 1.0005 × 1000 = 1000.4999999999999
    expect(trunc3(1e-7)).toBe(0)
  })
})

describe("MiB2, pct, clamps", () => {
  it("mib2 converts bytes to MiB truncated to 2 decimals", () => {
    expect(mib2(536870912)).toBe(512)
    expect(mib2(16070912)).toBe(15.32) // 15.3264…
    expect(mib2(-16070912)).toBe(-15.32)
    expect(mib2(1048575)).toBe(0.99) // 0.99999…
  })

  it("pct is 0 when either side is 0", () => {
    expect(pct(0, 3)).toBe(0)
    expect(pct(3, 0)).toBe(0)
    expect(pct(1, 4)).toBe(25)
  })

  it("clamp10_4 and clamp20_4 bound magnitudes and zero NaN and infinities", () => {
    expect(clamp10_4(1e7)).toBe(999999.9999)
    expect(clamp10_4(-1e7)).toBe(-999999.9999)
    expect(clamp10_4(Number.NaN)).toBe(0)
    expect(clamp10_4(Number.POSITIVE_INFINITY)).toBe(0)
    expect(clamp10_4(12.5)).toBe(12.5)
    // the largest double below 1e16: NUMERIC(20,4) refuses 1e16 itself
    expect(clamp20_4(2e16)).toBe(9999999999999998)
    expect(clamp20_4(1e15)).toBe(1e15)
  })

  it("the variation percentages clamp like upstream's regression test", () => {
    // 100 cores against 0.001 core: 10 000 000 %
    expect(cpuVariationPct(100, 0.001)).toBe(999999.9999)
    expect(cpuVariationPct(-100, 0.001)).toBe(-999999.9999)
    // 1e12 bytes against 1 MiB
    expect(memoryVariationPct(1e12, 1048576)).toBe(999999.9999)
  })

  it("memory percentages compare in displayed MiB, as upstream's row-order test", () => {
    // raw byte ratios order row A first; the displayed MiB values order row B first
    const a = memoryVariationPct(1152385, 3146804) // 1.09 MiB / 3.00 MiB
    const b = memoryVariationPct(1143997, 3144707) // 1.09 MiB / 2.99 MiB
    expect(a).toBe(36.333)
    expect(b).toBe(36.454)
  })

  it("a variation below a thousandth of a core is 0 %", () => {
    expect(cpuVariationPct(0.0004, 1)).toBe(0)
    expect(Object.is(cpuVariationPct(-0.0004, 1), 0)).toBe(true)
  })
})

describe("recommendationColumns (ros-ocp-backend §4.2)", () => {
  it("the engine's `app` answer: hand-computed", () => {
    const check = Either.getOrThrow(checkContainerAnswer(containerAnswer(), MAX_END))
    expect(recommendationColumns(check.valid[0]!.data[0]!)).toEqual({
      ...nulls,
      cpu_request_current: 1.5,
      memory_request_current: 536870912,
      // trunc3(-0.22999999999999998) = -0.229; -0.229 / 1.5 × 100 = -15.2666… → -15.266
      cpu_variation_short_cost_pct: -15.266,
      // trunc3(0.13000000000000012) = 0.13; 0.13 / 1.5 × 100 = 8.6666… → 8.666
      cpu_variation_short_performance_pct: 8.666,
      // MiB2(-16070912) = -15.32; MiB2(536870912) = 512; -15.32 / 512 × 100 = -2.9921875 → -2.992
      memory_variation_short_cost_pct: -2.992,
      memory_variation_short_performance_pct: -2.992
    })
  })

  it("nothing current: requests are 0 and every percentage of a term with engines is 0, not null", () => {
    expect(
      columnsOf({
        recommendation_terms: {
          long_term: {
            recommendation_engines: {
              cost: { variation: { requests: { cpu: { amount: 1 }, memory: { amount: 1e9 } } } }
            }
          }
        }
      })
    ).toEqual({
      ...nulls,
      cpu_request_current: 0,
      memory_request_current: 0,
      cpu_variation_long_cost_pct: 0,
      cpu_variation_long_performance_pct: 0,
      memory_variation_long_cost_pct: 0,
      memory_variation_long_performance_pct: 0
    })
  })

  it("an engine missing from a term counts as Go's zero engine: 0 %", () => {
    const columns = columnsOf({
      current: { requests: { cpu: { amount: 2 }, memory: { amount: 1073741824 } } },
      recommendation_terms: {
        medium_term: {
          recommendation_engines: {
            performance: { variation: { requests: { cpu: { amount: -1.0005 }, memory: { amount: 268435456 } } } }
          }
        }
      }
    })
    expect(columns.cpu_variation_medium_cost_pct).toBe(0)
    expect(columns.memory_variation_medium_cost_pct).toBe(0)
    // trunc3(-1.0005) = -1; -1 / 2 × 100 = -50
    expect(columns.cpu_variation_medium_performance_pct).toBe(-50)
    // 256 MiB / 1024 MiB = 25 %
    expect(columns.memory_variation_medium_performance_pct).toBe(25)
    expect(columns.cpu_variation_short_cost_pct).toBeNull()
    expect(columns.cpu_variation_long_performance_pct).toBeNull()
  })

  it("current requests are clamped into their columns before the percentages", () => {
    const columns = columnsOf({
      current: { requests: { cpu: { amount: 2e6 }, memory: { amount: 3e16 } } },
      recommendation_terms: {
        short_term: { recommendation_engines: { cost: { variation: { requests: { cpu: { amount: -999999.9999 } } } } } }
      }
    })
    expect(columns.cpu_request_current).toBe(999999.9999)
    expect(columns.memory_request_current).toBe(9999999999999998)
    // trunc3(-999999.9999) / trunc3(999999.9999) = -999999.999 / 999999.999 → -100
    expect(columns.cpu_variation_short_cost_pct).toBe(-100)
  })
})

describe("recommendationColumns of documents as the API tests seed them", () => {
  const GIB = 1024 ** 3

  it("request variations as the API shows them, NULL for terms without engines", () => {
    const doc = recommendationDocument({
      endTime: new Date("2026-06-01T11:45:00Z"),
      current: { cpuRequest: 1.5, cpuLimit: 2, memoryRequest: GIB, memoryLimit: 2 * GIB },
      cost: { cpu: 1.27, memory: 0.75 * GIB },
      performance: { cpu: 1.63, memory: 1.5 * GIB },
      terms: ["short_term"]
    })
    const columns = columnsOf(doc)
    expect(columns.cpu_request_current).toBe(1.5)
    expect(columns.memory_request_current).toBe(GIB)
    // (1.27 - 1.5) / 1.5 = -15.333…% truncated to three decimals
    expect(columns.cpu_variation_short_cost_pct).toBe(-15.333)
    expect(columns.cpu_variation_short_performance_pct).toBe(8.666)
    expect(columns.memory_variation_short_cost_pct).toBe(-25)
    expect(columns.memory_variation_short_performance_pct).toBe(50)
    expect(columns.cpu_variation_medium_cost_pct).toBeNull()
    expect(columns.memory_variation_long_performance_pct).toBeNull()
  })

  it("a zero current request gives 0 %, never NaN or Infinity", () => {
    const doc = recommendationDocument({
      endTime: new Date("2026-06-01T00:00:00Z"),
      current: { cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 },
      cost: { cpu: 1, memory: GIB },
      performance: { cpu: 2, memory: GIB }
    })
    expect(columnsOf(doc).cpu_variation_long_cost_pct).toBe(0)
    expect(columnsOf(doc).memory_variation_long_cost_pct).toBe(0)
  })
})
