import { describe, expect, it } from "@effect/vitest"
import { FastCheck, Schema } from "effect"
import { ListRecommendationsResponse, type ResourceConfig } from "../../../schema/kruize/Recommendation.js"
import { encodeListRecommendations } from "../../../schema/kruize/RecommendationJson.js"
import type { IntervalMetrics, IntervalResult } from "../../../src/recommender/algorithm/IntervalResult.js"
import { containerExperimentEntry } from "../../../src/recommender/algorithm/ListRecommendationsEntry.js"
import { type RecommendationResult, recommend } from "../../../src/recommender/algorithm/Recommend.js"
import { DAY, FIFTEEN_MINUTES, interval, T0 } from "./IntervalFixtures.js"

const ratio = FastCheck.double({ min: 0, max: 1, noNaN: true })

const metricsArb: FastCheck.Arbitrary<IntervalMetrics> = FastCheck.record({
  cpuMax: FastCheck.double({ min: 0, max: 4, noNaN: true }),
  cpuAvg: ratio,
  cpuMin: ratio,
  pods: FastCheck.integer({ min: 1, max: 6 }),
  throttle: FastCheck.option(FastCheck.double({ min: 0, max: 0.5, noNaN: true }), { nil: undefined }),
  memMax: FastCheck.integer({ min: 0, max: 8_000_000_000 }),
  memMin: ratio,
  rssMax: ratio,
  rssMin: ratio
}).map((g) => {
  const cpuAvg = g.cpuMax * g.cpuAvg
  const memAvg = g.memMax * 0.9
  const rssMax = g.memMax * g.rssMax
  return {
    cpuUsage: { max: g.cpuMax, avg: cpuAvg, sum: cpuAvg * g.pods, min: cpuAvg * g.cpuMin, format: "cores" },
    ...(g.throttle === undefined
      ? {}
      : { cpuThrottle: { max: g.throttle, avg: g.throttle / 2, sum: (g.throttle / 2) * g.pods, format: "cores" } }),
    memoryUsage: { max: g.memMax, min: g.memMax * g.memMin, avg: memAvg, sum: memAvg * g.pods, format: "bytes" },
    memoryRSS: { max: rssMax, min: rssMax * g.rssMin, format: "bytes" }
  }
})

const currentArb: FastCheck.Arbitrary<IntervalMetrics> = FastCheck.record(
  {
    cpuRequest: FastCheck.double({ min: 0.01, max: 4, noNaN: true }),
    cpuLimit: FastCheck.double({ min: 0.01, max: 8, noNaN: true }),
    memoryRequest: FastCheck.integer({ min: 1, max: 8_000_000_000 }),
    memoryLimit: FastCheck.integer({ min: 1, max: 16_000_000_000 })
  },
  { requiredKeys: [] }
).map((c) => {
  const item = (amount: number | undefined, format: string) =>
    amount === undefined ? undefined : { sum: amount, avg: amount, format }
  const metrics: { -readonly [K in keyof IntervalMetrics]: IntervalMetrics[K] } = {}
  const cpuRequest = item(c.cpuRequest, "cores")
  const cpuLimit = item(c.cpuLimit, "cores")
  const memoryRequest = item(c.memoryRequest, "bytes")
  const memoryLimit = item(c.memoryLimit, "bytes")
  if (cpuRequest) metrics.cpuRequest = cpuRequest
  if (cpuLimit) metrics.cpuLimit = cpuLimit
  if (memoryRequest) metrics.memoryRequest = memoryRequest
  if (memoryLimit) metrics.memoryLimit = memoryLimit
  return metrics
})

interface Case {
  readonly intervals: ReadonlyArray<IntervalResult>
  readonly threshold: number | undefined
}

/** 2–300 intervals at 15-minute steps with random gaps, ending at T0, the current configuration at E */
const caseArb: FastCheck.Arbitrary<Case> = FastCheck.record({
  usage: FastCheck.array(FastCheck.tuple(metricsArb, FastCheck.integer({ min: 1, max: 3 })), {
    minLength: 2,
    maxLength: 300
  }),
  current: currentArb,
  threshold: FastCheck.constantFrom(undefined, 0.1, 5, 25)
}).map(({ usage, current, threshold }) => {
  let end = T0
  const intervals = usage.map(([metrics, gap], i) => {
    const result = interval(end, i === 0 ? { ...metrics, ...current } : metrics)
    end -= gap * FIFTEEN_MINUTES
    return result
  })
  return { intervals, threshold }
})

const recommendCase = (c: Case): RecommendationResult =>
  recommend({
    experimentType: "container",
    intervalEndTimeMs: T0,
    intervals: c.intervals,
    ...(c.threshold === undefined ? {} : { threshold: c.threshold })
  })

const TERM_DAYS = { short_term: 1, medium_term: 7, long_term: 15 } as const

/** every (term window start, engine) pair of an available recommendation */
const enginesOf = (result: RecommendationResult) =>
  Object.values(result.recommendations.data).flatMap((data) =>
    (Object.keys(TERM_DAYS) as Array<keyof typeof TERM_DAYS>).flatMap((name) => {
      const engines = data.recommendation_terms[name]?.recommendation_engines ?? {}
      return Object.values(engines).flatMap((engine) =>
        engine === undefined ? [] : [{ startMs: T0 - TERM_DAYS[name] * DAY, current: data.current, engine }]
      )
    })
  )

const currentAmount = (current: ResourceConfig, setting: "requests" | "limits", item: "cpu" | "memory") =>
  current[setting]?.[item]?.amount ?? 0

const run = (property: (c: Case) => void) =>
  FastCheck.assert(FastCheck.property(caseArb, property), { seed: 20260615, numRuns: 120 })

describe("properties of recommend (seeded)", () => {
  it("memory recommendation ≥ the observed peak working set of the term, unless snapped to current", () => {
    let checked = 0
    run((c) => {
      for (const { startMs, engine } of enginesOf(recommendCase(c))) {
        if (engine.config.requests?.memory !== undefined) checked++
        const peak = Math.max(
          ...c.intervals.filter((i) => i.endMs >= startMs).map((i) => i.metrics.memoryUsage?.max ?? 0)
        )
        const request = engine.config.requests?.memory
        if (request !== undefined && !("324003" in engine.notifications))
          expect(request.amount).toBeGreaterThanOrEqual(peak)
        const limit = engine.config.limits?.memory
        if (limit !== undefined && !("324004" in engine.notifications))
          expect(limit.amount).toBeGreaterThanOrEqual(peak)
      }
    })
    // guard against a vacuous property: most generated cases must produce memory recommendations
    expect(checked).toBeGreaterThan(200)
  })

  it("limits == requests for every resource the threshold did not snap", () => {
    run((c) => {
      for (const { engine } of enginesOf(recommendCase(c))) {
        const n = engine.notifications
        if (!("323004" in n) && !("323005" in n)) expect(engine.config.limits?.cpu).toEqual(engine.config.requests?.cpu)
        if (!("324003" in n) && !("324004" in n))
          expect(engine.config.limits?.memory).toEqual(engine.config.requests?.memory)
      }
    })
  })

  it("variation == recommended − current (current 0 when unset) for every config entry", () => {
    run((c) => {
      for (const { engine, current } of enginesOf(recommendCase(c))) {
        for (const setting of ["requests", "limits"] as const) {
          for (const item of ["cpu", "memory"] as const) {
            const config = engine.config[setting]?.[item]
            if (config === undefined) continue
            expect(engine.variation[setting]?.[item]).toEqual({
              amount: config.amount - currentAmount(current, setting, item),
              format: config.format
            })
          }
        }
      }
    })
  })

  it("cost CPU ≤ performance CPU on the same term", () => {
    run((c) => {
      const result = recommendCase(c)
      for (const data of Object.values(result.recommendations.data)) {
        for (const term of Object.values(data.recommendation_terms)) {
          const cost = term?.recommendation_engines?.cost
          const performance = term?.recommendation_engines?.performance
          const n = { ...cost?.notifications, ...performance?.notifications }
          const costCpu = cost?.config.requests?.cpu?.amount
          const performanceCpu = performance?.config.requests?.cpu?.amount
          if (costCpu !== undefined && performanceCpu !== undefined && !("323004" in n))
            expect(costCpu).toBeLessThanOrEqual(performanceCpu)
        }
      }
    })
  })

  it("is independent of the input order and always valid against the response schema", () => {
    run((c) => {
      const result = recommendCase(c)
      expect(recommendCase({ ...c, intervals: [...c.intervals].reverse() })).toEqual(result)
      const body = encodeListRecommendations([
        containerExperimentEntry({
          experimentName: "e",
          clusterName: "c",
          kubernetesObjects: [
            {
              type: "deployment",
              name: "d",
              namespace: "n",
              containers: [{ containerImageName: "i", containerName: "app", recommendations: result.recommendations }]
            }
          ]
        })
      ])
      const decoded = Schema.decodeUnknownSync(ListRecommendationsResponse)(JSON.parse(body))
      expect(decoded[0]?.kubernetes_objects[0]?.containers[0]?.recommendations).toEqual(result.recommendations)
    })
  })
})
