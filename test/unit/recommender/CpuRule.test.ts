import { describe, expect, it } from "@effect/vitest"
import type { IntervalMetrics } from "../../../src/recommender/algorithm/IntervalResult.js"
import { percentile, percentileIndex } from "../../../src/recommender/algorithm/Percentile.js"
import { codes, containerMetrics, contiguous, currentMetrics, engine, run, usageMetrics } from "./IntervalFixtures.js"

const cpuOf = (result: ReturnType<typeof run>, model: "cost" | "performance" = "cost") =>
  engine(result, model).config.requests?.cpu?.amount

const withCpu = (values: ReadonlyArray<number>, throttle?: number) =>
  run(
    contiguous(values.length, (i) =>
      containerMetrics(throttle === undefined ? { cpu: values[i]! } : { cpu: values[i]!, throttle })
    )
  )

describe("percentile (CommonUtils.percentile)", () => {
  it("takes the element at round(p/100 × (n−1)) of the sorted list, no interpolation", () => {
    const sorted = [10, 20, 30, 40]
    expect(percentileIndex(50, 4)).toBe(2) // 1.5 rounds half up
    expect(percentile(sorted, 50)).toBe(30)
    expect(percentile(sorted, 25)).toBe(20) // 0.75 → 1
    expect(percentile(sorted, 0)).toBe(10)
    expect(percentile(sorted, 100)).toBe(40)
    expect(percentileIndex(60, 10)).toBe(5) // 5.4
    expect(percentileIndex(98, 10)).toBe(9) // 8.82
    expect(percentileIndex(60, 3)).toBe(1) // 1.2
    expect(percentileIndex(98, 3)).toBe(2) // 1.96
  })
})

describe("CPU request = limit (kruize.md §3.5)", () => {
  it("below one core at the peak: the peak (usage max + throttle max) for both models", () => {
    const result = withCpu([0.2, 0.5, 0.3], 0.05)
    expect(cpuOf(result, "cost")).toBe(0.55)
    expect(cpuOf(result, "performance")).toBe(0.55)
  })

  it("from one core at the peak: p60 for cost, p98 for performance of the per-interval figures", () => {
    const result = withCpu([1.3, 1.9, 1.0, 1.6, 1.1, 1.8, 1.2, 1.5, 1.7, 1.4])
    expect(cpuOf(result, "cost")).toBe(1.5)
    expect(cpuOf(result, "performance")).toBe(1.9)
  })

  it("one interval over a core switches the whole term to percentiles", () => {
    const result = withCpu([0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 1.2])
    expect(cpuOf(result, "cost")).toBe(0.2)
    expect(cpuOf(result, "performance")).toBe(1.2)
  })

  it("uses usage avg when max is absent and throttle avg when throttle max is 0", () => {
    const metrics: IntervalMetrics = {
      ...currentMetrics(),
      ...usageMetrics(),
      cpuUsage: { avg: 0.3, sum: 0.3, format: "cores" },
      cpuThrottle: { max: 0, avg: 0.1, sum: 0.1, format: "cores" }
    }
    expect(cpuOf(run(contiguous(2, () => metrics)))).toBe(0.4)
  })

  it("multi-pod interval over a core: max(per-pod (usage.sum + throttle.sum)/pods, usage.max + throttle.max)", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.5, max: 1.0, avg: 1.0, sum: 2.0, format: "cores" },
      cpuThrottle: { max: 0.01, avg: 1.5, sum: 3.0, format: "cores" }
    }
    const result = run(contiguous(2, () => metrics))
    expect(cpuOf(result, "cost")).toBe(2.5)
    expect(cpuOf(result, "performance")).toBe(2.5)
    expect(engine(result).pods_count).toBe(2)
  })

  it("multi-pod interval over a core keeps the peak pod when it exceeds the per-pod mean", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.5, max: 1.5, avg: 0.5, sum: 1.0, format: "cores" }
    }
    expect(cpuOf(run(contiguous(2, () => metrics)))).toBe(1.5)
  })

  it("the per-pod figure is ignored below one core", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.1, max: 0.9, avg: 0.5, sum: 5, format: "cores" }
    }
    expect(cpuOf(run(contiguous(2, () => metrics)))).toBe(0.9)
  })

  it("sub-millicore CPU: notice 323001, no CPU in config or variation, memory still recommended", () => {
    for (const cpu of [0.0005, 0.001]) {
      const e = engine(withCpu([cpu, cpu]))
      expect(codes(e.notifications)).toEqual([323001])
      expect(e.config.requests).toEqual({ memory: { amount: 500_000_000, format: "bytes" } })
      expect(e.config.limits).toEqual({ memory: { amount: 500_000_000, format: "bytes" } })
      expect(e.variation.requests?.cpu).toBeUndefined()
      expect(e.variation.limits?.cpu).toBeUndefined()
      expect(e.variation.requests?.memory?.amount).toBe(500_000_000 - 1073741824)
    }
    expect(cpuOf(withCpu([0.0011, 0.0011]))).toBe(0.0011)
  })

  it("zero CPU: notice 323002 for both models (and 221001, as cpuUsage avg 0 gives 0 pods)", () => {
    const result = withCpu([0, 0])
    expect(codes(engine(result, "cost").notifications)).toEqual([221001, 323002])
    expect(codes(engine(result, "performance").notifications)).toEqual([221001, 323002])
    expect(engine(result).config.requests?.cpu).toBeUndefined()
  })

  it("format is the first non-empty cpuUsage format of the term", () => {
    const result = run(
      contiguous(2, (i) => {
        const m = containerMetrics({ cpu: 0.5 })
        return { ...m, cpuUsage: { ...m.cpuUsage, format: i === 0 ? "" : "m" } }
      })
    )
    expect(engine(result).config.requests?.cpu).toEqual({ amount: 0.5, format: "m" })
  })

  it("no cpuUsage format anywhere: engine error 223003, no CPU in config nor variation", () => {
    const result = run(
      contiguous(2, () => {
        const { format: _unused, ...cpuUsage } = containerMetrics({ cpu: 0.5 }).cpuUsage!
        return { ...containerMetrics(), cpuUsage }
      })
    )
    const e = engine(result)
    expect(codes(e.notifications)).toEqual([223003])
    expect(e.config.requests?.cpu).toBeUndefined()
    expect(e.variation.requests?.cpu).toBeUndefined()
  })

  it("no cpuUsage metric at all (throttle only): 223003, yet a variation with an empty format, as Kruize", () => {
    const result = run(
      contiguous(2, () => {
        const { cpuUsage: _unused, ...rest } = containerMetrics()
        return { ...rest, cpuThrottle: { max: 0.5, avg: 0.5, sum: 0.5, format: "cores" } }
      })
    )
    const e = engine(result)
    expect(codes(e.notifications)).toEqual([221001, 223003])
    expect(e.config.requests?.cpu).toBeUndefined()
    expect(e.variation.requests?.cpu).toEqual({ amount: -0.5, format: "" })
    expect(e.variation.limits?.cpu).toEqual({ amount: -1.5, format: "" })
  })
})
