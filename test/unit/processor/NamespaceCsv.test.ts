import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { AggregationInfo, NamespaceResultsEntry } from "../../../schema/ros/UpdateResultsEntry.js"
import { type NamespaceColumn, namespaceUsageColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { NoValidRows } from "../../../schema/ros/UsageCsvError.js"
import { drops, failureOf, interval, namespaceCsv, namespaceReport, namespaceRow, scope } from "./UsageCsvFixtures.js"

const PREFIX = `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}`

const metricsOf = (entry: NamespaceResultsEntry) =>
  Object.fromEntries(
    entry.kubernetes_objects[0].namespaces.metrics.map((m) => [m.name, m.results.aggregation_info])
  ) as Partial<Record<string, AggregationInfo>>

const fate = (cells: Partial<Record<NamespaceColumn, string>>) =>
  Effect.gen(function* () {
    const report = yield* namespaceReport(namespaceCsv([namespaceRow(cells), namespaceRow({ namespace: "other" })]))
    const dropped = Object.entries(report.rows.dropped).find(([, n]) => n > 0)
    return dropped === undefined ? "kept" : dropped[0]
  })

describe("namespace rows: filtering (ros-ocp-backend.md §2.4)", () => {
  it.effect("each of the 9 usage cells must be a number ≥ 0; zero is fine", () =>
    Effect.gen(function* () {
      for (const column of namespaceUsageColumns) {
        expect(yield* fate({ [column]: "" }), column).toBe("missing_usage")
        expect(yield* fate({ [column]: "-1" }), column).toBe("negative_usage")
        expect(yield* fate({ [column]: "1,5" }), column).toBe("invalid_usage")
        expect(yield* fate({ [column]: "0" }), column).toBe("kept")
      }
    })
  )

  it.effect("namespace empty or <none> → missing_namespace", () =>
    Effect.gen(function* () {
      expect(yield* fate({ namespace: "" })).toBe("missing_namespace")
      expect(yield* fate({ namespace: "<none>" })).toBe("missing_namespace")
    })
  )

  it.effect("requests, limits, throttle and pod counts are not checked", () =>
    Effect.gen(function* () {
      expect(
        yield* fate({
          cpu_request_namespace_sum: "",
          memory_limit_namespace_sum: "-1",
          cpu_throttle_namespace_max: "",
          namespace_total_pods_avg: "x"
        })
      ).toBe("kept")
    })
  )

  it.effect("bad interval bounds → invalid_interval; nothing left → NoValidRows", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        namespaceReport(
          namespaceCsv([
            namespaceRow({ interval_end: "yesterday" }),
            namespaceRow({ namespace: "<none>" }),
            namespaceRow({ memory_rss_usage_namespace_min: "-3" })
          ])
        )
      )
      expect(error).toEqual(
        new NoValidRows({
          kind: "namespace",
          dropped: drops({ invalid_interval: 1, missing_namespace: 1, negative_usage: 1 })
        })
      )
    })
  )
})

describe("namespace rows: aggregation and experiments (§2.6, §2.7, §3.6)", () => {
  it.effect("rows of one namespace and interval: SUM of _sum, MEAN of _avg, MAX of _max, MIN of _min (pods too)", () =>
    Effect.gen(function* () {
      const report = yield* namespaceReport(
        namespaceCsv([
          namespaceRow({
            cpu_request_namespace_sum: "1",
            cpu_usage_namespace_avg: "0.5",
            cpu_usage_namespace_max: "2",
            cpu_usage_namespace_min: "0.25",
            namespace_running_pods_max: "3",
            namespace_running_pods_avg: "2",
            namespace_total_pods_max: "4",
            namespace_total_pods_avg: "4"
          }),
          namespaceRow({
            cpu_request_namespace_sum: "1.5",
            cpu_usage_namespace_avg: "1",
            cpu_usage_namespace_max: "1",
            cpu_usage_namespace_min: "0.125",
            namespace_running_pods_max: "5",
            namespace_running_pods_avg: "3",
            namespace_total_pods_max: "2",
            namespace_total_pods_avg: "5"
          })
        ])
      )
      expect(report.experiments).toHaveLength(1)
      const m = metricsOf(report.experiments[0]!.results[0])
      expect(m.namespaceCpuRequest).toEqual({ sum: "2.5", format: "cores" })
      expect(m.namespaceCpuUsage).toEqual({ min: "0.125", max: "2", avg: "0.75", format: "cores" })
      expect(m.namespaceRunningPods).toEqual({ max: "5", avg: "2.5" })
      expect(m.namespaceTotalPods).toEqual({ max: "4", avg: "4.5" })
      expect(Object.keys(m)).toEqual([
        "namespaceCpuRequest",
        "namespaceCpuLimit",
        "namespaceCpuUsage",
        "namespaceCpuThrottle",
        "namespaceMemoryRequest",
        "namespaceMemoryLimit",
        "namespaceMemoryUsage",
        "namespaceMemoryRSS",
        "namespaceTotalPods",
        "namespaceRunningPods"
      ])
    })
  )

  it.effect("a metric is sent when any aggregate has a value; empty cells are omitted, never NaN", () =>
    Effect.gen(function* () {
      const report = yield* namespaceReport(
        namespaceCsv([
          namespaceRow({
            cpu_request_namespace_sum: "",
            memory_limit_namespace_sum: "",
            cpu_throttle_namespace_max: "",
            cpu_throttle_namespace_min: "",
            namespace_total_pods_max: "",
            namespace_total_pods_avg: ""
          })
        ])
      )
      const m = metricsOf(report.experiments[0]!.results[0])
      expect(m.namespaceCpuRequest).toBeUndefined()
      expect(m.namespaceMemoryLimit).toBeUndefined()
      expect(m.namespaceTotalPods).toBeUndefined()
      expect(m.namespaceCpuThrottle).toEqual({ avg: "0", format: "cores" })
      expect(JSON.stringify(report)).not.toContain("NaN")
    })
  )

  it.effect("spec sample shape: 4 namespaces × 116 intervals → 4 experiments of 116 ordered entries", () =>
    Effect.gen(function* () {
      const namespaces = ["project-ros-A1", "project-ros-A2", "project-ros-B1", "project-ros-B2"]
      const rows = Array.from({ length: 116 }, (_, i) =>
        namespaces.map((namespace) => namespaceRow({ namespace, ...interval(115 - i) }))
      ).flat()
      const report = yield* namespaceReport(namespaceCsv(rows))
      expect(report.rows).toEqual({ total: 464, accepted: 464, dropped: drops() })
      expect(report.experiments.map((e) => e.experimentName)).toEqual(
        namespaces.map((ns) => `${PREFIX}|namespace|${ns}`)
      )
      for (const experiment of report.experiments) {
        expect(experiment.results).toHaveLength(116)
        expect(experiment.results[0].interval_end_time).toBe("2023-06-02T00:15:00.000Z")
        expect(experiment.maxIntervalEnd).toBe("2023-06-03T05:00:00.000Z")
        expect(experiment.clusterName).toBe(`${scope.orgId};${scope.clusterUuid}`)
      }
    })
  )

  it.effect("two interval_starts for one interval_end: the entry is the first group's (upstream reads row 0)", () =>
    Effect.gen(function* () {
      const report = yield* namespaceReport(
        namespaceCsv([
          namespaceRow({ cpu_request_namespace_sum: "1" }),
          namespaceRow({ interval_start: "2023-06-02 00:00:00 +0000 UTC", cpu_request_namespace_sum: "7" }),
          namespaceRow({ cpu_request_namespace_sum: "2" })
        ])
      )
      const [entry, ...rest] = report.experiments[0]!.results
      expect(rest).toHaveLength(0)
      expect(entry.interval_start_time).toBe("2023-06-02T00:00:01.000Z")
      expect(metricsOf(entry).namespaceCpuRequest).toEqual({ sum: "3", format: "cores" })
    })
  )

  it.effect("the entry is upstream's JSON shape, key for key", () =>
    Effect.gen(function* () {
      const report = yield* namespaceReport(
        namespaceCsv([
          namespaceRow({
            cpu_request_namespace_sum: "",
            cpu_limit_namespace_sum: "",
            memory_request_namespace_sum: "",
            memory_limit_namespace_sum: "",
            cpu_throttle_namespace_avg: "",
            cpu_throttle_namespace_max: "",
            cpu_throttle_namespace_min: "",
            namespace_running_pods_max: "",
            namespace_running_pods_avg: ""
          })
        ])
      )
      expect(JSON.stringify(report.experiments[0]!.results[0])).toBe(
        JSON.stringify({
          version: "1.0",
          experiment_name: `${PREFIX}|namespace|project-ros-a1`,
          interval_start_time: "2023-06-02T00:00:01.000Z",
          interval_end_time: "2023-06-02T00:15:00.000Z",
          kubernetes_objects: [
            {
              namespaces: {
                namespace: "project-ros-a1",
                metrics: [
                  {
                    name: "namespaceCpuUsage",
                    results: { aggregation_info: { min: "0.25", max: "1.5", avg: "0.5", format: "cores" } }
                  },
                  {
                    name: "namespaceMemoryUsage",
                    results: {
                      aggregation_info: { min: "500000000", max: "1500000000", avg: "1000000000", format: "bytes" }
                    }
                  },
                  {
                    name: "namespaceMemoryRSS",
                    results: {
                      aggregation_info: { min: "700000000", max: "900000000", avg: "800000000", format: "bytes" }
                    }
                  },
                  { name: "namespaceTotalPods", results: { aggregation_info: { max: "4", avg: "3" } } }
                ]
              }
            }
          ]
        })
      )
    })
  )
})
