/**
 * 100k+ rows generated chunk by chunk as the pipeline pulls them: the file never exists as a whole, so this checks
 * that aggregation is incremental and exact at volume. Memory is measured by bench/csv.ts, not asserted here.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, Stream } from "effect"
import { formatDecimal } from "../../../schema/ros/CsvDecimal.js"
import { containerColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { aggregateUsageCsv } from "../../../src/processor/csv/AggregateUsageCsv.js"
import { containerRow, drops, interval, scope } from "./UsageCsvFixtures.js"

const WORKLOADS = 10
const CONTAINERS = 2
const INTERVALS = 500
const PODS = 10
const VALID_ROWS = WORKLOADS * CONTAINERS * INTERVALS * PODS

const encoder = new TextEncoder()

const line = (cells: Record<string, string>) => `${containerColumns.map((c) => cells[c] ?? "").join(",")}\n`

/** Pod p of container c of workload k in interval i; every value is a multiple of 1/8, so sums are exact. */
const row = (i: number, k: number, c: number, p: number) =>
  line(
    containerRow({
      ...interval(i),
      namespace: `ns-${k % 3}`,
      workload: `app-${k}`,
      owner_name: `app-${k}-5f6d`,
      pod: `app-${k}-5f6d-${p}`,
      container_name: `c${c}`,
      image_name: `img-${c}`,
      cpu_usage_container_avg: String((p + i) / 4),
      cpu_usage_container_sum: String((p + i) / 4),
      cpu_usage_container_min: String(p / 8),
      cpu_usage_container_max: String(i + p / 2),
      memory_usage_container_avg: String(500_000 + 1000 * p + c),
      memory_usage_container_sum: String(500_000 + 1000 * p + c),
      memory_usage_container_min: String(1000 * k + p),
      memory_usage_container_max: String(1_000_000 + 10 * i + p)
    })
  )

/** One chunk per interval: its 200 valid rows and one `job` row that must be dropped. */
const file: Stream.Stream<Uint8Array> = Stream.unfold(-1, (i) => {
  if (i >= INTERVALS) return Option.none()
  if (i === -1) return Option.some([encoder.encode(`${containerColumns.join(",")}\n`), 0])
  let text = ""
  for (let k = 0; k < WORKLOADS; k++) {
    for (let c = 0; c < CONTAINERS; c++) for (let p = 0; p < PODS; p++) text += row(i, k, c, p)
  }
  text += line(containerRow({ ...interval(i), workload_type: "job", owner_kind: "Job" }))
  return Option.some([encoder.encode(text), i + 1])
})

describe("streaming a large file", () => {
  it.effect(
    `${VALID_ROWS + INTERVALS} rows: exact aggregates for every workload, container and interval`,
    () =>
      Effect.gen(function* () {
        const report = yield* aggregateUsageCsv(file, { scope, kind: "container" })
        if (report._tag !== "ContainerUsageReport") return expect.unreachable()
        expect(report.rows).toEqual({
          total: VALID_ROWS + INTERVALS,
          accepted: VALID_ROWS,
          dropped: drops({ unsupported_workload_type: INTERVALS })
        })
        expect(report.experiments).toHaveLength(WORKLOADS)
        report.experiments.forEach((experiment, k) => {
          expect(experiment.experimentName).toBe(
            `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}|ns-${k % 3}|deployment|app-${k}`
          )
          expect(experiment.results).toHaveLength(INTERVALS)
          experiment.results.forEach((entry, i) => {
            const containers = entry.kubernetes_objects[0].containers
            expect(containers).toHaveLength(CONTAINERS)
            containers.forEach((container, c) => {
              const metric = (name: string) => container.metrics.find((m) => m.name === name)?.results.aggregation_info
              let cpuSum = 0
              for (let p = 0; p < PODS; p++) cpuSum += (p + i) / 4
              expect(metric("cpuUsage")).toEqual({
                min: "0",
                max: formatDecimal(i + (PODS - 1) / 2),
                sum: formatDecimal(cpuSum),
                avg: formatDecimal(cpuSum / PODS),
                format: "cores"
              })
              expect(metric("memoryUsage")).toEqual({
                min: String(1000 * k),
                max: String(1_000_000 + 10 * i + PODS - 1),
                sum: String(PODS * (500_000 + c) + 1000 * 45),
                avg: String(500_000 + c + 4500),
                format: "bytes"
              })
            })
          })
          expect(experiment.maxIntervalEnd).toBe(experiment.results[INTERVALS - 1]!.interval_end_time)
        })
      }),
    60_000
  )
})
