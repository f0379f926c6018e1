/** Hand-built usage CSVs for the processor tests: a valid default row per kind, overridable cell by cell. */
import { Chunk, Effect, Either, Stream } from "effect"
import type { CsvKind } from "../../../schema/ros/CsvKind.js"
import type { ExperimentScope } from "../../../schema/ros/ExperimentScope.js"
import type { DroppedRows } from "../../../schema/ros/RowCounts.js"
import {
  type ContainerColumn,
  containerColumns,
  type NamespaceColumn,
  namespaceColumns
} from "../../../schema/ros/UsageCsvColumns.js"
import type { ContainerUsageReport, NamespaceUsageReport } from "../../../schema/ros/UsageReport.js"
import { aggregateUsageCsv } from "../../../src/processor/csv/AggregateUsageCsv.js"

export const scope: ExperimentScope = {
  orgId: "3340851",
  sourceId: "111",
  clusterUuid: "1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c"
}

/** `2023-06-02 00:15:00 +0000 UTC` style, for minute offsets from 2023-06-02 00:00 UTC. */
export const goTime = (minutes: number, seconds = 0): string => {
  const d = new Date(Date.UTC(2023, 5, 2, 0, minutes, seconds))
  const p = (n: number) => String(n).padStart(2, "0")
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000 UTC`
}

/** The i-th 15-minute interval: start `hh:mm:01`, end 15 minutes after the previous end. */
export const interval = (i: number) => ({ interval_start: goTime(15 * i, 1), interval_end: goTime(15 * (i + 1)) })

export const containerRow = (
  cells: Partial<Record<ContainerColumn, string>> = {}
): Record<ContainerColumn, string> => ({
  report_period_start: "2023-06-01 00:00:00 +0000 UTC",
  report_period_end: "2023-07-01 00:00:00 +0000 UTC",
  ...interval(0),
  container_name: "app",
  pod: "web-7d9f-1",
  owner_name: "web-7d9f",
  owner_kind: "ReplicaSet",
  workload: "web",
  workload_type: "deployment",
  namespace: "shop",
  image_name: "quay.io/shop/web:1",
  node: "node-1",
  resource_id: "i-0001",
  cpu_request_container_avg: "0.5",
  cpu_request_container_sum: "0.5",
  cpu_limit_container_avg: "1",
  cpu_limit_container_sum: "1",
  cpu_usage_container_avg: "0.25",
  cpu_usage_container_min: "0.125",
  cpu_usage_container_max: "0.5",
  cpu_usage_container_sum: "0.25",
  cpu_throttle_container_avg: "0",
  cpu_throttle_container_max: "0",
  cpu_throttle_container_sum: "0",
  memory_request_container_avg: "536870912",
  memory_request_container_sum: "536870912",
  memory_limit_container_avg: "1073741824",
  memory_limit_container_sum: "1073741824",
  memory_usage_container_avg: "300000000",
  memory_usage_container_min: "250000000",
  memory_usage_container_max: "350000000",
  memory_usage_container_sum: "300000000",
  memory_rss_usage_container_avg: "200000000",
  memory_rss_usage_container_min: "150000000",
  memory_rss_usage_container_max: "250000000",
  memory_rss_usage_container_sum: "200000000",
  ...cells
})

export const namespaceRow = (
  cells: Partial<Record<NamespaceColumn, string>> = {}
): Record<NamespaceColumn, string> => ({
  report_period_start: "2025-09-01 00:00:00 +0000 UTC",
  report_period_end: "2025-10-01 00:00:00 +0000 UTC",
  ...interval(0),
  namespace: "project-ros-a1",
  cpu_request_namespace_sum: "2",
  cpu_limit_namespace_sum: "4",
  cpu_usage_namespace_avg: "0.5",
  cpu_usage_namespace_max: "1.5",
  cpu_usage_namespace_min: "0.25",
  cpu_throttle_namespace_avg: "0",
  cpu_throttle_namespace_max: "0",
  cpu_throttle_namespace_min: "0",
  memory_request_namespace_sum: "2147483648",
  memory_limit_namespace_sum: "4294967296",
  memory_usage_namespace_avg: "1000000000",
  memory_usage_namespace_max: "1500000000",
  memory_usage_namespace_min: "500000000",
  memory_rss_usage_namespace_avg: "800000000",
  memory_rss_usage_namespace_max: "900000000",
  memory_rss_usage_namespace_min: "700000000",
  namespace_running_pods_max: "3",
  namespace_running_pods_avg: "2.5",
  namespace_total_pods_max: "4",
  namespace_total_pods_avg: "3",
  ...cells
})

const quote = (cell: string) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell)

/** A CSV with the given header; rows give cells by column name (absent ones are empty). */
export const csvText = (header: ReadonlyArray<string>, rows: ReadonlyArray<Readonly<Record<string, string>>>) =>
  [header, ...rows.map((row) => header.map((column) => row[column] ?? ""))]
    .map((cells) => cells.map(quote).join(","))
    .join("\n")
    .concat("\n")

export const containerCsv = (rows: ReadonlyArray<Record<string, string>>, header = containerColumns) =>
  csvText(header, rows)

export const namespaceCsv = (rows: ReadonlyArray<Record<string, string>>, header = namespaceColumns) =>
  csvText(header, rows)

/** The text as a byte stream cut into `chunkSize`-byte chunks, so records straddle chunk boundaries. */
export const bytes = (text: string, chunkSize = 97): Stream.Stream<Uint8Array> => {
  const all = new TextEncoder().encode(text)
  const chunks: Array<Uint8Array> = []
  for (let i = 0; i < all.length; i += chunkSize) chunks.push(all.subarray(i, i + chunkSize))
  return Stream.fromChunk(Chunk.unsafeFromArray(chunks))
}

export const aggregate = (text: string, kind?: CsvKind) =>
  aggregateUsageCsv(bytes(text), kind === undefined ? { scope } : { scope, kind })

export const containerReport = (text: string) =>
  aggregate(text).pipe(
    Effect.flatMap((report) =>
      report._tag === "ContainerUsageReport"
        ? Effect.succeed<ContainerUsageReport>(report)
        : Effect.dieMessage("expected a container report")
    )
  )

export const namespaceReport = (text: string) =>
  aggregate(text, "namespace").pipe(
    Effect.flatMap((report) =>
      report._tag === "NamespaceUsageReport"
        ? Effect.succeed<NamespaceUsageReport>(report)
        : Effect.dieMessage("expected a namespace report")
    )
  )

/** The failure of an aggregation, or a defect if it succeeded. */
export const failureOf = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.either(effect).pipe(
    Effect.flatMap((result) => (Either.isLeft(result) ? Effect.succeed(result.left) : Effect.dieMessage("succeeded")))
  )

/** Drop counts: the given reasons, zero for the others. */
export const drops = (counts: Partial<DroppedRows> = {}): DroppedRows => ({
  missing_usage: 0,
  invalid_usage: 0,
  negative_usage: 0,
  missing_owner: 0,
  missing_workload_type: 0,
  unsupported_workload_type: 0,
  missing_namespace: 0,
  invalid_interval: 0,
  ...counts
})
