import { describe, expect, it } from "@effect/vitest"
import type { IntervalMetrics } from "../../../src/recommender/algorithm/IntervalResult.js"
import { codes, containerMetrics, contiguous, engine, GIB, run, shortTerm } from "./IntervalFixtures.js"

/** cpu 0.5 cores and memory 5e8 bytes flat, with the given current configuration */
const flat = (current: Parameters<typeof containerMetrics>[1], threshold?: number) =>
  run(
    contiguous(2, () => containerMetrics({ cpu: 0.5, memory: 5e8 }, current)),
    threshold === undefined ? {} : { threshold }
  )

describe("engine object (kruize.md §3.7)", () => {
  it("limits equal requests, variation = recommended − current, confidence 0, empty notifications", () => {
    expect(engine(flat({}))).toEqual({
      pods_count: 1,
      confidence_level: 0,
      config: {
        requests: { cpu: { amount: 0.5, format: "cores" }, memory: { amount: 5e8, format: "bytes" } },
        limits: { cpu: { amount: 0.5, format: "cores" }, memory: { amount: 5e8, format: "bytes" } }
      },
      variation: {
        requests: { cpu: { amount: -0.5, format: "cores" }, memory: { amount: 5e8 - GIB, format: "bytes" } },
        limits: { cpu: { amount: -1.5, format: "cores" }, memory: { amount: 5e8 - 2 * GIB, format: "bytes" } }
      },
      notifications: {}
    })
  })

  it("requests and limits are distinct objects (no shared-object aliasing)", () => {
    const e = engine(flat({}))
    expect(e.config.requests?.cpu).not.toBe(e.config.limits?.cpu)
    expect(e.config.requests?.memory).not.toBe(e.config.limits?.memory)
    expect(e.config.requests?.cpu).not.toBe(e.variation.requests?.cpu)
  })
})

describe("optimisation threshold, in percent (kruize.md §3.7)", () => {
  it("CPU request within 10 %: request snaps to current, variation 0, 323004; the limit is untouched", () => {
    const e = engine(flat({ cpuRequest: 0.52 }, 10))
    expect(codes(e.notifications)).toEqual([323004])
    expect(e.config.requests?.cpu).toEqual({ amount: 0.52, format: "cores" })
    expect(e.variation.requests?.cpu).toEqual({ amount: 0, format: "cores" })
    // Kruize would print 0.52 here too (shared object); we keep the recommendation
    expect(e.config.limits?.cpu).toEqual({ amount: 0.5, format: "cores" })
    expect(e.variation.limits?.cpu).toEqual({ amount: -1.5, format: "cores" })
  })

  it("CPU limit within the threshold: 323005, the request keeps its own value", () => {
    const e = engine(flat({ cpuLimit: 0.5 }))
    expect(codes(e.notifications)).toEqual([323005])
    expect(e.config.limits?.cpu).toEqual({ amount: 0.5, format: "cores" })
    expect(e.variation.limits?.cpu?.amount).toBe(0)
    expect(e.variation.requests?.cpu?.amount).toBe(-0.5)
  })

  it("memory request and limit within the threshold: 324003 and 324004", () => {
    const e = engine(flat({ memoryRequest: 5e8, memoryLimit: 5.004e8 }))
    expect(codes(e.notifications)).toEqual([324003, 324004])
    expect(e.config.requests?.memory?.amount).toBe(5e8)
    expect(e.config.limits?.memory?.amount).toBe(5.004e8)
    expect(e.variation.requests?.memory?.amount).toBe(0)
    expect(e.variation.limits?.memory?.amount).toBe(0)
  })

  it("the comparison is |Δ / current| × 100 ≤ threshold, inclusive", () => {
    // recommendation 1.5 cores vs current 1.0: exactly 50 %
    const at = (threshold: number) =>
      engine(
        run(
          contiguous(2, () => containerMetrics({ cpu: 1.5 }, { cpuRequest: 1, cpuLimit: 10 })),
          { threshold }
        )
      )
    expect(codes(at(50).notifications)).toEqual([323004])
    expect(at(50).config.requests?.cpu?.amount).toBe(1)
    expect(at(49.99).notifications).toEqual({})
    expect(at(49.99).config.requests?.cpu?.amount).toBe(1.5)
  })

  it('absent or non-positive threshold means 0.1 %: ROS\'s "0.1" is a tenth of a percent', () => {
    // 0.5 vs 0.5004 is a 0.0799 % change
    expect(codes(engine(flat({ cpuRequest: 0.5004 })).notifications)).toEqual([323004])
    expect(codes(engine(flat({ cpuRequest: 0.5004 }, 0)).notifications)).toEqual([323004])
    expect(codes(engine(flat({ cpuRequest: 0.5004 }, -3)).notifications)).toEqual([323004])
    expect(engine(flat({ cpuRequest: 0.5004 }, 0.05)).notifications).toEqual({})
    // 0.52 is 3.8 % away: not optimised at the default
    expect(engine(flat({ cpuRequest: 0.52 })).notifications).toEqual({})
  })

  it("no current value, no threshold check", () => {
    const metrics: IntervalMetrics = containerMetrics({ cpu: 0.5 })
    const { cpuRequest: _unused, ...withoutRequest } = metrics
    // 1000 %: every item that has a current value is "optimised", the CPU request cannot be
    const e = engine(
      run(
        contiguous(2, () => withoutRequest),
        { threshold: 1000 }
      )
    )
    expect(codes(e.notifications)).toEqual([323005, 324003, 324004])
    expect(e.config.requests?.cpu?.amount).toBe(0.5)
    expect(e.variation.requests?.cpu?.amount).toBe(0.5)
  })
})

describe("pods_count (kruize.md §3.7)", () => {
  it("is the largest ⌈cpuUsage.sum / cpuUsage.avg⌉ of the term", () => {
    const e = engine(run(contiguous(3, (i) => containerMetrics({ cpu: 0.5, pods: [1, 3, 2][i]! }))))
    expect(e.pods_count).toBe(3)
  })

  it("rounds up fractional ratios, binary64 noise included, exactly like Kruize", () => {
    const noisy: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.1, max: 0.1, avg: 0.1, sum: 0.1 * 3, format: "cores" } // sum/avg = 3.0000000000000004
    }
    expect(engine(run(contiguous(2, () => noisy))).pods_count).toBe(4)
    const half: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { min: 0.5, max: 0.5, avg: 0.5, sum: 1.25, format: "cores" }
    }
    expect(engine(run(contiguous(2, () => half))).pods_count).toBe(3)
  })

  it("0 pods (no cpuUsage avg): error 221001 but the recommendation is still emitted", () => {
    const metrics: IntervalMetrics = {
      ...containerMetrics(),
      cpuUsage: { max: 0.5, min: 0.5, format: "cores" }
    }
    const result = run(contiguous(2, () => metrics))
    const e = engine(result)
    expect(e.pods_count).toBe(0)
    expect(codes(e.notifications)).toEqual([221001])
    expect(e.config.requests?.cpu?.amount).toBe(0.5)
    expect(codes(result.recommendations.notifications)).toEqual([111000])
  })

  it("only counts intervals of the term window", () => {
    // a 5-pod interval older than one day counts for medium but not for short
    const intervals = contiguous(192, (i) => containerMetrics({ cpu: 0.5, pods: i === 0 ? 5 : 1 }))
    const result = run(intervals)
    expect(engine(result).pods_count).toBe(1)
    const medium = Object.values(result.recommendations.data)[0]?.recommendation_terms.medium_term
    expect(medium?.recommendation_engines?.cost?.pods_count).toBe(5)
    expect(shortTerm(result).recommendation_engines?.cost?.pods_count).toBe(1)
  })
})
