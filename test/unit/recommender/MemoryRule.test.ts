import { describe, expect, it } from "@effect/vitest"
import type { IntervalMetrics } from "../../../src/recommender/algorithm/IntervalResult.js"
import { memoryRecommendation } from "../../../src/recommender/algorithm/MemoryRecommendation.js"
import { codes, containerMetrics, contiguous, engine, run, type UsageOptions } from "./IntervalFixtures.js"

const memoryOf = (result: ReturnType<typeof run>, model: "cost" | "performance" = "cost") =>
  engine(result, model).config.requests?.memory?.amount

const withUsage = (usage: ReadonlyArray<UsageOptions>) =>
  run(contiguous(usage.length, (i) => containerMetrics(usage[i])))

describe("memory request = limit (kruize.md §3.6)", () => {
  it("+20 % of the peak when the largest spike is bigger than that", () => {
    // usage 1e9 flat, RSS spread 1e9 ⇒ spike branch 1e9 + 1.05e9 loses to 1.2e9
    expect(memoryOf(withUsage([{ memory: 1e9, rssMin: 0, rssMax: 1e9 }, { memory: 1e9 }]))).toBe(1.2e9)
  })

  it("peak + 105 % of the largest in-interval usage spread when smaller", () => {
    expect(memoryOf(withUsage([{ memory: 1e9, memoryMin: 9e8 }, { memory: 1e9 }]))).toBe(1.105e9)
  })

  it("the RSS spread counts as a spike too", () => {
    expect(memoryOf(withUsage([{ memory: 1e9, rssMin: 8e8, rssMax: 9e8 }, { memory: 1e9 }]))).toBe(1.105e9)
  })

  it("spreads are rounded up to whole bytes before the 5 % buffer", () => {
    // spread 100.2 → 101 → 106.05
    expect(memoryOf(withUsage([{ memory: 1e9, memoryMin: 1e9 - 100.2 }, { memory: 1e9 }]))).toBe(1000000106.05)
  })

  it("takes the peak interval (p100) and is identical for both models", () => {
    const result = withUsage([{ memory: 4e8 }, { memory: 6e8 }, { memory: 5e8 }])
    expect(memoryOf(result, "cost")).toBe(6e8)
    expect(memoryOf(result, "performance")).toBe(6e8)
  })

  it("multi-pod interval: per-pod sum/pods when memoryUsage.max is missing (pods from CPU sum/avg)", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.5, max: 0.5, avg: 0.5, sum: 1.5, format: "cores" },
      memoryUsage: { min: 3e8, avg: 3e8, sum: 9e8, format: "bytes" },
      memoryRSS: { format: "bytes" }
    }
    const result = run(contiguous(2, () => metrics))
    expect(memoryOf(result)).toBe(3e8)
    expect(engine(result).pods_count).toBe(3)
  })

  it("pods fall back to memoryUsage sum/avg when the CPU avg is missing (and pods_count is then 0: 221001)", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { max: 0.5, format: "cores" },
      memoryUsage: { min: 2e8, avg: 2e8, sum: 6e8, format: "bytes" },
      memoryRSS: { format: "bytes" }
    }
    const e = engine(run(contiguous(2, () => metrics)))
    expect(e.config.requests?.memory?.amount).toBe(2e8)
    expect(e.pods_count).toBe(0)
    expect(codes(e.notifications)).toEqual([221001])
  })

  it("zero memory: notice 324001 and no memory in config or variation", () => {
    const e = engine(withUsage([{ memory: 0 }, { memory: 0 }]))
    expect(codes(e.notifications)).toEqual([324001])
    expect(e.config.requests).toEqual({ cpu: { amount: 0.5, format: "cores" } })
    expect(e.variation.requests?.memory).toBeUndefined()
  })

  it("no memoryUsage format anywhere: engine error 224003, no memory in config nor variation", () => {
    const result = run(
      contiguous(2, () => {
        const { format: _unused, ...memoryUsage } = containerMetrics({ memory: 4e8 }).memoryUsage!
        return { ...containerMetrics({ memory: 4e8 }), memoryUsage }
      })
    )
    const e = engine(result)
    expect(codes(e.notifications)).toEqual([224003])
    expect(e.config.requests).toEqual({ cpu: { amount: 0.5, format: "cores" } })
    expect(e.variation.limits?.memory).toBeUndefined()
  })

  it("memoryRecommendation keeps Kruize's operation order", () => {
    expect(memoryRecommendation(4.34e8, 1.34e8)).toEqual({ _tag: "Recommended", amount: 5.208e8 })
    expect(memoryRecommendation(1e9, 1e8)).toEqual({ _tag: "Recommended", amount: 1.105e9 })
    expect(memoryRecommendation(0, 0)).toEqual({ _tag: "Suppressed", notice: 324001 })
  })
})
