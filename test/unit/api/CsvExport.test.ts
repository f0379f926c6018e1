/**
 * The CSV export's flattening (§5.7): 38 columns, one row per term with engines × engine in upstream's order,
 * values from the shown document, Go's number, time and quoting rules.
 */
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import type { ContainerRecommendation } from "../../../schema/api/ContainerRecommendation.js"
import { CSV_COLUMNS, csvHeader, csvLine, csvRows } from "../../../src/api/CsvExport.js"
import { showRecommendation } from "../../../src/api/RecommendationView.js"
import { goTimeString, rfc3339Utc } from "../../../src/api/TimeText.js"
import { numericColumns, recommendationDocument } from "../../support/rosSeed.js"

const GIB = 1024 ** 3
const stored = recommendationDocument({
  endTime: new Date("2026-06-01T11:45:00Z"),
  current: { cpuRequest: 1.5, cpuLimit: 2, memoryRequest: GIB, memoryLimit: 2 * GIB },
  cost: { cpu: 1.27, memory: 0.5 * GIB },
  performance: { cpu: 1.63, memory: 1.25 * GIB },
  terms: ["short_term", "long_term"]
})
const item: ContainerRecommendation = {
  cluster_alias: 'prod, "east"',
  cluster_uuid: "1b36c1b9-4a3d-4c6b-9c2e-0a4b5c6d7e8f",
  container: "web",
  id: "5f0c7a4e-0000-4000-8000-000000000001",
  last_reported: "2026-06-01T12:00:00.123456Z",
  project: "shop",
  recommendations: showRecommendation(stored, {
    units: { cpu: "cores", memory: "bytes", k8sFormats: true },
    keepPlots: false,
    percents: numericColumns(stored)
  }),
  source_id: "42",
  workload: "frontend",
  workload_type: "deployment"
}

describe("csvRows", () => {
  const rows = csvRows(item)

  it("has upstream's 38 columns and one row per available term × engine, in order", () => {
    expect(CSV_COLUMNS).toHaveLength(38)
    expect(rows.every((row) => row.length === 38)).toBe(true)
    const index = (column: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(column)
    expect(rows.map((row) => [row[index("recommendation_term")], row[index("recommendation_type")]])).toEqual([
      ["short_term", "cost"],
      ["short_term", "performance"],
      ["long_term", "cost"],
      ["long_term", "performance"]
    ])
  })

  it("takes its values from the shown document, formatted as Go formats them", () => {
    const row = Object.fromEntries(CSV_COLUMNS.map((column, i) => [column, rows[0]?.[i]]))
    expect(row).toMatchObject({
      id: item.id,
      cluster_alias: 'prod, "east"',
      current_cpu_limit_amount: "2",
      current_cpu_limit_format: "",
      current_memory_request_amount: "1073741824",
      current_memory_request_format: "bytes",
      monitoring_end_time: "2026-06-01 11:45:00 +0000 UTC",
      duration_in_hours: "24",
      monitoring_start_time: "2026-05-31 11:45:00 +0000 UTC",
      config_cpu_request_amount: "1.27",
      config_memory_limit_amount: "536870912",
      variation_cpu_limit_amount: "-36.5",
      variation_cpu_limit_format: "percent",
      variation_memory_request_amount: "-50",
      variation_memory_request_format: "percent"
    })
    const cpuRequest =
      item.recommendations.recommendation_terms?.short_term?.recommendation_engines?.cost?.variation?.requests?.cpu
        ?.amount
    expect(row.variation_cpu_request_amount).toBe(String(cpuRequest))
  })

  it("quotes like Go's encoding/csv and parses back to the same cells", () => {
    expect(csvLine(["a", 'b "c"', "d,e", " f", ""])).toBe('a,"b ""c""","d,e"," f",\n')
    const text = csvHeader + rows.map((row) => csvLine(row)).join("")
    const parsed: Array<Array<string>> = parse(text)
    expect(parsed[0]).toEqual([...CSV_COLUMNS])
    expect(parsed.slice(1)).toEqual(rows)
  })
})

describe("times", () => {
  it("prints Go's time.String() in UTC, and its zero time for a missing start", () => {
    expect(goTimeString("2023-06-03T00:45:00Z")).toBe("2023-06-03 00:45:00 +0000 UTC")
    expect(goTimeString("2023-06-03T02:45:00.500+02:00")).toBe("2023-06-03 00:45:00.5 +0000 UTC")
    expect(goTimeString(undefined)).toBe("0001-01-01 00:00:00 +0000 UTC")
  })

  it("writes RFC 3339 in UTC with trailing zeros of the fraction dropped", () => {
    expect(rfc3339Utc("2023-06-03T10:00:00.123000Z")).toBe("2023-06-03T10:00:00.123Z")
    expect(rfc3339Utc("2023-06-03T10:00:00.000000Z")).toBe("2023-06-03T10:00:00Z")
    expect(rfc3339Utc("2023-06-03T12:00:00+02:00")).toBe("2023-06-03T10:00:00Z")
  })
})
