/**
 * Throughput and peak memory of the usage-CSV pipeline (src/processor/csv) on a generated 500k-row container file,
 * produced chunk by chunk as the pipeline pulls it, so the file never exists as a whole. Figures only.
 *
 * By default the experiments are pulled one at a time (`readUsageCsv`), as the processor consumes them; `--collect`
 * gathers them all into one report (`aggregateUsageCsv`), whose payload strings then dominate memory.
 *
 *   node --import tsx bench/csv.ts [rows] [pods-per-container] [--collect]
 */
import { Effect, Option, Stream } from "effect"
import { containerColumns } from "../schema/ros/UsageCsvColumns.js"
import { aggregateUsageCsv, readUsageCsv } from "../src/processor/csv/AggregateUsageCsv.js"
import { recordFigure } from "./figures.js"

const args = process.argv.slice(2).filter((a) => !a.startsWith("--"))
const COLLECT = process.argv.includes("--collect")
const ROWS = Number(args[0] ?? 500_000)
const PODS = Number(args[1] ?? 5)
const CONTAINERS = 2
const INTERVALS = 48 // 12 hours of 15-minute intervals
const WORKLOADS = Math.max(1, Math.round(ROWS / (PODS * CONTAINERS * INTERVALS)))
const ROWS_PER_CHUNK = 1_000

const print = (line: string) => process.stdout.write(`${line}\n`)
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

/** mulberry32: the same figures on every run */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const random = prng(42)

const goTime = (ms: number) => `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} +0000 UTC`
const START = Date.UTC(2026, 5, 1)
const intervals = Array.from({ length: INTERVALS }, (_, i) => ({
  start: goTime(START + i * 900_000 + 1000),
  end: goTime(START + (i + 1) * 900_000)
}))

const column = new Map<string, number>(containerColumns.map((c, i) => [c, i]))
const cells: Array<string> = containerColumns.map(() => "")
const set = (name: string, value: string) => {
  cells[column.get(name)!] = value
}
set("report_period_start", "2026-06-01 00:00:00 +0000 UTC")
set("report_period_end", "2026-07-01 00:00:00 +0000 UTC")
set("owner_kind", "ReplicaSet")
set("workload_type", "deployment")
set("node", "ip-10-0-176-227.us-east-2.compute.internal")
set("resource_id", "i-0dfbb3fa4d0e8fc94")

/** Row n, in time order: interval, then workload, container, pod; realistic decimals from a seeded generator. */
const row = (n: number): string => {
  const pod = n % PODS
  const container = Math.floor(n / PODS) % CONTAINERS
  const workload = Math.floor(n / (PODS * CONTAINERS)) % WORKLOADS
  const interval = intervals[Math.floor(n / (PODS * CONTAINERS * WORKLOADS)) % INTERVALS]!
  const cpu = random() * 2
  const memory = Math.round(2e8 + random() * 8e8)
  set("interval_start", interval.start)
  set("interval_end", interval.end)
  set("namespace", `team-${workload % 40}`)
  set("workload", `service-${workload}`)
  set("owner_name", `service-${workload}-7d9f5c`)
  set("pod", `service-${workload}-7d9f5c-${pod}`)
  set("container_name", container === 0 ? "app" : "sidecar")
  set("image_name", container === 0 ? `quay.io/team/service-${workload}:1.4.2` : "registry.io/envoy:1.30")
  for (const name of ["cpu_request_container_avg", "cpu_request_container_sum"]) set(name, "0.5")
  for (const name of ["cpu_limit_container_avg", "cpu_limit_container_sum"]) set(name, "2")
  set("cpu_usage_container_avg", String(cpu))
  set("cpu_usage_container_min", String(cpu * 0.5))
  set("cpu_usage_container_max", String(cpu * 1.5))
  set("cpu_usage_container_sum", String(cpu))
  for (const name of ["cpu_throttle_container_avg", "cpu_throttle_container_max", "cpu_throttle_container_sum"]) {
    set(name, "0")
  }
  for (const name of ["memory_request_container_avg", "memory_request_container_sum"]) set(name, "536870912")
  for (const name of ["memory_limit_container_avg", "memory_limit_container_sum"]) set(name, "1073741824")
  set("memory_usage_container_avg", String(memory))
  set("memory_usage_container_min", String(Math.round(memory * 0.9)))
  set("memory_usage_container_max", String(Math.round(memory * 1.1)))
  set("memory_usage_container_sum", String(memory))
  set("memory_rss_usage_container_avg", String(memory * 0.8))
  set("memory_rss_usage_container_min", String(memory * 0.7))
  set("memory_rss_usage_container_max", String(memory * 0.9))
  set("memory_rss_usage_container_sum", String(memory * 0.8))
  return `${cells.join(",")}\n`
}

const encoder = new TextEncoder()
let bytesRead = 0
let generationMs = 0

const file: Stream.Stream<Uint8Array> = Stream.unfold(-1, (n) => {
  if (n >= ROWS) return Option.none()
  const t0 = performance.now()
  let text = ""
  if (n === -1) text = `${containerColumns.join(",")}\n`
  else for (let i = n; i < Math.min(ROWS, n + ROWS_PER_CHUNK); i++) text += row(i)
  const chunk = encoder.encode(text)
  generationMs += performance.now() - t0
  bytesRead += chunk.length
  return Option.some([chunk, n === -1 ? 0 : n + ROWS_PER_CHUNK])
})

const scope = { orgId: "1", sourceId: "2", clusterUuid: "3" }
const options = { scope, kind: "container" } as const

/** Rows, experiments and aggregated (workload, container, interval) groups, consuming experiments as they come. */
const run = COLLECT
  ? aggregateUsageCsv(file, options).pipe(
      Effect.map((report) => ({
        rows: report.rows,
        experiments: report.experiments.length,
        groups: report.experiments.reduce(
          (n, e) =>
            n +
            e.results.reduce(
              (m, r) => m + ("containers" in r.kubernetes_objects[0] ? r.kubernetes_objects[0].containers.length : 1),
              0
            ),
          0
        )
      }))
    )
  : readUsageCsv(file, options).pipe(
      Effect.flatMap((usage) =>
        usage._tag === "ContainerUsage"
          ? Stream.runFold(usage.experiments, { experiments: 0, groups: 0 }, (acc, e) => ({
              experiments: acc.experiments + 1,
              groups: acc.groups + e.results.reduce((m, r) => m + r.kubernetes_objects[0].containers.length, 0)
            })).pipe(Effect.map((counts) => ({ rows: usage.rows, ...counts })))
          : Effect.dieMessage("expected a container file")
      )
    )

const rssBefore = process.memoryUsage().rss
const started = performance.now()
const result = await Effect.runPromise(run)
const elapsedMs = performance.now() - started
const pipelineMs = elapsedMs - generationMs
const peakRss = process.resourceUsage().maxRSS * 1024
const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000))

print(`mode: ${COLLECT ? "collect all experiments" : "experiments pulled one at a time"}`)
print(`rows: ${result.rows.total} (accepted ${result.rows.accepted}), ${mb(bytesRead)} MB of CSV`)
print(`experiments: ${result.experiments}, aggregated (workload, container, interval) groups: ${result.groups}`)
print(
  `pipeline: ${(pipelineMs / 1000).toFixed(2)} s, ${perSecond(result.rows.total, pipelineMs)} rows/s, ` +
    `${(bytesRead / 1024 / 1024 / (pipelineMs / 1000)).toFixed(1)} MB/s (CSV generation excluded: ${(generationMs / 1000).toFixed(2)} s)`
)
print(`wall incl. generation: ${(elapsedMs / 1000).toFixed(2)} s, ${perSecond(result.rows.total, elapsedMs)} rows/s`)
print(`RSS: ${mb(rssBefore)} MB before, ${mb(peakRss)} MB peak`)
const size = `${result.rows.total.toLocaleString("en-US")} CSV rows`
recordFigure("csv", {
  name: "CSV pipeline",
  value: perSecond(result.rows.total, pipelineMs),
  unit: "rows/s",
  dataSize: size
})
recordFigure("csv", { name: "peak RSS", value: Math.round(peakRss / 1024 / 1024), unit: "MiB", dataSize: size })
