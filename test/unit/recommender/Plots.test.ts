import { describe, expect, it } from "@effect/vitest"
import type { IntervalMetrics } from "../../../src/recommender/algorithm/IntervalResult.js"
import {
  containerMetrics,
  contiguous,
  DAY,
  dataOf,
  FIFTEEN_MINUTES,
  HOUR,
  interval,
  run,
  shortTerm,
  T0
} from "./IntervalFixtures.js"

describe("plots (kruize.md §3.10)", () => {
  it("short term: 4 buckets of 6 h keyed by their end; empty buckets are {}", () => {
    const plots = shortTerm(run(contiguous(2))).plots
    expect(plots?.datapoints).toBe(4)
    expect(Object.keys(plots?.plots_data ?? {})).toEqual([
      "2026-06-14T18:00:00.000Z",
      "2026-06-15T00:00:00.000Z",
      "2026-06-15T06:00:00.000Z",
      "2026-06-15T12:00:00.000Z"
    ])
    expect(plots?.plots_data["2026-06-14T18:00:00.000Z"]).toEqual({})
  })

  it("boxes: percentiles 25/50/75 and max of the CPU figures, min of the per-interval minimums", () => {
    const cpus = [0.3, 0.1, 0.5, 0.2, 0.4]
    const memories = [3e8, 1e8, 5e8, 2e8, 4e8]
    const plots = shortTerm(run(contiguous(5, (i) => containerMetrics({ cpu: cpus[i]!, memory: memories[i]! })))).plots
    expect(plots?.plots_data["2026-06-15T12:00:00.000Z"]).toEqual({
      cpuUsage: { min: 0.1, q1: 0.2, median: 0.3, q3: 0.4, max: 0.5, format: "cores" },
      memoryUsage: { min: 1e8, q1: 2e8, median: 3e8, q3: 4e8, max: 5e8, format: "bytes" }
    })
  })

  it("CPU min includes usage.min + throttle.min; memory min includes memoryUsage.min", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.05, max: 0.4, avg: 0.2, sum: 0.2, format: "cores" },
      cpuThrottle: { min: 0.01, max: 0.1, avg: 0.05, sum: 0.05, format: "cores" },
      memoryUsage: { min: 1e8, max: 4e8, avg: 2e8, sum: 2e8, format: "bytes" }
    }
    const last = shortTerm(run(contiguous(2, () => metrics))).plots?.plots_data["2026-06-15T12:00:00.000Z"]
    expect(last?.cpuUsage).toMatchObject({ min: 0.060000000000000005, max: 0.5 })
    expect(last?.memoryUsage).toMatchObject({ min: 1e8, max: 4e8 })
  })

  it("a bucket holds results ending in (previous end, end]: a result at a boundary belongs to the earlier bucket", () => {
    const S = T0 - DAY
    const intervals = [
      interval(S, containerMetrics({ cpu: 0.9 })), // at S: in the term, in no bucket
      interval(S + 6 * HOUR, containerMetrics({ cpu: 0.2 })),
      interval(T0 - FIFTEEN_MINUTES, containerMetrics({ cpu: 0.3 })),
      interval(T0, containerMetrics({ cpu: 0.4 }))
    ]
    const term = shortTerm(run(intervals))
    const data = term.plots?.plots_data ?? {}
    expect(data["2026-06-14T18:00:00.000Z"]?.cpuUsage).toMatchObject({ min: 0.2, max: 0.2 })
    expect(data["2026-06-15T00:00:00.000Z"]).toEqual({})
    expect(data["2026-06-15T06:00:00.000Z"]).toEqual({})
    expect(data["2026-06-15T12:00:00.000Z"]?.cpuUsage).toMatchObject({ min: 0.3, max: 0.4 })
    // the result at S still drives the recommendation (term window [S, E] is inclusive)
    expect(term.recommendation_engines?.cost?.config.requests?.cpu?.amount).toBe(0.9)
  })

  it("medium and long terms: 7 and 15 daily buckets", () => {
    const terms = dataOf(run(contiguous(768))).recommendation_terms
    expect(terms.medium_term?.plots?.datapoints).toBe(7)
    expect(Object.keys(terms.medium_term?.plots?.plots_data ?? {})).toHaveLength(7)
    expect(terms.long_term?.plots?.datapoints).toBe(15)
    const longKeys = Object.keys(terms.long_term?.plots?.plots_data ?? {})
    expect(longKeys[0]).toBe("2026-06-01T12:00:00.000Z")
    expect(longKeys[14]).toBe("2026-06-15T12:00:00.000Z")
    // 768 intervals cover the last 8 days: the first 7 daily buckets are empty
    expect(
      Object.values(terms.long_term?.plots?.plots_data ?? {}).filter((p) => Object.keys(p).length === 0)
    ).toHaveLength(7)
  })

  it("plots can be switched off", () => {
    const term = shortTerm(run(contiguous(2), { plots: false }))
    expect(term).not.toHaveProperty("plots")
    expect(term.recommendation_engines?.cost).toBeDefined()
  })
})
