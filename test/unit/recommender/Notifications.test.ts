import { describe, expect, it } from "@effect/vitest"
import type { IntervalMetrics } from "../../../src/recommender/algorithm/IntervalResult.js"
import { NOTIFICATION_CODES, Notifications } from "../../../src/recommender/algorithm/Notifications.js"
import {
  codes,
  containerMetrics,
  contiguous,
  dataOf,
  engine,
  run,
  shortTerm,
  usageMetrics
} from "./IntervalFixtures.js"

// kruize.md §3.11, copied from the table
const SPEC_TABLE: ReadonlyArray<readonly [number, string, string]> = [
  [111000, "info", "Recommendations Are Available"],
  [111101, "info", "Short Term Recommendations Available"],
  [111102, "info", "Medium Term Recommendations Available"],
  [111103, "info", "Long Term Recommendations Available"],
  [112101, "info", "Cost Recommendations Available"],
  [112102, "info", "Performance Recommendations Available"],
  [112103, "info", "Model Recommendations Available"],
  [112104, "info", "Runtimes Recommendations Available"],
  [120001, "info", "There is not enough data available to generate a recommendation."],
  [128001, "info", "Accelerator Recommendations are available"],
  [221001, "error", "Number of pods cannot be zero"],
  [221002, "error", "Number of pods cannot be negative"],
  [221003, "error", "Duration hours cannot be zero"],
  [221004, "error", "Duration hours cannot be negative"],
  [223001, "error", "Amount field is missing in the CPU Section"],
  [223002, "error", "Invalid Amount in CPU Section"],
  [223003, "error", "Format field is missing in CPU Section"],
  [223004, "error", "Invalid Format in CPU Section"],
  [224001, "error", "Amount field is missing in the Memory Section"],
  [224002, "error", "Invalid Amount in Memory Section"],
  [224003, "error", "Format field is missing in Memory Section"],
  [224004, "error", "Invalid Format in Memory Section"],
  [323001, "notice", "CPU Usage is less than a millicore, No CPU Recommendations can be generated"],
  [323002, "notice", "CPU usage is zero, No CPU Recommendations can be generated"],
  [323003, "notice", "CPU metrics are not available, No CPU Recommendations can be generated"],
  [323004, "notice", "Workload is optimised wrt CPU REQUESTS, no changes needed"],
  [323005, "notice", "Workload is optimised wrt CPU LIMITS, no changes needed"],
  [324001, "notice", "Memory Usage is zero, No Memory Recommendations can be generated"],
  [324002, "notice", "Memory metrics are not available, No Memory Recommendations can be generated"],
  [324003, "notice", "Workload is optimised wrt MEMORY REQUESTS, no changes needed"],
  [324004, "notice", "Workload is optimised wrt MEMORY LIMITS, no changes needed"],
  [328001, "notice", "Accelerator is not supported by kruize"],
  [423001, "warning", "CPU Limit Not Set"],
  [523001, "critical", "CPU Request Not Set"],
  [524001, "critical", "Memory Request Not Set"],
  [524002, "critical", "Memory Limit Not Set"]
]

describe("notification catalogue (kruize.md §3.11)", () => {
  it("has exactly the spec's codes with their types and messages", () => {
    expect([...NOTIFICATION_CODES].sort()).toEqual(SPEC_TABLE.map(([code]) => code).sort())
    for (const [code, type, message] of SPEC_TABLE) {
      expect(Notifications[code as keyof typeof Notifications]).toEqual({ type, message, code })
    }
  })

  it("serialises with type, message, code in that order", () => {
    expect(JSON.stringify(Notifications[423001])).toBe('{"type":"warning","message":"CPU Limit Not Set","code":423001}')
  })
})

/** the interval at E carries `atEnd`; the one before carries a complete configuration */
const timestampCodes = (atEnd: IntervalMetrics) => {
  const result = run(contiguous(2, (i) => (i === 1 ? atEnd : containerMetrics())))
  return { data: dataOf(result), codes: codes(dataOf(result).notifications) }
}

const without = (metrics: IntervalMetrics, name: keyof IntervalMetrics): IntervalMetrics => {
  const { [name]: _unused, ...rest } = metrics
  return rest
}

describe("timestamp-level notifications: current requests and limits (kruize.md §3.3)", () => {
  it("complete configuration: only the term availability", () => {
    expect(timestampCodes(containerMetrics()).codes).toEqual([111101])
  })

  it("request or limit metric absent at E: …Not Set plus Amount field is missing", () => {
    expect(timestampCodes(without(containerMetrics(), "cpuRequest")).codes).toEqual([111101, 223001, 523001])
    expect(timestampCodes(without(containerMetrics(), "cpuLimit")).codes).toEqual([111101, 223001, 423001])
    expect(timestampCodes(without(containerMetrics(), "memoryRequest")).codes).toEqual([111101, 224001, 524001])
    expect(timestampCodes(without(containerMetrics(), "memoryLimit")).codes).toEqual([111101, 224001, 524002])
  })

  it("metric present without avg counts as not set", () => {
    const metrics = { ...containerMetrics(), cpuRequest: { sum: 1, format: "cores" } }
    expect(timestampCodes(metrics).codes).toEqual([111101, 223001, 523001])
  })

  it("nothing set: current is {} and all six codes appear", () => {
    const { data, codes: found } = timestampCodes(usageMetrics())
    expect(data.current).toEqual({})
    expect(found).toEqual([111101, 223001, 224001, 423001, 523001, 524001, 524002])
  })

  it("amount ≤ 0: Invalid Amount (223002 / 224002), item left out of current", () => {
    const { data, codes: found } = timestampCodes(containerMetrics({}, { cpuLimit: 0, memoryRequest: 0 }))
    expect(found).toEqual([111101, 223002, 224002])
    expect(data.current).toEqual({
      requests: { cpu: { amount: 1, format: "cores" } },
      limits: { memory: { amount: 2147483648, format: "bytes" } }
    })
  })

  it("format absent: Format field is missing (223003 / 224003)", () => {
    const metrics = {
      ...containerMetrics(),
      cpuRequest: { sum: 1, avg: 1 },
      memoryLimit: { sum: 5, avg: 5 }
    }
    expect(timestampCodes(metrics).codes).toEqual([111101, 223003, 224003])
  })

  it("format blank: Invalid Format (223004 / 224004); Java does not treat a no-break space as blank", () => {
    const metrics = {
      ...containerMetrics(),
      cpuLimit: { sum: 2, avg: 2, format: " \t" },
      memoryRequest: { sum: 5, avg: 5, format: "" }
    }
    expect(timestampCodes(metrics).codes).toEqual([111101, 223004, 224004])
    const nbsp = { ...containerMetrics(), cpuLimit: { sum: 2, avg: 2, format: "\u00a0" } }
    const { data, codes: found } = timestampCodes(nbsp)
    expect(found).toEqual([111101])
    expect(data.current.limits?.cpu).toEqual({ amount: 2, format: "\u00a0" })
  })

  it("a missing request means a variation of the full recommendation", () => {
    const result = run(contiguous(2, () => without(containerMetrics({ cpu: 0.5 }), "cpuRequest")))
    const e = engine(result)
    expect(dataOf(result).current.requests).toEqual({ memory: { amount: 1073741824, format: "bytes" } })
    expect(e.variation.requests?.cpu).toEqual({ amount: 0.5, format: "cores" })
    expect(e.variation.limits?.cpu).toEqual({ amount: -1.5, format: "cores" })
  })

  it("current comes from the interval at E only", () => {
    const result = run(
      contiguous(2, (i) => (i === 0 ? without(containerMetrics(), "cpuLimit") : containerMetrics({}, { cpuLimit: 3 })))
    )
    expect(dataOf(result).current.limits?.cpu).toEqual({ amount: 3, format: "cores" })
    expect(codes(dataOf(result).notifications)).toEqual([111101])
  })
})

describe("recommendations-, term- and engine-level availability notices", () => {
  it("111000 at the top, 11110x at the timestamp, 112101/112102 at the term, none at the engine", () => {
    const result = run(contiguous(2))
    expect(codes(result.recommendations.notifications)).toEqual([111000])
    expect(codes(shortTerm(result).notifications)).toEqual([112101, 112102])
    expect(engine(result, "cost").notifications).toEqual({})
    expect(engine(result, "performance").notifications).toEqual({})
  })

  it("a restricted model list yields only that engine and its notice", () => {
    const result = run(contiguous(2), { models: ["performance"] })
    expect(codes(shortTerm(result).notifications)).toEqual([112102])
    expect(Object.keys(shortTerm(result).recommendation_engines ?? {})).toEqual(["performance"])
    expect(codes(result.recommendations.notifications)).toEqual([111000])
  })

  it("no model at all: nothing is available", () => {
    const result = run(contiguous(2), { models: [] })
    expect(result.available).toBe(false)
    expect(result.recommendations.data).toEqual({})
  })
})
