import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { OperatorReleases, operatorPayload, payloadTarGz } from "../../../samples/OperatorPayload.js"
import {
  ContainerColumns37,
  ContainerColumns49,
  ContainerUsageColumns,
  containerColumns,
  containerRows,
  NamespaceColumns,
  Namespaces,
  restartWindow,
  sampleOptions,
  WINDOWS_PER_DAY,
  Workloads
} from "../../../samples/SampleData.js"
import { gunzippedSize, readTarGz, type TarRead } from "./TarReader.js"

const checkedIn = new URL("../../../samples/cost-mgmt.tar.gz", import.meta.url)
const defaults = sampleOptions()

/** Long-term recommendations need 768 points of 15 minutes: 8 days. */
const LONG_TERM_POINTS = 768
const MAX_BYTES = 5 * 1024 * 1024

type Row = Record<string, string>

const csvRecords = (text: string): { readonly header: ReadonlyArray<string>; readonly rows: ReadonlyArray<Row> } => {
  const records: Array<Array<string>> = parse(text, { relax_column_count: false })
  const [header = [], ...data] = records
  return {
    header,
    rows: data.map((cells) => Object.fromEntries(header.map((column, i) => [column, cells[i] ?? ""])))
  }
}

const entryText = (read: TarRead, suffix: string): string => {
  const entry = read.entries.find((e) => e.header.name.includes(suffix))
  if (entry === undefined) throw new Error(`no entry matching ${suffix}`)
  return entry.data.toString("utf8")
}

const goTimeToMillis = (text: string): number => Date.parse(`${text.replace(" +0000 UTC", "").replace(" ", "T")}Z`)

describe("samples/generate (operator payload)", () => {
  it.effect("is deterministic: two generations give identical bytes", () =>
    Effect.sync(() => {
      const first = payloadTarGz(operatorPayload(sampleOptions()))
      const second = payloadTarGz(operatorPayload(sampleOptions()))
      expect(first.equals(second)).toBe(true)
    })
  )

  it.effect("the checked-in samples/cost-mgmt.tar.gz is a fresh generation with default arguments", () =>
    Effect.gen(function* () {
      const fresh = payloadTarGz(operatorPayload(defaults))
      const stored = readFileSync(checkedIn)
      // The tar inside must match exactly; if only the gzip bytes differ, zlib itself differs on this machine.
      const [freshTar, storedTar] = yield* Effect.all([readTarGz(fresh), readTarGz(stored)])
      expect(storedTar.entries.map((e) => e.header.name)).toEqual(freshTar.entries.map((e) => e.header.name))
      storedTar.entries.forEach((entry, i) => {
        expect(entry.data.equals(freshTar.entries[i]?.data ?? Buffer.alloc(0))).toBe(true)
      })
      expect(stored.equals(fresh)).toBe(true)
      expect(stored.length).toBeLessThanOrEqual(MAX_BYTES)
    })
  )

  it.effect("gzip and tar headers carry nothing from the machine or the clock", () =>
    Effect.gen(function* () {
      const payload = operatorPayload(defaults)
      const bytes = payloadTarGz(payload)
      // Magic, deflate, no flags, mtime 0, XFL 0, OS 255: what Go's gzip.NewWriter writes.
      expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff])
      const read = yield* readTarGz(bytes)
      expect(read.error).toBeUndefined()
      for (const { header } of read.entries) {
        expect(header.type).toBe("file")
        expect(header.mode).toBe(0o644)
        expect(header.uid).toBe(0)
        expect(header.gid).toBe(0)
        expect(header.uname).toBe("")
        expect(header.gname).toBe("")
        expect(header.mtime?.getTime()).toBe(payload.mtime * 1000)
      }
    })
  )

  it.effect("extracts into exactly the manifest's files, flat, with manifest.json last", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      expect(read.error).toBeUndefined()
      const names = read.entries.map((e) => e.header.name)
      expect(names[names.length - 1]).toBe("manifest.json")
      const manifest = JSON.parse(entryText(read, "manifest.json")) as {
        readonly files: ReadonlyArray<string>
        readonly resource_optimization_files: ReadonlyArray<string>
      }
      expect(names.slice(0, -1)).toEqual([...manifest.files, ...manifest.resource_optimization_files])
      for (const name of names) expect(name).toMatch(/^[^/\\]+$/)
      expect(manifest.resource_optimization_files.map((n) => n.replace(/^[0-9a-f-]{37}/, ""))).toEqual([
        "ros-openshift-container-202608.4.csv",
        "ros-openshift-namespace-202608.5.csv"
      ])
      expect(manifest.files.map((n) => n.replace(/^[0-9a-f-]{37}/, ""))).toEqual([
        "cm-openshift-namespace-usage-202608.0.csv",
        "cm-openshift-node-usage-202608.1.csv",
        "cm-openshift-pod-usage-202608.2.csv",
        "cm-openshift-storage-usage-202608.3.csv"
      ])
    })
  )

  it.effect("manifest.json has every operator field, in the operator's format", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      const text = entryText(read, "manifest.json")
      const manifest = JSON.parse(text) as Record<string, unknown>
      expect(Object.keys(manifest)).toEqual([
        "uuid",
        "cluster_id",
        "version",
        "date",
        "files",
        "resource_optimization_files",
        "start",
        "end",
        "cr_status",
        "certified",
        "daily_reports"
      ])
      expect(manifest.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
      expect(manifest.cluster_id).toBe(defaults.clusterId)
      expect(manifest.version).toBe(OperatorReleases[37].commit)
      expect(manifest.date).toBe("2026-08-12T00:03:24.480462354Z")
      expect(manifest.start).toBe("2026-08-03T00:00:00Z")
      expect(manifest.end).toBe("2026-08-11T23:59:59Z")
      expect(manifest.certified).toBe(false)
      expect(manifest.daily_reports).toBe(true)
      const status = manifest.cr_status as Record<string, Record<string, unknown>>
      expect(status.clusterID).toBe(defaults.clusterId)
      expect(status.operator_commit).toBe(OperatorReleases[37].commit)
      expect(status.upload?.ingress_path).toBe("/api/ingress/v1/upload")
      expect(status.prometheus?.disabled_metrics_collection_resource_optimization).toBe(false)
      // json.MarshalIndent with a one-space indent and Go's HTML escaping.
      expect(text.startsWith('{\n "uuid": "')).toBe(true)
      expect(text.endsWith("\n}")).toBe(true)
      expect(text).toContain("\\u0026PersistentVolumeClaimVolumeSource")
    })
  )

  it.effect("adds koku's optional operator_version only when asked", () =>
    Effect.sync(() => {
      const oneDay = sampleOptions({ days: 1 })
      const plain = operatorPayload(oneDay).manifest
      const extra = operatorPayload(oneDay, { includeOperatorVersion: true }).manifest
      expect("operator_version" in plain).toBe(false)
      expect(extra.operator_version).toBe("koku-metrics-operator:v4.1.0")
      expect(
        operatorPayload(sampleOptions({ layout: 49, days: 1 }), { includeOperatorVersion: true }).manifest
      ).toMatchObject({
        version: OperatorReleases[49].commit,
        operator_version: "koku-metrics-operator:v4.2.0"
      })
    })
  )

  it.effect("the container CSV has the 37 required columns in the operator's order and parses cleanly", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      const { header, rows } = csvRecords(entryText(read, "ros-openshift-container"))
      expect(header).toEqual([...ContainerColumns37])
      expect(new Set(header).size).toBe(37)
      expect(rows.length).toBe(containerRows(defaults).length)
      const numbers = ContainerColumns37.slice(14)
      // Collect violations instead of asserting per cell: 860k expect() calls would dominate the run time.
      const problems: Array<string> = []
      const startPattern = /^\d{4}-\d{2}-\d{2} \d{2}:(00|15|30|45):01 \+0000 UTC$/
      const endPattern = /^\d{4}-\d{2}-\d{2} \d{2}:(00|15|30|45):00 \+0000 UTC$/
      rows.forEach((row, i) => {
        const start = row.interval_start ?? ""
        const end = row.interval_end ?? ""
        if (!startPattern.test(start) || !endPattern.test(end)) problems.push(`row ${i}: window ${start} / ${end}`)
        if (goTimeToMillis(end) - goTimeToMillis(start) !== 899_000) problems.push(`row ${i}: not 15 minutes`)
        if (row.report_period_start !== "2026-08-01 00:00:00 +0000 UTC") problems.push(`row ${i}: period start`)
        if (row.report_period_end !== "2026-09-01 00:00:00 +0000 UTC") problems.push(`row ${i}: period end`)
        for (const column of numbers) {
          const cell = row[column] ?? ""
          // Non-negative, 6 decimals, or empty for a missing metric.
          if (cell !== "" && !/^\d+\.\d{6}$/.test(cell)) problems.push(`row ${i}: ${column}=${cell}`)
        }
        for (const column of ContainerUsageColumns) if (row[column] === "") problems.push(`row ${i}: no ${column}`)
      })
      expect(problems.slice(0, 10)).toEqual([])
    })
  )

  it.effect("every CSV cell equals the model's value, so tests can compute expectations from SampleData", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      const { rows } = csvRecords(entryText(read, "ros-openshift-container"))
      const model = containerRows(defaults)
      expect(rows.length).toBe(model.length)
      const problems: Array<string> = []
      rows.forEach((row, i) => {
        const expected = model[i]
        for (const column of ContainerColumns37) {
          const cell = row[column] ?? ""
          const value = expected?.[column]
          const same = typeof value === "string" ? cell === value : (cell === "" ? undefined : Number(cell)) === value
          if (!same) problems.push(`row ${i} ${column}: csv ${cell}, model ${value}`)
        }
      })
      expect(problems.slice(0, 10)).toEqual([])
    })
  )

  it.effect("the content covers what the processor and recommender need", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      const { rows } = csvRecords(entryText(read, "ros-openshift-container"))
      const of = (name: string) => rows.filter((r) => r.workload === name || r.owner_name === name)

      expect(new Set(rows.map((r) => r.namespace))).toEqual(
        new Set(Namespaces.filter((n) => n.optimized).map((n) => n.name))
      )
      expect(new Set(rows.map((r) => r.workload_type))).toEqual(
        new Set(["deployment", "deploymentconfig", "statefulset", "daemonset", "replicaset", "job", ""])
      )
      expect(Workloads.length).toBeGreaterThanOrEqual(10)

      // Every workload ROS keeps reports in enough windows for a long-term recommendation.
      for (const w of Workloads.filter((x) => x.rosObject !== undefined)) {
        const windows = new Set(
          of(w.name)
            .filter((r) => r.namespace === w.namespace)
            .map((r) => r.interval_end)
        )
        expect(windows.size, w.name).toBeGreaterThanOrEqual(LONG_TERM_POINTS)
      }

      // Over-provisioned: the frontend never comes close to its 1-core request.
      const nginx = of("frontend").filter((r) => r.container_name === "nginx")
      expect(Math.max(...nginx.map((r) => Number(r.cpu_usage_container_avg)))).toBeLessThan(0.3)

      // Under-provisioned: checkout is throttled and its memory touches the limit.
      const checkout = of("checkout-api")
      expect(checkout.filter((r) => Number(r.cpu_throttle_container_avg) > 0).length).toBeGreaterThan(100)
      expect(
        Math.max(...checkout.map((r) => Number(r.memory_usage_container_max) / Number(r.memory_limit_container_avg)))
      ).toBeGreaterThan(0.97)

      // No requests or limits: empty cells, and no throttling metric without a CPU limit.
      const worker = of("queue-worker")
      expect(worker.every((r) => r.cpu_request_container_avg === "" && r.memory_limit_container_avg === "")).toBe(true)
      expect(worker.every((r) => r.cpu_throttle_container_avg === "")).toBe(true)

      // A restarted pod: three pod names for two replicas, and a one-window gap for the replaced one.
      expect(new Set(checkout.map((r) => r.pod)).size).toBe(3)
      const restartEnd = rows.filter((r) => r.container_name === "checkout").map((r) => r.interval_end)
      expect(new Set(restartEnd).size).toBe(defaults.days * WINDOWS_PER_DAY)
      expect(checkout.length).toBe(2 * defaults.days * WINDOWS_PER_DAY - 1)
      expect(restartWindow(defaults)).toBeGreaterThan(0)

      // A rollout: two images (and ReplicaSets) for queue-worker, both present in one window.
      expect(new Set(worker.map((r) => r.image_name)).size).toBe(2)
      expect(new Set(worker.map((r) => r.owner_name)).size).toBe(2)

      // Rows ROS must drop are there too: a bare pod and the CronJob's Jobs.
      expect(rows.some((r) => r.owner_kind === "<none>" && r.workload === "")).toBe(true)
      expect(rows.filter((r) => r.workload_type === "job").length).toBe(defaults.days * 4)
    })
  )

  it.effect("the namespace CSV has the spec's 25 columns and one row per namespace per window", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      const { header, rows } = csvRecords(entryText(read, "ros-openshift-namespace"))
      expect(header).toEqual([...NamespaceColumns])
      expect(header.length).toBe(25)
      const optimized = Namespaces.filter((n) => n.optimized).length
      expect(rows.length).toBe(optimized * defaults.days * WINDOWS_PER_DAY)
      for (const row of rows) {
        for (const column of NamespaceColumns.slice(5)) {
          const cell = row[column] ?? ""
          if (cell !== "") expect(cell).toMatch(/^\d+\.\d{6}$/)
        }
        expect(Number(row.namespace_running_pods_max)).toBeGreaterThan(0)
      }
      // Namespaces without a ResourceQuota have empty request and limit cells.
      expect(rows.some((r) => r.cpu_request_namespace_sum === "")).toBe(true)
    })
  )

  it.effect("the cost reports have the operator's headers", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(checkedIn))
      const firstLine = (suffix: string) => entryText(read, suffix).split("\n")[0]
      expect(firstLine("cm-openshift-pod-usage")).toBe(
        "report_period_start,report_period_end,interval_start,interval_end,node,namespace,pod," +
          "pod_usage_cpu_core_seconds,pod_request_cpu_core_seconds,pod_limit_cpu_core_seconds," +
          "pod_usage_memory_byte_seconds,pod_request_memory_byte_seconds,pod_limit_memory_byte_seconds," +
          "node_capacity_cpu_cores,node_capacity_cpu_core_seconds,node_capacity_memory_bytes," +
          "node_capacity_memory_byte_seconds,node_role,resource_id,pod_labels"
      )
      expect(firstLine("cm-openshift-node-usage")).toBe(
        "report_period_start,report_period_end,interval_start,interval_end,node,node_labels"
      )
      expect(firstLine("cm-openshift-namespace-usage")).toBe(
        "report_period_start,report_period_end,interval_start,interval_end,namespace,namespace_labels"
      )
      expect(firstLine("cm-openshift-storage-usage")).toContain(",persistentvolumeclaim,persistentvolume,storageclass,")
      expect(entryText(read, "cm-openshift-namespace-usage")).toContain("label_cost_management_optimizations:true")
    })
  )

  it.effect("--layout 49 writes the 49-column layout with empty accelerator cells", () =>
    Effect.gen(function* () {
      const options = sampleOptions({ layout: 49, days: 1 })
      const read = yield* readTarGz(payloadTarGz(operatorPayload(options)))
      const { header, rows } = csvRecords(entryText(read, "ros-openshift-container"))
      expect(header).toEqual([...ContainerColumns49])
      expect(containerColumns(49)).toHaveLength(49)
      for (const row of rows) {
        expect(row.accelerator_model_name).toBe("")
        expect(row.accelerator_frame_buffer_usage_avg).toBe("")
        if (row.cpu_throttle_container_avg !== "") {
          expect(Number(row.cpu_throttle_container_min)).toBeLessThanOrEqual(Number(row.cpu_throttle_container_avg))
        }
      }
    })
  )

  it.effect("a period across two months gives one file per report and month", () =>
    Effect.gen(function* () {
      const options = sampleOptions({ startDate: "2026-07-31", days: 2 })
      const payload = operatorPayload(options)
      const ros = payload.files.filter((f) => f.resourceOptimization).map((f) => f.localName)
      expect(ros).toEqual([
        "ros-openshift-container-202607.csv",
        "ros-openshift-container-202608.csv",
        "ros-openshift-namespace-202607.csv",
        "ros-openshift-namespace-202608.csv"
      ])
      const july = payload.files.find((f) => f.localName === "ros-openshift-container-202607.csv")?.content ?? ""
      const lastJuly = july.trimEnd().split("\n").at(-1) ?? ""
      // The 23:45:01 window ends in August but belongs to July's report period and file.
      expect(lastJuly).toContain("2026-07-31 23:45:01 +0000 UTC,2026-08-01 00:00:00 +0000 UTC")
      expect(lastJuly.startsWith("2026-07-01 00:00:00 +0000 UTC,2026-08-01 00:00:00 +0000 UTC,")).toBe(true)
      expect(yield* gunzippedSize(payloadTarGz(payload))).toBeGreaterThan(0)
    })
  )

  it.effect("options are validated and the seed changes the data", () =>
    Effect.sync(() => {
      expect(() => sampleOptions({ days: 0 })).toThrow(RangeError)
      expect(() => sampleOptions({ startDate: "2026-13-01" })).toThrow(RangeError)
      const a = containerRows(sampleOptions({ days: 1, seed: 1 }))
      const b = containerRows(sampleOptions({ days: 1, seed: 2 }))
      expect(a[0]?.cpu_usage_container_avg).not.toBe(b[0]?.cpu_usage_container_avg)
      expect(sampleOptions({ seed: 2 }).clusterId).not.toBe(defaults.clusterId)
    })
  )
})
