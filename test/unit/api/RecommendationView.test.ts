/**
 * How a stored recommendation is shown (§5.6): box plots only on details, units and formats converted, Go's zero
 * start time removed, durations truncated, only "optimised" notices kept, variations as percentages (requests from
 * the stored columns), and upstream's quirk for amounts that were omitted because they were 0.
 */
import { describe, expect, it } from "@effect/vitest"
import type { RecommendationDocument } from "../../../schema/api/RecommendationDocument.js"
import { showRecommendation } from "../../../src/api/RecommendationView.js"
import type { UnitChoice } from "../../../src/api/UnitConversion.js"
import { type PercentColumns, percentColumns } from "../../../src/api/VariationPercent.js"
import { numericColumns, recommendationDocument } from "../../support/rosSeed.js"

const GIB = 1024 ** 3
const defaults: UnitChoice = { cpu: "cores", memory: "bytes", k8sFormats: true }
const noPercents = Object.fromEntries(percentColumns.map((c) => [c, null])) as unknown as PercentColumns

const stored = recommendationDocument({
  endTime: new Date("2026-06-01T11:45:00Z"),
  current: { cpuRequest: 1.5, cpuLimit: 2, memoryRequest: GIB, memoryLimit: 2 * GIB },
  cost: { cpu: 1.2345, memory: 0.5 * GIB },
  performance: { cpu: 1.6, memory: 1.25 * GIB },
  terms: ["short_term", "medium_term"],
  engineNotices: [323004]
})
const percents: PercentColumns = numericColumns(stored)

const show = (doc: RecommendationDocument, units: UnitChoice, keepPlots = false, p = percents) =>
  showRecommendation(doc, { units, keepPlots, percents: p })

describe("showRecommendation", () => {
  it("lists drop box plots; details keep them, converted", () => {
    const listed = show(stored, defaults)
    expect(listed.recommendation_terms?.short_term?.plots).toBeUndefined()
    const detail = show(stored, { cpu: "millicores", memory: "MiB", k8sFormats: true }, true)
    const points = Object.values(detail.recommendation_terms?.short_term?.plots?.plots_data ?? {})
    expect(points).toHaveLength(4)
    const last = points[3]
    expect(last?.cpuUsage?.format).toBe("m")
    expect(last?.memoryUsage?.format).toBe("Mi")
    // q3 of cost cpu 1.2345 × 0.9 → 1.111 cores → 1111 millicores; memory max 0.5 GiB × 0.9 in MiB
    expect(last?.cpuUsage?.q3).toBe(1111)
    expect(last?.memoryUsage?.max).toBe(460.8)
  })

  it("converts current and config amounts and sets the formats", () => {
    const shown = show(stored, defaults)
    expect(shown.current?.requests?.cpu).toEqual({ amount: 1.5, format: "" })
    expect(shown.current?.limits?.memory).toEqual({ amount: 2 * GIB, format: "bytes" })
    const cost = shown.recommendation_terms?.short_term?.recommendation_engines?.cost
    expect(cost?.config?.requests?.cpu).toEqual({ amount: 1.234, format: "" })
    const inUnits = show(stored, { cpu: "millicores", memory: "GiB", k8sFormats: false })
    expect(inUnits.current?.requests?.cpu).toEqual({ amount: 1500, format: "millicores" })
    expect(
      inUnits.recommendation_terms?.short_term?.recommendation_engines?.performance?.config?.limits?.memory
    ).toEqual({
      amount: 1.25,
      format: "GiB"
    })
  })

  it("removes Go's zero start time and truncates durations to one decimal", () => {
    const shown = show(stored, defaults)
    expect(shown.recommendation_terms?.long_term?.monitoring_start_time).toBeUndefined()
    expect(shown.recommendation_terms?.long_term?.duration_in_hours).toBe(144)
    expect(shown.recommendation_terms?.short_term?.monitoring_start_time).toBe("2026-05-31T11:45:00Z")
    const odd = show(
      {
        recommendation_terms: {
          short_term: { duration_in_hours: 24.79, monitoring_start_time: "0001-01-01T00:00:00Z" }
        }
      },
      defaults
    )
    expect(odd.recommendation_terms?.short_term).toEqual({ duration_in_hours: 24.7 })
  })

  it("keeps a notifications object only when every code is an 'optimised' notice", () => {
    const shown = show(stored, defaults)
    expect(shown.notifications).toBeUndefined()
    expect(shown.recommendation_terms?.short_term?.notifications).toBeUndefined()
    expect(shown.recommendation_terms?.long_term?.notifications).toBeUndefined()
    expect(
      Object.keys(shown.recommendation_terms?.short_term?.recommendation_engines?.cost?.notifications ?? {})
    ).toEqual(["323004"])
    const mixed = recommendationDocument({
      endTime: new Date("2026-06-01T00:00:00Z"),
      current: { cpuRequest: 1, cpuLimit: 1, memoryRequest: GIB, memoryLimit: GIB },
      cost: { cpu: 1, memory: GIB },
      performance: { cpu: 1, memory: GIB },
      engineNotices: [323004, 323001]
    })
    expect(
      show(mixed, defaults).recommendation_terms?.short_term?.recommendation_engines?.cost?.notifications
    ).toBeUndefined()
    const nullNotices = show(
      { recommendation_terms: { short_term: { recommendation_engines: { cost: { notifications: null } } } } },
      defaults
    )
    expect(nullNotices.recommendation_terms?.short_term?.recommendation_engines?.cost?.notifications).toBeNull()
  })

  it("shows limit variations as percentages of the current limits and request variations from the stored columns", () => {
    const shown = show(stored, defaults)
    const variation = shown.recommendation_terms?.short_term?.recommendation_engines?.cost?.variation
    // (1.234 - 2) / 2 = -38.3 % (on converted values: the cost config 1.2345 → variation -0.7655 → -0.765)
    expect(variation?.limits?.cpu).toEqual({ amount: -38.25, format: "percent" })
    expect(variation?.limits?.memory).toEqual({ amount: -75, format: "percent" })
    expect(variation?.requests?.cpu).toEqual({ amount: percents.cpu_variation_short_cost_pct, format: "percent" })
    expect(variation?.requests?.memory).toEqual({ amount: -50, format: "percent" })
  })

  it("computes request percentages when no column is stored (rows written before the columns existed)", () => {
    const withColumns = show(stored, defaults).recommendation_terms?.short_term?.recommendation_engines?.cost?.variation
    const computed = show(stored, defaults, false, noPercents).recommendation_terms?.short_term?.recommendation_engines
      ?.cost?.variation
    expect(computed?.requests?.memory).toEqual({ amount: -50, format: "percent" })
    expect(computed?.requests?.cpu?.format).toBe("percent")
    expect(computed?.requests?.cpu?.amount).toBeCloseTo(withColumns?.requests?.cpu?.amount ?? 0, 2)
  })

  it("keeps upstream's quirk: a variation stored without amount (it was 0) is not converted", () => {
    const zero = recommendationDocument({
      endTime: new Date("2026-06-01T00:00:00Z"),
      current: { cpuRequest: 1, cpuLimit: 1, memoryRequest: GIB, memoryLimit: GIB },
      cost: { cpu: 1, memory: GIB },
      performance: { cpu: 1, memory: GIB }
    })
    const shown = show(zero, defaults, false, numericColumns(zero))
    const variation = shown.recommendation_terms?.short_term?.recommendation_engines?.cost?.variation
    expect(variation?.limits?.cpu).toEqual({ format: "cores" })
    expect(variation?.requests?.cpu).toEqual({ amount: 0, format: "percent" })
  })
})
