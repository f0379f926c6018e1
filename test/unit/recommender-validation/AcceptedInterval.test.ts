import { describe, expect, it } from "@effect/vitest"
import { toListedExperiment } from "../../../schema/kruize/Experiment.js"
import { toAcceptedIntervals } from "../../../src/recommender/validation/AcceptedInterval.js"
import { validateUpdateResults } from "../../../src/recommender/validation/UpdateResultsValidation.js"
import {
  containerExperiment,
  containerExperimentName,
  containerMetrics,
  containerRecord,
  memoryStore,
  metric,
  minutes,
  namespaceExperiment,
  namespaceExperimentName,
  namespaceRecord,
  right,
  t0
} from "../../support/kruizeFixtures.js"

const accept = (records: ReadonlyArray<unknown>) => right(validateUpdateResults(JSON.stringify(records), memoryStore()))

describe("toAcceptedIntervals", () => {
  it("one compact record per container with only the aggregates sent", () => {
    const [result] = accept([containerRecord(0)]).accepted
    if (result === undefined) throw new Error("record not accepted")
    expect(toAcceptedIntervals(result)).toStrictEqual([
      {
        _tag: "ContainerInterval",
        experimentName: containerExperimentName,
        containerName: "app",
        containerImageName: "quay.io/acme/frontend:1.4",
        startMs: t0,
        endMs: t0 + minutes(15),
        metrics: {
          cpuUsage: { min: 0.05, max: 1.2, sum: 1.44, avg: 0.72, format: "cores" },
          memoryUsage: { min: 307000000, max: 434000000, sum: 760000000, avg: 380000000, format: "bytes" },
          memoryRSS: { min: 280000000, max: 414000000, sum: 700000000, avg: 350000000, format: "bytes" },
          cpuRequest: { sum: 3, avg: 1.5, format: "cores" },
          cpuLimit: { sum: 4, avg: 2, format: "cores" },
          cpuThrottle: { max: 0.02, sum: 0.02, avg: 0.01, format: "cores" },
          memoryRequest: { sum: 1073741824, avg: 536870912, format: "bytes" },
          memoryLimit: { sum: 2147483648, avg: 1073741824, format: "bytes" }
        }
      }
    ])
  })

  it("requests and limits stay absent when not sent; null aggregates are absent, not 0", () => {
    const metrics = containerMetrics()
      .filter((m) => ["cpuUsage", "memoryUsage", "memoryRSS"].includes(m.name))
      .map((m) => (m.name === "cpuUsage" ? metric("cpuUsage", { avg: "0.5", min: null, format: "cores" }) : m))
    const record = containerRecord(0, {
      kubernetes_objects: [
        { type: "deployment", name: "frontend", namespace: "shop", containers: [{ container_name: "app", metrics }] }
      ]
    })
    const [result] = accept([record]).accepted
    if (result === undefined) throw new Error("record not accepted")
    const [interval] = toAcceptedIntervals(result)
    expect(interval?._tag).toBe("ContainerInterval")
    if (interval?._tag !== "ContainerInterval") return
    expect(interval.containerImageName).toBeUndefined()
    expect(interval.metrics.cpuUsage).toStrictEqual({ avg: 0.5, format: "cores" })
    expect(Object.keys(interval.metrics).sort()).toStrictEqual(["cpuUsage", "memoryRSS", "memoryUsage"])
  })

  it("several containers; a container listed twice keeps its last entry", () => {
    const base = containerRecord(0).kubernetes_objects[0]
    const twice = (cpu: string) => ({
      container_name: "sidecar",
      metrics: containerMetrics().map((m) =>
        m.name === "cpuUsage" ? metric("cpuUsage", { max: cpu, format: "cores" }) : m
      )
    })
    const record = containerRecord(0, {
      kubernetes_objects: [{ ...base, containers: [...(base?.containers ?? []), twice("1"), twice("2")] }]
    })
    const [result] = accept([record]).accepted
    if (result === undefined) throw new Error("record not accepted")
    const intervals = toAcceptedIntervals(result)
    expect(intervals.map((i) => (i._tag === "ContainerInterval" ? i.containerName : i.namespace))).toStrictEqual([
      "app",
      "sidecar"
    ])
    const sidecar = intervals[1]
    expect(sidecar?._tag === "ContainerInterval" ? sidecar.metrics.cpuUsage : undefined).toStrictEqual({
      max: 2,
      format: "cores"
    })
  })

  it("a namespace record gives one namespace interval", () => {
    const [result] = accept([namespaceRecord(2)]).accepted
    if (result === undefined) throw new Error("record not accepted")
    expect(toAcceptedIntervals(result)).toStrictEqual([
      {
        _tag: "NamespaceInterval",
        experimentName: namespaceExperimentName,
        namespace: "shop",
        startMs: t0 + minutes(30),
        endMs: t0 + minutes(45),
        metrics: {
          namespaceCpuUsage: { avg: 0.5, min: 0.1, max: 0.9, format: "cores" },
          namespaceMemoryUsage: { avg: 300000000, min: 200000000, max: 400000000, format: "bytes" },
          namespaceMemoryRSS: { avg: 250000000, min: 150000000, max: 350000000, format: "bytes" },
          namespaceCpuRequest: { sum: 2, format: "cores" },
          namespaceCpuLimit: { sum: 4, format: "cores" },
          namespaceCpuThrottle: { avg: 0, min: 0, max: 0.01, format: "cores" },
          namespaceMemoryRequest: { sum: 1073741824, format: "bytes" },
          namespaceMemoryLimit: { sum: 2147483648, format: "bytes" },
          namespaceTotalPods: { avg: 3, max: 4 },
          namespaceRunningPods: { avg: 3, max: 3 }
        }
      }
    ])
  })
})

describe("toListedExperiment (§2.4)", () => {
  it("a container experiment, containers keyed by name, result-only containers included", () => {
    const listed = toListedExperiment(containerExperiment, {
      experimentId: "abc",
      creationMs: t0,
      updateMs: t0 + minutes(15),
      results: new Map([["istio-proxy", {}]])
    })
    expect(listed).toMatchObject({
      version: "1.0",
      experiment_id: "abc",
      experiment_name: containerExperimentName,
      cluster_name: "7654321;9b1c5e2a",
      experiment_type: "container",
      mode: "monitor",
      target_cluster: "remote",
      status: "IN_PROGRESS",
      performance_profile: "resource-optimization-openshift",
      trial_settings: { measurement_duration: "15min" },
      recommendation_settings: {
        threshold: 0.1,
        term_settings: { terms: ["short", "medium", "long"] },
        model_settings: { models: ["cost", "performance"] }
      },
      experiment_usecase_type: { remote_monitoring: true, local_monitoring: false, local_experiment: false },
      creation_date: "2026-06-01T10:00:00.000Z",
      update_date: "2026-06-01T10:15:00.000Z"
    })
    expect(listed.kubernetes_objects).toStrictEqual([
      {
        type: "deployment",
        name: "frontend",
        namespace: "shop",
        containers: {
          app: { container_image_name: "quay.io/acme/frontend:1.4", container_name: "app" },
          "istio-proxy": { container_name: "istio-proxy", results: {} }
        }
      }
    ])
  })

  it("a namespace experiment", () => {
    const listed = toListedExperiment(namespaceExperiment, { experimentId: "n", creationMs: 0, updateMs: 0 })
    expect(listed.experiment_type).toBe("namespace")
    expect(listed.kubernetes_objects).toStrictEqual([
      { namespace: "shop", containers: {}, namespaces: { namespace: "shop" } }
    ])
  })
})
