import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { ListRecommendationsResponse } from "../../../schema/kruize/Recommendation.js"
import { encodeListRecommendations } from "../../../schema/kruize/RecommendationJson.js"
import type { IntervalMetrics } from "../../../src/recommender/algorithm/IntervalResult.js"
import { namespaceExperimentEntry } from "../../../src/recommender/algorithm/ListRecommendationsEntry.js"
import { codes, containerMetrics, contiguous, dataOf, engine, GIB, run, shortTerm } from "./IntervalFixtures.js"

interface NamespaceOptions {
  readonly cpu?: number
  readonly throttle?: number
  readonly memory?: number
  readonly pods?: number
}

/** ROS's namespace payload: requests/limits as sum, usage as avg/min/max, pods as avg/max (kruize.md §2.5) */
const namespaceMetrics = (o: NamespaceOptions = {}): IntervalMetrics => {
  const cpu = o.cpu ?? 2
  const memory = o.memory ?? 3e9
  return {
    namespaceCpuRequest: { sum: 4, format: "cores" },
    namespaceCpuLimit: { sum: 8, format: "cores" },
    namespaceMemoryRequest: { sum: 4 * GIB, format: "bytes" },
    namespaceMemoryLimit: { sum: 8 * GIB, format: "bytes" },
    namespaceCpuUsage: { avg: cpu / 2, min: cpu / 4, max: cpu, format: "cores" },
    ...(o.throttle === undefined
      ? {}
      : { namespaceCpuThrottle: { avg: o.throttle, min: o.throttle, max: o.throttle, format: "cores" } }),
    namespaceMemoryUsage: { avg: memory / 2, min: memory, max: memory, format: "bytes" },
    namespaceMemoryRSS: { avg: memory / 2, min: memory, max: memory, format: "bytes" },
    ...(o.pods === undefined ? {} : { namespaceTotalPods: { avg: o.pods, max: o.pods } }),
    namespaceRunningPods: { avg: 1, max: 1 }
  }
}

const runNamespace = (metricsAt: (i: number) => IntervalMetrics, count = 2) =>
  run(contiguous(count, metricsAt), { experimentType: "namespace" })

describe("namespace experiments (kruize.md §3.12)", () => {
  it("current requests and limits come from the sum aggregates", () => {
    const result = runNamespace(() => ({
      ...namespaceMetrics({ pods: 2 }),
      namespaceCpuRequest: { sum: 4, avg: 1, format: "cores" }
    }))
    expect(dataOf(result).current).toEqual({
      requests: { cpu: { amount: 4, format: "cores" }, memory: { amount: 4 * GIB, format: "bytes" } },
      limits: { cpu: { amount: 8, format: "cores" }, memory: { amount: 8 * GIB, format: "bytes" } }
    })
    expect(codes(dataOf(result).notifications)).toEqual([111101])
  })

  it("missing namespace requests raise the container codes", () => {
    const result = runNamespace(() => {
      const { namespaceCpuRequest: _a, namespaceMemoryLimit: _b, ...rest } = namespaceMetrics({ pods: 1 })
      return rest
    })
    expect(codes(dataOf(result).notifications)).toEqual([111101, 223001, 224001, 523001, 524002])
  })

  it("CPU is usage + throttle per interval with no per-pod branch; p60 / p98 from one core", () => {
    const cpus = [1.3, 1.9, 1.0, 1.6, 1.1, 1.8, 1.2, 1.5, 1.7, 1.4]
    const result = runNamespace((i) => namespaceMetrics({ cpu: cpus[i]!, pods: 3 }), 10)
    expect(engine(result, "cost").config.requests?.cpu?.amount).toBe(1.5)
    expect(engine(result, "performance").config.requests?.cpu?.amount).toBe(1.9)
    const throttled = runNamespace(() => namespaceMetrics({ cpu: 0.5, throttle: 0.25, pods: 1 }))
    expect(engine(throttled).config.requests?.cpu?.amount).toBe(0.75)
  })

  it("memory is the peak namespaceMemoryUsage.max (+ buffers); avg is ignored", () => {
    const result = runNamespace((i) => namespaceMetrics({ memory: [2e9, 3e9][i]!, pods: 1 }))
    expect(engine(result).config.requests?.memory).toEqual({ amount: 3e9, format: "bytes" })
    expect(engine(result).variation.requests?.memory?.amount).toBe(3e9 - 4 * GIB)
  })

  it("pods_count = ⌈max namespaceTotalPods.avg⌉; missing pods give 221001", () => {
    expect(engine(runNamespace((i) => namespaceMetrics({ pods: [2.5, 1][i]! }))).pods_count).toBe(3)
    const noPods = engine(runNamespace(() => namespaceMetrics()))
    expect(noPods.pods_count).toBe(0)
    expect(codes(noPods.notifications)).toEqual([221001])
  })

  it("container metrics in a namespace interval are not used", () => {
    const result = runNamespace(() => ({ ...containerMetrics({ cpu: 7 }), ...namespaceMetrics({ cpu: 0.5, pods: 1 }) }))
    expect(engine(result).config.requests?.cpu?.amount).toBe(0.5)
  })

  it("plots use the namespace figures", () => {
    const plots = shortTerm(runNamespace(() => namespaceMetrics({ cpu: 0.5, throttle: 0.25, pods: 1 }))).plots
    const last = plots?.plots_data["2026-06-15T12:00:00.000Z"]
    // CPU min = min of positive {usage + throttle, usage.min + throttle.min} = 0.125 + 0.25
    expect(last?.cpuUsage).toEqual({ min: 0.375, q1: 0.75, median: 0.75, q3: 0.75, max: 0.75, format: "cores" })
    expect(last?.memoryUsage).toEqual({ min: 3e9, q1: 3e9, median: 3e9, q3: 3e9, max: 3e9, format: "bytes" })
  })

  it("the response nests the recommendations under kubernetes_objects[0].namespaces", () => {
    const result = runNamespace(() => namespaceMetrics({ pods: 1 }))
    const entry = namespaceExperimentEntry({
      experimentName: "org|src|cluster|shop",
      clusterName: "cluster",
      namespace: "shop",
      recommendations: result.recommendations
    })
    const json = JSON.parse(encodeListRecommendations([entry])) as Array<Record<string, unknown>>
    expect(Object.keys(json[0]!)).toEqual([
      "cluster_name",
      "experiment_type",
      "kubernetes_objects",
      "version",
      "experiment_name"
    ])
    expect(json[0]!.experiment_type).toBe("namespace")
    const k8s = (json[0]!.kubernetes_objects as Array<Record<string, unknown>>)[0]!
    expect(Object.keys(k8s)).toEqual(["namespace", "containers", "namespaces"])
    expect(k8s.containers).toEqual([])
    expect(Object.keys(k8s.namespaces as object)).toEqual(["namespace", "recommendations"])
    expect(Schema.decodeUnknownSync(ListRecommendationsResponse)(json)).toEqual([entry])
  })
})
