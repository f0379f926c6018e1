/**
 * Variations as percentages, and the numeric columns the poller derives from a stored recommendation so that the
 * database sorts the way the API displays (ros-ocp-backend.md §4.2, upstream's `ExtractRecommendationColumnValues`
 * and `conversion.go`). The API reads these columns back for the request variations (§5.6 step 5); the seeder and
 * the poller write them.
 */
import {
  ENGINES,
  type Engine,
  type RecommendationDocument,
  TERMS,
  type Term
} from "../../schema/api/RecommendationDocument.js"
import { truncate3 } from "./UnitConversion.js"

/** Upstream's `calculatePercentage`: 0 when either side is 0 (never NaN or Infinity). */
export const percentOf = (numerator: number, denominator: number): number =>
  numerator === 0 || denominator === 0 ? 0 : (numerator / denominator) * 100

const clamp = (value: number, bound: number): number =>
  Number.isFinite(value) ? Math.min(Math.max(value, -bound), bound) : 0

/** Clamped to what NUMERIC(10,4) holds; NaN and infinities become 0. */
export const clampNumeric10 = (value: number): number => clamp(value, 999999.9999)
/**
 * Clamped to what NUMERIC(20,4) holds. Upstream's bound, 9999999999999999.9999, is 1e16 as a double, which the
 * column refuses; the largest double below it is used instead.
 */
export const clampNumeric20 = (value: number): number => clamp(value, 9999999999999998)

/** Bytes to MiB truncated to two decimals (`MiB2`). */
export const mebibytes2 = (bytes: number): number => Math.trunc((bytes / 1048576) * 100) / 100

export type Resource = "cpu" | "memory"
const termPrefix: Record<Term, string> = { short_term: "short", medium_term: "medium", long_term: "long" }

export type PercentColumn = `${Resource}_variation_${"short" | "medium" | "long"}_${Engine}_pct`

export const percentColumn = (resource: Resource, term: Term, engine: Engine): PercentColumn =>
  `${resource}_variation_${termPrefix[term] as "short" | "medium" | "long"}_${engine}_pct`

export const percentColumns: ReadonlyArray<PercentColumn> = (["cpu", "memory"] as const).flatMap((resource) =>
  TERMS.flatMap((term) => ENGINES.map((engine) => percentColumn(resource, term, engine)))
)

export type PercentColumns = Readonly<Record<PercentColumn, number | null>>

export interface DerivedColumns {
  readonly cpu_request_current: number
  readonly memory_request_current: number
  readonly percents: PercentColumns
}

/** The columns the poller stores beside a recommendation (§4.2): current requests and 12 request variations. */
export const derivedColumns = (doc: RecommendationDocument): DerivedColumns => {
  const cpuCurrent = clampNumeric10(doc.current?.requests?.cpu?.amount ?? 0)
  const memoryCurrent = clampNumeric20(doc.current?.requests?.memory?.amount ?? 0)
  const percents = Object.fromEntries(percentColumns.map((column) => [column, null])) as Record<
    PercentColumn,
    number | null
  >
  for (const term of TERMS) {
    const engines = doc.recommendation_terms?.[term]?.recommendation_engines
    if (engines === undefined || engines === null) continue
    for (const engine of ENGINES) {
      const requests = engines[engine]?.variation?.requests
      percents[percentColumn("cpu", term, engine)] = clampNumeric10(
        truncate3(percentOf(truncate3(requests?.cpu?.amount ?? 0), truncate3(cpuCurrent)))
      )
      percents[percentColumn("memory", term, engine)] = clampNumeric10(
        truncate3(percentOf(mebibytes2(requests?.memory?.amount ?? 0), mebibytes2(memoryCurrent)))
      )
    }
  }
  return { cpu_request_current: cpuCurrent, memory_request_current: memoryCurrent, percents }
}
