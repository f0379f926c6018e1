/**
 * The numeric columns upstream derives from a recommendation for sorting and filtering (spec ros-ocp-backend §4.2,
 * `ExtractRecommendationColumnValues`, `internal/utils/conversion.go`). They repeat the API's display rules so a
 * database sort matches the percentages users see:
 * - `cpu_request_current` = `current.requests.cpu.amount` clamped into NUMERIC(10,4); `memory_request_current` =
 *   `current.requests.memory.amount` clamped into NUMERIC(20,4); absent amounts are 0 (Go's zero value);
 * - for every term that has `recommendation_engines`, both engines:
 *   cpu %    = clamp10_4(trunc3(pct(trunc3(variation.requests.cpu.amount), trunc3(cpu_request_current))))
 *   memory % = clamp10_4(trunc3(pct(MiB2(variation.requests.memory.amount), MiB2(memory_request_current))))
 *   with pct(n, d) = 0 when n or d is 0, else n / d × 100; trunc3 truncates (never rounds) to 3 decimals, and only
 *   when the shortest decimal form has more than 3; MiB2 converts bytes to MiB truncated to 2 decimals;
 * - a term without `recommendation_engines` gives NULL; a missing engine inside a term gives 0, as in Go.
 */
import { plainDecimal } from "../../schema/kruize/RecommendationJson.js"
import type {
  RecommendationData,
  RecommendationEngineObject,
  RecommendationTerm
} from "../../schema/ros/UpdateRecommendationsAnswer.js"

export interface RecommendationColumns {
  readonly cpu_request_current: number
  readonly memory_request_current: number
  readonly cpu_variation_short_cost_pct: number | null
  readonly cpu_variation_short_performance_pct: number | null
  readonly cpu_variation_medium_cost_pct: number | null
  readonly cpu_variation_medium_performance_pct: number | null
  readonly cpu_variation_long_cost_pct: number | null
  readonly cpu_variation_long_performance_pct: number | null
  readonly memory_variation_short_cost_pct: number | null
  readonly memory_variation_short_performance_pct: number | null
  readonly memory_variation_medium_cost_pct: number | null
  readonly memory_variation_medium_performance_pct: number | null
  readonly memory_variation_long_cost_pct: number | null
  readonly memory_variation_long_performance_pct: number | null
}

/** Largest magnitude of NUMERIC(10,4). */
export const NUMERIC_10_4_MAX = 999_999.9999
/**
 * Largest magnitude stored in NUMERIC(20,4). Upstream's constant 9_999_999_999_999_999.9999 rounds to 1e16 as a
 * float64, which PostgreSQL refuses ("numeric field overflow"); the nearest double below it fits.
 */
export const NUMERIC_20_4_MAX = 9_999_999_999_999_998

const clamp = (max: number) => (x: number) => (Number.isFinite(x) ? Math.min(max, Math.max(-max, x)) : 0)

/** `clampToNumeric10_4Range`: NaN and ±Inf become 0. */
export const clamp10_4 = clamp(NUMERIC_10_4_MAX)

/** `clampToNumeric20_4Range` (see NUMERIC_20_4_MAX). */
export const clamp20_4 = clamp(NUMERIC_20_4_MAX)

const decimals = (x: number) => {
  // strconv.FormatFloat(x, 'f', -1, 64): the shortest round-trip digits, never an exponent
  const text = plainDecimal(x)
  const dot = text.indexOf(".")
  return dot < 0 ? 0 : text.length - dot - 1
}

/** `TruncateToThreeDecimalPlaces`: 1.23456 → 1.234, −1.23456 → −1.234, 1.5 stays 1.5. */
export const trunc3 = (x: number): number => (decimals(x) > 3 ? Math.trunc(x * 1000) / 1000 : x)

/** `TruncateMemoryBytesToMiBTwoDecimals`, same operation order as Go. */
export const mib2 = (bytes: number): number => Math.trunc((bytes / 1024 / 1024) * 100) / 100

/** `CalculatePercentage` */
export const pct = (numerator: number, denominator: number): number =>
  numerator === 0 || denominator === 0 ? 0 : (numerator / denominator) * 100

// PostgreSQL stores −0 as 0; keep the values plain for callers and tests
const positiveZero = (x: number) => (x === 0 ? 0 : x)

/** `VariationPercentOfRequestCPU` */
export const cpuVariationPct = (variationCores: number, currentCores: number): number =>
  positiveZero(clamp10_4(trunc3(pct(trunc3(variationCores), trunc3(currentCores)))))

/** `VariationPercentOfRequestMemoryBytesMiB` */
export const memoryVariationPct = (variationBytes: number, currentBytes: number): number =>
  positiveZero(clamp10_4(trunc3(pct(mib2(variationBytes), mib2(currentBytes)))))

interface TermColumns {
  readonly cpuCost: number | null
  readonly cpuPerformance: number | null
  readonly memoryCost: number | null
  readonly memoryPerformance: number | null
}

const termColumns = (term: RecommendationTerm | undefined, cpuReq: number, memReq: number): TermColumns => {
  const engines = term?.recommendation_engines
  if (engines === undefined) return { cpuCost: null, cpuPerformance: null, memoryCost: null, memoryPerformance: null }
  const cpu = (e: RecommendationEngineObject | undefined) =>
    cpuVariationPct(e?.variation?.requests?.cpu?.amount ?? 0, cpuReq)
  const memory = (e: RecommendationEngineObject | undefined) =>
    memoryVariationPct(e?.variation?.requests?.memory?.amount ?? 0, memReq)
  return {
    cpuCost: cpu(engines.cost),
    cpuPerformance: cpu(engines.performance),
    memoryCost: memory(engines.cost),
    memoryPerformance: memory(engines.performance)
  }
}

export const recommendationColumns = (data: RecommendationData): RecommendationColumns => {
  const cpuReq = positiveZero(clamp10_4(data.current?.requests?.cpu?.amount ?? 0))
  const memReq = positiveZero(clamp20_4(data.current?.requests?.memory?.amount ?? 0))
  const terms = data.recommendation_terms
  const short = termColumns(terms?.short_term, cpuReq, memReq)
  const medium = termColumns(terms?.medium_term, cpuReq, memReq)
  const long = termColumns(terms?.long_term, cpuReq, memReq)
  return {
    cpu_request_current: cpuReq,
    memory_request_current: memReq,
    cpu_variation_short_cost_pct: short.cpuCost,
    cpu_variation_short_performance_pct: short.cpuPerformance,
    cpu_variation_medium_cost_pct: medium.cpuCost,
    cpu_variation_medium_performance_pct: medium.cpuPerformance,
    cpu_variation_long_cost_pct: long.cpuCost,
    cpu_variation_long_performance_pct: long.cpuPerformance,
    memory_variation_short_cost_pct: short.memoryCost,
    memory_variation_short_performance_pct: short.memoryPerformance,
    memory_variation_medium_cost_pct: medium.memoryCost,
    memory_variation_medium_performance_pct: medium.memoryPerformance,
    memory_variation_long_cost_pct: long.memoryCost,
    memory_variation_long_performance_pct: long.memoryPerformance
  }
}
