/**
 * The CSV export of container recommendations (ros-ocp-backend.md §5.7): upstream's 38 columns, one row per term
 * (short, medium, long) that has engines, times each engine (cost, performance), values taken from the shown
 * (unit-converted) document, numbers in Go's shortest plain form, times as Go's `time.String()`, and fields quoted
 * as Go's `encoding/csv` quotes them.
 */
import type { ContainerRecommendation } from "../../schema/api/ContainerRecommendation.js"
import {
  type CpuMemory,
  ENGINES,
  type LimitsRequests,
  type Quantity,
  TERMS
} from "../../schema/api/RecommendationDocument.js"
import { plainDecimal } from "../../schema/kruize/RecommendationJson.js"
import { goTimeString } from "./TimeText.js"

export const CSV_COLUMNS = [
  "id",
  "cluster_uuid",
  "cluster_alias",
  "container",
  "project",
  "workload",
  "workload_type",
  "last_reported",
  "source_id",
  "current_cpu_limit_amount",
  "current_cpu_limit_format",
  "current_memory_limit_amount",
  "current_memory_limit_format",
  "current_cpu_request_amount",
  "current_cpu_request_format",
  "current_memory_request_amount",
  "current_memory_request_format",
  "monitoring_end_time",
  "recommendation_term",
  "duration_in_hours",
  "monitoring_start_time",
  "recommendation_type",
  "config_cpu_limit_amount",
  "config_cpu_limit_format",
  "config_memory_limit_amount",
  "config_memory_limit_format",
  "config_cpu_request_amount",
  "config_cpu_request_format",
  "config_memory_request_amount",
  "config_memory_request_format",
  "variation_cpu_limit_amount",
  "variation_cpu_limit_format",
  "variation_memory_limit_amount",
  "variation_memory_limit_format",
  "variation_cpu_request_amount",
  "variation_cpu_request_format",
  "variation_memory_request_amount",
  "variation_memory_request_format"
] as const

const amount = (quantity: Quantity | undefined): string => plainDecimal(quantity?.amount ?? 0)
const format = (quantity: Quantity | undefined): string => quantity?.format ?? ""

const pair = (section: CpuMemory | undefined, resource: "cpu" | "memory"): [string, string] => [
  amount(section?.[resource]),
  format(section?.[resource])
]

/** limits cpu, limits memory, requests cpu, requests memory: amount and format each. */
const quantities = (block: LimitsRequests | undefined): Array<string> => [
  ...pair(block?.limits, "cpu"),
  ...pair(block?.limits, "memory"),
  ...pair(block?.requests, "cpu"),
  ...pair(block?.requests, "memory")
]

/** Variation amounts with their format always `percent`, as upstream writes them. */
const percents = (block: LimitsRequests | undefined): Array<string> =>
  [block?.limits?.cpu, block?.limits?.memory, block?.requests?.cpu, block?.requests?.memory].flatMap((q) => [
    amount(q),
    "percent"
  ])

/** The rows of one shown recommendation set, in upstream's order. */
export const csvRows = (item: ContainerRecommendation): Array<Array<string>> => {
  const doc = item.recommendations
  const head = [
    item.id,
    item.cluster_uuid,
    item.cluster_alias,
    item.container,
    item.project,
    item.workload,
    item.workload_type,
    item.last_reported,
    item.source_id,
    ...quantities(doc.current),
    goTimeString(doc.monitoring_end_time)
  ]
  const rows: Array<Array<string>> = []
  for (const term of TERMS) {
    const recommendation = doc.recommendation_terms?.[term]
    const engines = recommendation?.recommendation_engines
    if (recommendation === undefined || engines === undefined || engines === null) continue
    for (const engine of ENGINES) {
      const shown = engines[engine]
      rows.push([
        ...head,
        term,
        plainDecimal(recommendation.duration_in_hours ?? 0),
        goTimeString(recommendation.monitoring_start_time),
        engine,
        ...quantities(shown?.config),
        ...percents(shown?.variation)
      ])
    }
  }
  return rows
}

/** Go's `csv.Writer.fieldNeedsQuotes`. */
const needsQuotes = (field: string): boolean =>
  field !== "" &&
  (field === "\\." || /[",\r\n]/.test(field) || field.startsWith(" ") || field.startsWith("\t") || /^\s/u.test(field))

const quote = (field: string): string => (needsQuotes(field) ? `"${field.replace(/"/g, '""')}"` : field)

/** One CSV record with its newline, as Go's `csv.Writer` writes it (comma, `\n`). */
export const csvLine = (fields: ReadonlyArray<string>): string => `${fields.map(quote).join(",")}\n`

export const csvHeader = csvLine(CSV_COLUMNS)
