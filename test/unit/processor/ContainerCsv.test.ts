import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { ContainerExperimentUsage } from "../../../schema/ros/ExperimentUsage.js"
import type { AggregationInfo, ContainerResultsEntry } from "../../../schema/ros/UpdateResultsEntry.js"
import { type ContainerColumn, containerUsageColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { NoValidRows } from "../../../schema/ros/UsageCsvError.js"
import { containerCsv, containerReport, containerRow, drops, failureOf, interval, scope } from "./UsageCsvFixtures.js"

const PREFIX = `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}`

const onlyExperiment = (experiments: ReadonlyArray<ContainerExperimentUsage>) => {
  expect(experiments).toHaveLength(1)
  return experiments[0]!
}

const containersOf = (entry: ContainerResultsEntry) => entry.kubernetes_objects[0].containers

const metricsOf = (entry: ContainerResultsEntry, container = 0) => {
  const c = containersOf(entry)[container]
  if (c === undefined) return expect.unreachable(`no container ${container}`)
  return Object.fromEntries(c.metrics.map((m) => [m.name, m.results.aggregation_info])) as Partial<
    Record<string, AggregationInfo>
  >
}

/** Runs one row through the pipeline and returns what happened to it. */
const fate = (cells: Partial<Record<ContainerColumn, string>>) =>
  Effect.gen(function* () {
    // A second, valid row keeps the file from failing with NoValidRows.
    const report = yield* containerReport(containerCsv([containerRow(cells), containerRow({ namespace: "other" })]))
    const dropped = Object.entries(report.rows.dropped).find(([, n]) => n > 0)
    return dropped === undefined ? "kept" : dropped[0]
  })

describe("row filtering (ros-ocp-backend.md §2.4)", () => {
  it.effect("upstream's Test_filter_valid_csv_records: missing usage dropped, zero usage kept", () =>
    Effect.gen(function* () {
      const zeros = Object.fromEntries(containerUsageColumns.map((c) => [c, "0"]))
      const emptyUsage = Object.fromEntries(
        [...containerUsageColumns, "memory_request_container_sum"].map((c) => [c, ""])
      )
      const report = yield* containerReport(
        containerCsv([
          containerRow({ memory_rss_usage_container_sum: "" }),
          containerRow(emptyUsage),
          containerRow(zeros)
        ])
      )
      expect(report.rows).toEqual({ total: 3, accepted: 1, dropped: drops({ missing_usage: 2 }) })
      const usage = metricsOf(onlyExperiment(report.experiments).results[0])
      expect(usage.cpuUsage).toEqual({ min: "0", max: "0", sum: "0", avg: "0", format: "cores" })
    })
  )

  it.effect(
    "each of the 12 usage cells: empty → missing_usage, negative → negative_usage, garbage → invalid_usage",
    () =>
      Effect.gen(function* () {
        for (const column of containerUsageColumns) {
          expect(yield* fate({ [column]: "" }), column).toBe("missing_usage")
          expect(yield* fate({ [column]: "-0.001" }), column).toBe("negative_usage")
          expect(yield* fate({ [column]: "n/a" }), column).toBe("invalid_usage")
          expect(yield* fate({ [column]: "0" }), column).toBe("kept")
        }
      })
  )

  it.effect("one reason per row: missing outranks invalid, which outranks negative", () =>
    Effect.gen(function* () {
      expect(yield* fate({ cpu_usage_container_avg: "-1", memory_rss_usage_container_max: "" })).toBe("missing_usage")
      expect(yield* fate({ cpu_usage_container_avg: "-1", memory_usage_container_min: "x" })).toBe("invalid_usage")
      expect(yield* fate({ cpu_usage_container_avg: "", owner_kind: "<none>" })).toBe("missing_usage")
    })
  )

  it.effect("owner_kind / owner_name empty or <none> → missing_owner", () =>
    Effect.gen(function* () {
      expect(yield* fate({ owner_kind: "" })).toBe("missing_owner")
      expect(yield* fate({ owner_kind: "<none>" })).toBe("missing_owner")
      expect(yield* fate({ owner_name: "" })).toBe("missing_owner")
      expect(yield* fate({ owner_name: "<none>" })).toBe("missing_owner")
    })
  )

  it.effect("workload_type empty or <none> → missing_workload_type", () =>
    Effect.gen(function* () {
      expect(yield* fate({ workload_type: "" })).toBe("missing_workload_type")
      expect(yield* fate({ workload_type: "<none>" })).toBe("missing_workload_type")
      // Checked before identity: a bare ReplicaSet still needs a workload_type.
      expect(yield* fate({ workload: "<none>", workload_type: "" })).toBe("missing_workload_type")
    })
  )

  it.effect("workload_type outside the six Kruize types → unsupported_workload_type; case is ignored", () =>
    Effect.gen(function* () {
      for (const type of ["job", "Job", "cronjob", "pod", "buildconfig", "deployments"]) {
        expect(yield* fate({ workload_type: type }), type).toBe("unsupported_workload_type")
      }
      for (const type of [
        "daemonset",
        "Deployment",
        "DEPLOYMENTCONFIG",
        "replicaset",
        "ReplicationController",
        "StatefulSet"
      ]) {
        expect(yield* fate({ workload_type: type }), type).toBe("kept")
      }
    })
  )

  it.effect("interval bounds that are not Go timestamps → invalid_interval", () =>
    Effect.gen(function* () {
      expect(yield* fate({ interval_end: "2023-06-02T00:15:00Z" })).toBe("invalid_interval")
      expect(yield* fate({ interval_start: "" })).toBe("invalid_interval")
    })
  )

  it.effect("request, limit and throttle cells are not checked", () =>
    Effect.gen(function* () {
      const cells = {
        cpu_request_container_avg: "",
        cpu_request_container_sum: "",
        cpu_limit_container_avg: "x",
        memory_limit_container_sum: "-5",
        cpu_throttle_container_max: ""
      }
      expect(yield* fate(cells)).toBe("kept")
    })
  )

  it.effect("nothing left ⇒ NoValidRows with the counts by reason", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(
        containerReport(
          containerCsv([
            containerRow({ workload_type: "job" }),
            containerRow({ owner_name: "<none>" }),
            containerRow({ cpu_usage_container_sum: "" }),
            containerRow({ cpu_usage_container_sum: "" })
          ])
        )
      )
      expect(error).toEqual(
        new NoValidRows({
          kind: "container",
          dropped: drops({ unsupported_workload_type: 1, missing_owner: 1, missing_usage: 2 })
        })
      )
    })
  )

  it.effect("a header without data rows ⇒ NoValidRows with nothing dropped", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(containerReport(containerCsv([])))
      expect(error).toEqual(new NoValidRows({ kind: "container", dropped: drops() }))
    })
  )
})

describe("workload identity (determine_k8s_object_type, §2.5)", () => {
  const cases: ReadonlyArray<
    readonly [string, Partial<Record<ContainerColumn, string>>, readonly [type: string, name: string]]
  > = [
    [
      "bare ReplicaSet, workload <none>",
      { owner_kind: "ReplicaSet", owner_name: "rs-1", workload: "<none>" },
      ["replicaset", "rs-1"]
    ],
    [
      "bare ReplicaSet, workload empty",
      { owner_kind: "ReplicaSet", owner_name: "rs-2", workload: "" },
      ["replicaset", "rs-2"]
    ],
    [
      "bare replicaset, lower-case kind",
      { owner_kind: "replicaset", owner_name: "rs-3", workload: "<none>", workload_type: "replicaset" },
      ["replicaset", "rs-3"]
    ],
    [
      "bare ReplicationController, workload <none>",
      {
        owner_kind: "ReplicationController",
        owner_name: "rc-1",
        workload: "<none>",
        workload_type: "deploymentconfig"
      },
      ["replicationcontroller", "rc-1"]
    ],
    [
      "bare ReplicationController, workload empty",
      { owner_kind: "ReplicationController", owner_name: "rc-2", workload: "", workload_type: "deploymentconfig" },
      ["replicationcontroller", "rc-2"]
    ],
    [
      "Deployment through its ReplicaSet",
      { owner_kind: "ReplicaSet", owner_name: "web-7d9f", workload: "web", workload_type: "deployment" },
      ["deployment", "web"]
    ],
    [
      "DeploymentConfig through its ReplicationController",
      { owner_kind: "ReplicationController", owner_name: "dc-1", workload: "dc", workload_type: "deploymentconfig" },
      ["deploymentconfig", "dc"]
    ],
    [
      "DaemonSet, workload_type lower-cased",
      { owner_kind: "DaemonSet", owner_name: "fluentd", workload: "fluentd", workload_type: "DaemonSet" },
      ["daemonset", "fluentd"]
    ],
    [
      "StatefulSet",
      { owner_kind: "StatefulSet", owner_name: "db", workload: "db", workload_type: "statefulset" },
      ["statefulset", "db"]
    ],
    [
      "ReplicaSet as a workload",
      { owner_kind: "ReplicaSet", owner_name: "rs-4", workload: "rs-4", workload_type: "replicaset" },
      ["replicaset", "rs-4"]
    ],
    [
      "ReplicationController as a workload",
      {
        owner_kind: "ReplicationController",
        owner_name: "rc-3",
        workload: "rc-3",
        workload_type: "replicationcontroller"
      },
      ["replicationcontroller", "rc-3"]
    ],
    // Only ReplicaSet/ReplicationController owners take the owner's name; others keep the (odd) workload cell.
    [
      "another owner kind without workload",
      { owner_kind: "StatefulSet", owner_name: "db-2", workload: "<none>", workload_type: "statefulset" },
      ["statefulset", "<none>"]
    ]
  ]

  for (const [title, cells, [type, name]] of cases) {
    it.effect(`${title} → (${type}, ${name})`, () =>
      Effect.gen(function* () {
        const report = yield* containerReport(containerCsv([containerRow({ namespace: "ns", ...cells })]))
        const experiment = onlyExperiment(report.experiments)
        expect([experiment.workloadType, experiment.workloadName]).toEqual([type, name])
        expect(experiment.experimentName).toBe(`${PREFIX}|ns|${type}|${name}`)
        const object = experiment.results[0].kubernetes_objects[0]
        expect([object.type, object.name, object.namespace]).toEqual([type, name, "ns"])
      })
    )
  }

  it.effect("upstream's Test_filter_valid_k8s_object_types: six owner/type combinations all kept, job dropped", () =>
    Effect.gen(function* () {
      const rows = [
        { owner_kind: "DaemonSet", workload: "testdeploymentconfig", workload_type: "daemonset" },
        { owner_kind: "ReplicaSet", workload: "<none>", workload_type: "deployment" },
        { owner_kind: "ReplicaSet", workload: "testdeployment", workload_type: "deployment" },
        { owner_kind: "ReplicationController", workload: "<none>", workload_type: "deploymentconfig" },
        { owner_kind: "ReplicationController", workload: "testdeploymentconfig", workload_type: "deploymentconfig" },
        { owner_kind: "StatefulSet", workload: "testdeploymentconfig", workload_type: "statefulset" },
        { owner_kind: "Job", workload: "testdeploymentconfig", workload_type: "job" }
      ].map((cells) => containerRow({ owner_name: "Yuptoo-app", namespace: "Yuptoo-prod", ...cells }))
      const report = yield* containerReport(containerCsv(rows))
      expect(report.rows.accepted).toBe(6)
      expect(report.rows.dropped.unsupported_workload_type).toBe(1)
      expect(report.experiments.map((e) => `${e.workloadType}/${e.workloadName}`)).toEqual([
        "daemonset/testdeploymentconfig",
        "replicaset/Yuptoo-app",
        "deployment/testdeployment",
        "replicationcontroller/Yuptoo-app",
        "deploymentconfig/testdeploymentconfig",
        "statefulset/testdeploymentconfig"
      ])
    })
  )
})

describe("aggregation per interval (Aggregate_data, §2.6)", () => {
  it.effect("pods of one container in one interval: MEAN of _avg, SUM of _sum, MIN of _min, MAX of _max", () =>
    Effect.gen(function* () {
      const pod = (name: string, cells: Partial<Record<ContainerColumn, string>>) =>
        containerRow({ pod: name, ...cells })
      const report = yield* containerReport(
        containerCsv([
          pod("web-1", {
            cpu_usage_container_avg: "0.25",
            cpu_usage_container_min: "0.125",
            cpu_usage_container_max: "1",
            cpu_usage_container_sum: "0.25",
            cpu_throttle_container_avg: "0",
            cpu_throttle_container_max: "0",
            cpu_throttle_container_sum: "0",
            memory_usage_container_avg: "100",
            memory_usage_container_min: "50",
            memory_usage_container_max: "150",
            memory_usage_container_sum: "100",
            memory_rss_usage_container_avg: "0.1",
            memory_rss_usage_container_min: "0.1",
            memory_rss_usage_container_max: "0.1",
            memory_rss_usage_container_sum: "0.1"
          }),
          pod("web-2", {
            cpu_usage_container_avg: "0.5",
            cpu_usage_container_min: "0.0625",
            cpu_usage_container_max: "2",
            cpu_usage_container_sum: "0.5",
            cpu_throttle_container_avg: "0.25",
            cpu_throttle_container_max: "0.5",
            cpu_throttle_container_sum: "0.25",
            memory_usage_container_avg: "200",
            memory_usage_container_min: "40",
            memory_usage_container_max: "300",
            memory_usage_container_sum: "200",
            memory_rss_usage_container_avg: "0.2",
            memory_rss_usage_container_min: "0.2",
            memory_rss_usage_container_max: "0.2",
            memory_rss_usage_container_sum: "0.2"
          }),
          pod("web-3", {
            cpu_usage_container_avg: "0.75",
            cpu_usage_container_min: "0.25",
            cpu_usage_container_max: "1.5",
            cpu_usage_container_sum: "0.75",
            cpu_throttle_container_avg: "0.5",
            cpu_throttle_container_max: "1",
            cpu_throttle_container_sum: "0.5",
            memory_usage_container_avg: "600",
            memory_usage_container_min: "60",
            memory_usage_container_max: "900",
            memory_usage_container_sum: "600",
            memory_rss_usage_container_avg: "0.4",
            memory_rss_usage_container_min: "0.4",
            memory_rss_usage_container_max: "0.4",
            memory_rss_usage_container_sum: "0.4"
          })
        ])
      )
      const entry = onlyExperiment(report.experiments).results
      expect(entry).toHaveLength(1)
      expect(containersOf(entry[0])).toHaveLength(1)
      const m = metricsOf(entry[0])
      expect(m.cpuUsage).toEqual({ min: "0.0625", max: "2", sum: "1.5", avg: "0.5", format: "cores" })
      expect(m.cpuThrottle).toEqual({ max: "1", sum: "0.75", avg: "0.25", format: "cores" })
      expect(m.memoryUsage).toEqual({ min: "40", max: "900", sum: "900", avg: "300", format: "bytes" })
      // Float arithmetic as Go does it, left to right, printed without rounding.
      expect(m.memoryRSS).toEqual({
        min: "0.1",
        max: "0.4",
        sum: "0.7000000000000001",
        avg: "0.23333333333333336",
        format: "bytes"
      })
      expect(m.cpuRequest).toEqual({ sum: "1.5", avg: "0.5", format: "cores" })
      expect(m.cpuLimit).toEqual({ sum: "3", avg: "1", format: "cores" })
      expect(m.memoryRequest).toEqual({ sum: "1610612736", avg: "536870912", format: "bytes" })
      expect(m.memoryLimit).toEqual({ sum: "3221225472", avg: "1073741824", format: "bytes" })
      expect(Object.keys(m)).toEqual([
        "cpuRequest",
        "cpuLimit",
        "cpuUsage",
        "cpuThrottle",
        "memoryRequest",
        "memoryLimit",
        "memoryUsage",
        "memoryRSS"
      ])
    })
  )

  it.effect("a single row passes through unchanged (spec §3.5 example values)", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({
            cpu_usage_container_avg: "0.047932",
            cpu_usage_container_min: "0.031571",
            cpu_usage_container_max: "0.064131",
            cpu_usage_container_sum: "0.047932",
            memory_usage_container_avg: "513587266.064516",
            memory_usage_container_min: "510009344",
            memory_usage_container_max: "513900544",
            memory_usage_container_sum: "513587266.064516"
          })
        ])
      )
      const m = metricsOf(onlyExperiment(report.experiments).results[0])
      expect(m.cpuUsage).toEqual({
        min: "0.031571",
        max: "0.064131",
        sum: "0.047932",
        avg: "0.047932",
        format: "cores"
      })
      expect(m.memoryUsage).toEqual({
        min: "510009344",
        max: "513900544",
        sum: "513587266.064516",
        avg: "513587266.064516",
        format: "bytes"
      })
    })
  )

  it.effect("different containers, intervals, images and interval_starts are different groups", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({ container_name: "app", pod: "p1" }),
          containerRow({ container_name: "sidecar", pod: "p1", image_name: "envoy:1" }),
          containerRow({ container_name: "app", pod: "p2" }),
          containerRow({ container_name: "app", pod: "p3", image_name: "quay.io/shop/web:2" }),
          containerRow({ container_name: "app", pod: "p1", ...interval(1) }),
          containerRow({ container_name: "app", pod: "p4", interval_start: "2023-06-02 00:00:00 +0000 UTC" })
        ])
      )
      const experiment = onlyExperiment(report.experiments)
      expect(experiment.results).toHaveLength(2)
      const [first, second] = experiment.results
      // Upstream quirk kept: image_name is part of the group, so one container shows up twice in one interval.
      expect(containersOf(first).map((c) => `${c.container_name}@${c.container_image_name}`)).toEqual([
        "app@quay.io/shop/web:1",
        "sidecar@envoy:1",
        "app@quay.io/shop/web:2",
        "app@quay.io/shop/web:1"
      ])
      expect(metricsOf(first, 0).cpuUsage?.sum).toBe("0.5") // p1 + p2
      // The entry's interval_start comes from its first group.
      expect(first.interval_start_time).toBe("2023-06-02T00:00:01.000Z")
      expect(containersOf(second!)).toHaveLength(1)
      // createExperiment lists each container once, with the first image seen.
      expect(experiment.containers).toEqual([
        { container_image_name: "quay.io/shop/web:1", container_name: "app" },
        { container_image_name: "envoy:1", container_name: "sidecar" }
      ])
    })
  )
})

describe("empty request/limit cells (design.md §7)", () => {
  it.effect("are omitted, never sent as NaN", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({
            cpu_request_container_avg: "",
            cpu_request_container_sum: "",
            cpu_limit_container_avg: "",
            cpu_limit_container_sum: "",
            memory_request_container_avg: "",
            memory_request_container_sum: "",
            memory_limit_container_avg: "",
            memory_limit_container_sum: "",
            cpu_throttle_container_avg: "",
            cpu_throttle_container_max: "",
            cpu_throttle_container_sum: ""
          })
        ])
      )
      const entry = onlyExperiment(report.experiments).results[0]
      expect(Object.keys(metricsOf(entry))).toEqual(["cpuUsage", "memoryUsage", "memoryRSS"])
      expect(JSON.stringify(report)).not.toContain("NaN")
    })
  )

  it.effect("a metric needs both sum and avg; a missing max is left out alone", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({
            cpu_request_container_avg: "",
            memory_limit_container_sum: "",
            cpu_throttle_container_max: ""
          })
        ])
      )
      const m = metricsOf(onlyExperiment(report.experiments).results[0])
      expect(m.cpuRequest).toBeUndefined()
      expect(m.memoryLimit).toBeUndefined()
      expect(m.cpuThrottle).toEqual({ sum: "0", avg: "0", format: "cores" })
    })
  )

  it.effect("one pod without a request makes the group's request unknown (upstream: NaN), so it is omitted", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({ pod: "p1" }),
          containerRow({ pod: "p2", cpu_request_container_avg: "", cpu_request_container_sum: "" }),
          containerRow({ pod: "p3", cpu_limit_container_avg: "oops" })
        ])
      )
      const m = metricsOf(onlyExperiment(report.experiments).results[0])
      expect(m.cpuRequest).toBeUndefined()
      expect(m.cpuLimit).toBeUndefined()
      expect(m.memoryRequest).toEqual({ sum: "1610612736", avg: "536870912", format: "bytes" })
      expect(JSON.stringify(report)).not.toContain("NaN")
    })
  )
})

describe("grouping into experiments (§2.7) and naming (§3.1)", () => {
  it.effect("spec sample: 105 rows → 1 dropped, 3 experiments (99 intervals; 3 containers; 2 pods in 1 row)", () =>
    Effect.gen(function* () {
      const yuptooApp = Array.from({ length: 99 }, (_, i) =>
        containerRow({
          ...interval(i + 1),
          namespace: "Yuptoo-prod",
          container_name: "Yuptoo-service",
          pod: "Yuptoo-app-standalone-1",
          owner_name: "Yuptoo-app",
          owner_kind: "ReplicaSet",
          workload: "<none>",
          workload_type: "deployment"
        })
      )
      const servers = ["server-one", "Server-two", "Server-three"].map((container_name) =>
        containerRow({
          namespace: "Yuptoo-prod",
          container_name,
          pod: "Servers-999-1",
          owner_name: "servers-999",
          workload: "servers"
        })
      )
      const yuptooService = [1, 2].map((n) =>
        containerRow({
          namespace: "Yuptoo-prod",
          container_name: "Yuptoo-service",
          pod: `Yuptoo-service-999-${n}`,
          owner_name: "Yuptoo-service-999",
          workload: "Yuptoo-service",
          cpu_usage_container_avg: n === 1 ? "3" : "5",
          cpu_usage_container_min: n === 1 ? "1" : "2",
          cpu_usage_container_max: n === 1 ? "6" : "7",
          cpu_usage_container_sum: "2"
        })
      )
      const volumeShell = containerRow({
        ...interval(1),
        namespace: "koku-metrics-operator-2",
        container_name: "volume-shell",
        owner_name: "<none>",
        owner_kind: "<none>",
        workload: "",
        workload_type: "",
        cpu_request_container_avg: "",
        cpu_request_container_sum: "",
        cpu_limit_container_avg: "",
        cpu_limit_container_sum: "",
        cpu_throttle_container_avg: "",
        cpu_throttle_container_max: "",
        cpu_throttle_container_sum: ""
      })
      const report = yield* containerReport(
        containerCsv([...yuptooService, yuptooApp[0]!, ...servers, ...yuptooApp.slice(1), volumeShell])
      )
      expect(report.rows).toEqual({ total: 105, accepted: 104, dropped: drops({ missing_owner: 1 }) })
      expect(report.experiments.map((e) => [e.experimentName, e.results.length])).toEqual([
        [`${PREFIX}|Yuptoo-prod|deployment|Yuptoo-service`, 1],
        [`${PREFIX}|Yuptoo-prod|replicaset|Yuptoo-app`, 99],
        [`${PREFIX}|Yuptoo-prod|deployment|servers`, 1]
      ])
      const [service, app, serversExperiment] = report.experiments
      expect(metricsOf(service!.results[0]).cpuUsage).toEqual({
        min: "1",
        max: "7",
        sum: "4",
        avg: "4",
        format: "cores"
      })
      expect(app!.results[0].interval_end_time).toBe("2023-06-02T00:30:00.000Z")
      expect(app!.maxIntervalEnd).toBe("2023-06-03T01:00:00.000Z")
      expect(containersOf(serversExperiment!.results[0]).map((c) => c.container_name)).toEqual([
        "server-one",
        "Server-two",
        "Server-three"
      ])
      expect(serversExperiment!.clusterName).toBe(`${scope.orgId};${scope.clusterUuid}`)
    })
  )

  it.effect("entries are ordered by interval_end, whatever the file order; maxIntervalEnd is the latest", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([containerRow(interval(5)), containerRow(interval(2)), containerRow(interval(9))])
      )
      const experiment = onlyExperiment(report.experiments)
      expect(experiment.results.map((r) => r.interval_end_time)).toEqual([
        "2023-06-02T00:45:00.000Z",
        "2023-06-02T01:30:00.000Z",
        "2023-06-02T02:30:00.000Z"
      ])
      expect(experiment.results.map((r) => r.interval_start_time)).toEqual([
        "2023-06-02T00:30:01.000Z",
        "2023-06-02T01:15:01.000Z",
        "2023-06-02T02:15:01.000Z"
      ])
      expect(experiment.maxIntervalEnd).toBe("2023-06-02T02:30:00.000Z")
      expect(
        experiment.results.every((r) => r.version === "1.0" && r.experiment_name === experiment.experimentName)
      ).toBe(true)
    })
  )

  it.effect("the same workload name in two namespaces, or with two types, is two experiments", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({ namespace: "a" }),
          containerRow({ namespace: "b" }),
          containerRow({ namespace: "a", workload_type: "statefulset", owner_kind: "StatefulSet" })
        ])
      )
      expect(report.experiments.map((e) => e.experimentName)).toEqual([
        `${PREFIX}|a|deployment|web`,
        `${PREFIX}|b|deployment|web`,
        `${PREFIX}|a|statefulset|web`
      ])
    })
  )

  it.effect("the entry is upstream's JSON shape, key for key", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({
            cpu_request_container_avg: "",
            cpu_limit_container_avg: "",
            memory_request_container_avg: "",
            memory_limit_container_avg: "",
            cpu_throttle_container_avg: ""
          })
        ])
      )
      expect(JSON.stringify(onlyExperiment(report.experiments).results[0])).toBe(
        JSON.stringify({
          version: "1.0",
          experiment_name: `${PREFIX}|shop|deployment|web`,
          interval_start_time: "2023-06-02T00:00:01.000Z",
          interval_end_time: "2023-06-02T00:15:00.000Z",
          kubernetes_objects: [
            {
              type: "deployment",
              name: "web",
              namespace: "shop",
              containers: [
                {
                  container_image_name: "quay.io/shop/web:1",
                  container_name: "app",
                  metrics: [
                    {
                      name: "cpuUsage",
                      results: {
                        aggregation_info: { min: "0.125", max: "0.5", sum: "0.25", avg: "0.25", format: "cores" }
                      }
                    },
                    {
                      name: "memoryUsage",
                      results: {
                        aggregation_info: {
                          min: "250000000",
                          max: "350000000",
                          sum: "300000000",
                          avg: "300000000",
                          format: "bytes"
                        }
                      }
                    },
                    {
                      name: "memoryRSS",
                      results: {
                        aggregation_info: {
                          min: "150000000",
                          max: "250000000",
                          sum: "200000000",
                          avg: "200000000",
                          format: "bytes"
                        }
                      }
                    }
                  ],
                  recommendations: {}
                }
              ]
            }
          ]
        })
      )
    })
  )
})
