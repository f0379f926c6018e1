import { describe, expect, it } from "@effect/vitest"
import { durationInHours, roundHalfUp } from "../../../src/recommender/algorithm/DurationInHours.js"
import { hasMinimumData, matchedSlots } from "../../../src/recommender/algorithm/MinimumData.js"
import {
  codes,
  containerMetrics,
  contiguous,
  DAY,
  dataOf,
  FIFTEEN_MINUTES,
  HOUR,
  interval,
  run,
  T0
} from "./IntervalFixtures.js"

const termCodes = (count: number) => {
  const result = run(contiguous(count))
  if (!result.available) return { available: false, top: codes(result.recommendations.notifications) }
  const data = dataOf(result)
  const terms = data.recommendation_terms
  return {
    available: true,
    top: codes(result.recommendations.notifications),
    timestamp: codes(data.notifications),
    short: codes(terms.short_term?.notifications ?? {}),
    medium: codes(terms.medium_term?.notifications ?? {}),
    long: codes(terms.long_term?.notifications ?? {}),
    hours: [
      terms.short_term?.duration_in_hours,
      terms.medium_term?.duration_in_hours,
      terms.long_term?.duration_in_hours
    ]
  }
}

describe("term boundaries (minimum datapoints 2 / 192 / 768, kruize.md §3.4)", () => {
  it("1 datapoint: nothing available, no data stored", () => {
    const result = run(contiguous(1))
    expect(result.available).toBe(false)
    expect(result.recommendations).toEqual({
      version: "1.0",
      notifications: {
        "120001": {
          type: "info",
          message: "There is not enough data available to generate a recommendation.",
          code: 120001
        }
      },
      data: {}
    })
  })

  it("2 datapoints: short term only", () => {
    expect(termCodes(2)).toEqual({
      available: true,
      top: [111000],
      timestamp: [111101],
      short: [112101, 112102],
      medium: [120001],
      long: [120001],
      hours: [0.5, 0.5, 0.5]
    })
  })

  it("191 datapoints: medium term still not available", () => {
    expect(termCodes(191)).toMatchObject({ timestamp: [111101], medium: [120001], hours: [24, 47.75, 47.75] })
  })

  it("192 datapoints: medium term available", () => {
    expect(termCodes(192)).toMatchObject({
      timestamp: [111101, 111102],
      medium: [112101, 112102],
      long: [120001],
      hours: [24, 48, 48]
    })
  })

  it("767 datapoints: long term still not available", () => {
    expect(termCodes(767)).toMatchObject({ timestamp: [111101, 111102], long: [120001], hours: [24, 168, 191.75] })
  })

  it("768 datapoints: every term available", () => {
    expect(termCodes(768)).toMatchObject({
      timestamp: [111101, 111102, 111103],
      long: [112101, 112102],
      hours: [24, 168, 192]
    })
  })

  it("a term without enough data has only duration_in_hours and 120001", () => {
    const medium = dataOf(run(contiguous(2))).recommendation_terms.medium_term
    expect(Object.keys(medium ?? {})).toEqual(["duration_in_hours", "notifications"])
  })

  it("monitoring_start_time is E minus the term length", () => {
    const terms = dataOf(run(contiguous(768))).recommendation_terms
    expect(terms.short_term?.monitoring_start_time).toBe("2026-06-14T12:00:00.000Z")
    expect(terms.medium_term?.monitoring_start_time).toBe("2026-06-08T12:00:00.000Z")
    expect(terms.long_term?.monitoring_start_time).toBe("2026-05-31T12:00:00.000Z")
  })

  it("counts only datapoints inside the term: one point in the last day fails short, 192 in the week pass medium", () => {
    // E alone in (E − 1 d, E]; 191 more ending at E − 1 d and earlier (E − 1 d itself is outside the short window)
    const older = Array.from({ length: 191 }, (_, k) => interval(T0 - DAY - k * FIFTEEN_MINUTES, containerMetrics()))
    const data = dataOf(run([interval(T0, containerMetrics()), ...older]))
    expect(codes(data.recommendation_terms.short_term?.notifications ?? {})).toEqual([120001])
    expect(codes(data.recommendation_terms.medium_term?.notifications ?? {})).toEqual([112101, 112102])
    // quirk §3.14 #6: duration counts the whole loaded window, so the failing short term still shows 24 h
    expect(data.recommendation_terms.short_term?.duration_in_hours).toBe(24)
    expect(data.notifications).not.toHaveProperty("111101")
  })

  it("ignores results after T and before T − 15 days; E is the latest result ≤ T", () => {
    const intervals = [
      interval(T0 - 16 * DAY, containerMetrics({ cpu: 3 })),
      interval(T0 - HOUR, containerMetrics()),
      interval(T0 - HOUR + FIFTEEN_MINUTES, containerMetrics()),
      interval(T0 + HOUR, containerMetrics({ cpu: 3 }))
    ]
    const result = run(intervals, { intervalEndTimeMs: T0 })
    expect(result.monitoringEndTimeMs).toBe(T0 - 45 * 60_000)
    expect(Object.keys(result.recommendations.data)).toEqual(["2026-06-15T11:15:00.000Z"])
    expect(dataOf(result).recommendation_terms.short_term?.duration_in_hours).toBe(0.5)
  })

  it("an empty window yields the not-enough-data object and no E", () => {
    const result = run([interval(T0, containerMetrics())], { intervalEndTimeMs: T0 - HOUR })
    expect(result.available).toBe(false)
    expect(result.monitoringEndTimeMs).toBeUndefined()
    expect(codes(result.recommendations.notifications)).toEqual([120001])
  })
})

describe("minimum-data walk (Terms.checkIfMinDataAvailableForTerm)", () => {
  const ends = (...ms: Array<number>) => Float64Array.from(ms).sort()
  const M = 60_000

  it("matches results within ±30 s of a slot, not beyond", () => {
    expect(matchedSlots(ends(T0, T0 - 15 * M + 30_000), T0, 1, 15)).toBe(2)
    expect(matchedSlots(ends(T0, T0 - 15 * M - 30_000), T0, 1, 15)).toBe(2)
    expect(matchedSlots(ends(T0, T0 - 15 * M + 31_000), T0, 1, 15)).toBe(1)
  })

  it("keeps Kruize's step drift: a match Δ s off shifts every later slot by Δ", () => {
    // second result 25 s late ⇒ step becomes 875 s, so a third result 50 s late still matches
    const drifting = ends(T0, T0 - 15 * M + 25_000, T0 - 30 * M + 50_000)
    expect(matchedSlots(drifting, T0, 1, 15)).toBe(3)
    expect(hasMinimumData(drifting, T0, { days: 1, minDatapoints: 3 }, 15)).toBe(true)
    // without the earlier drift the 50 s offset is out of tolerance
    expect(matchedSlots(ends(T0, T0 - 30 * M + 50_000), T0, 1, 15)).toBe(1)
  })

  it("the window is (E − days, E]: a result exactly at E − 1 day is not counted", () => {
    expect(matchedSlots(ends(T0, T0 - DAY), T0, 1, 15)).toBe(1)
    expect(matchedSlots(ends(T0, T0 - DAY + 15 * M), T0, 1, 15)).toBe(2)
  })

  it("uses the experiment's measurement duration for the slots", () => {
    const everyThirty = ends(T0, T0 - 30 * M)
    expect(matchedSlots(everyThirty, T0, 1, 15)).toBe(2)
    expect(hasMinimumData(everyThirty, T0, { days: 1, minDatapoints: 2 }, 30)).toBe(true)
    expect(hasMinimumData(ends(T0, T0 - 15 * M), T0, { days: 1, minDatapoints: 2 }, 30)).toBe(false)
  })

  it("192 results each 20 s late still make the medium term", () => {
    const late = Array.from({ length: 192 }, (_, k) =>
      interval(T0 - k * FIFTEEN_MINUTES + (k === 0 ? 0 : 20_000), containerMetrics())
    )
    const data = dataOf(run(late))
    expect(data.notifications).toHaveProperty("111102")
  })
})

describe("duration_in_hours (kruize.md §3.9)", () => {
  it('rounds like Java\'s String.format("%.2f"): HALF_UP on the shortest decimal', () => {
    expect(roundHalfUp(0.125, 2)).toBe(0.13)
    expect(roundHalfUp(2.675, 2)).toBe(2.68)
    expect(roundHalfUp(1.005, 2)).toBe(1.01)
    expect(roundHalfUp(0.15, 1)).toBe(0.2)
    expect(roundHalfUp(0.1234, 2)).toBe(0.12)
    expect(roundHalfUp(99.995, 2)).toBe(100)
    expect(roundHalfUp(-2.675, 2)).toBe(-2.68)
    expect(roundHalfUp(1e-7, 2)).toBe(0)
    expect(roundHalfUp(47.75, 2)).toBe(47.75)
  })

  it("sums fractional minutes of every loaded interval, then rounds the hours (containers)", () => {
    // three intervals of 14 min 50 s = 44.5 min = 0.741666… h
    const intervals = [0, 1, 2].map((k) => interval(T0 - k * FIFTEEN_MINUTES, containerMetrics(), 890_000))
    expect(dataOf(run(intervals)).recommendation_terms.short_term?.duration_in_hours).toBe(0.74)
  })

  it("caps at 24 / 168 / 360 hours; 10 days of data show 24, 168, 240", () => {
    const data = dataOf(run(contiguous(960)))
    const t = data.recommendation_terms
    expect([t.short_term?.duration_in_hours, t.medium_term?.duration_in_hours, t.long_term?.duration_in_hours]).toEqual(
      [24, 168, 240]
    )
  })

  it("namespaces round the minutes to one decimal before the cap and leave the hours unrounded", () => {
    // 2 × 607 s = 20.2333… min → 20.2 min → 0.33666… h
    expect(durationInHours("namespace", 20.233333333333334, 24)).toBe(0.33666666666666667)
    expect(durationInHours("container", 20.233333333333334, 24)).toBe(0.34)
    expect(durationInHours("namespace", 2000, 24)).toBe(24)
  })
})
