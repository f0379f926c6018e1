/**
 * Variations as percentages, and the names of the percentage columns the poller stores beside a recommendation
 * (ros-ocp-backend.md §4.2; its rules are src/poller/RecommendationColumns.ts). The API sorts and filters on these
 * columns and reads them back for the request variations (§5.6 step 5).
 */
import { ENGINES, type Engine, TERMS, type Term } from "../../schema/api/RecommendationDocument.js"

/** Upstream's `calculatePercentage`: 0 when either side is 0 (never NaN or Infinity). */
export const percentOf = (numerator: number, denominator: number): number =>
  numerator === 0 || denominator === 0 ? 0 : (numerator / denominator) * 100

export type Resource = "cpu" | "memory"
const termPrefix: Record<Term, string> = { short_term: "short", medium_term: "medium", long_term: "long" }

export type PercentColumn = `${Resource}_variation_${"short" | "medium" | "long"}_${Engine}_pct`

export const percentColumn = (resource: Resource, term: Term, engine: Engine): PercentColumn =>
  `${resource}_variation_${termPrefix[term] as "short" | "medium" | "long"}_${engine}_pct`

export const percentColumns: ReadonlyArray<PercentColumn> = (["cpu", "memory"] as const).flatMap((resource) =>
  TERMS.flatMap((term) => ENGINES.map((engine) => percentColumn(resource, term, engine)))
)

export type PercentColumns = Readonly<Record<PercentColumn, number | null>>
