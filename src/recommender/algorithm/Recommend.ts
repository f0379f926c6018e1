/**
 * The recommendation of one container (or one namespace) for one `updateRecommendations` call (kruize.md §3.2):
 * pure, synchronous, no I/O. The result is the `recommendations` object of §4 for that container.
 */
import type {
  EngineRecommendation,
  Recommendations,
  RecommendationTerms,
  TermRecommendation,
  TimestampRecommendation
} from "../../../schema/kruize/Recommendation.js"
import {
  DEFAULT_MEASUREMENT_DURATION_MINUTES,
  DEFAULT_MODELS,
  DEFAULT_THRESHOLD,
  MAX_TERM_DAYS,
  MODELS,
  type ModelName,
  MS_PER_DAY,
  RECOMMENDATIONS_VERSION,
  TERMS,
  type Term,
  type TermName
} from "./Constants.js"
import { cpuRecommendation } from "./CpuRecommendation.js"
import { currentConfig } from "./CurrentConfig.js"
import { durationInHours, totalDurationMinutes } from "./DurationInHours.js"
import { engineRecommendation } from "./EngineRecommendation.js"
import { type ExperimentMetrics, experimentMetrics } from "./ExperimentMetrics.js"
import type { ExperimentType, IntervalResult } from "./IntervalResult.js"
import { firstAtOrAfter, formatOf, type IntervalSeries, intervalSeries, podsCount } from "./IntervalSeries.js"
import { memoryRecommendation } from "./MemoryRecommendation.js"
import { hasMinimumData } from "./MinimumData.js"
import { type NotificationCode, notificationMap } from "./Notifications.js"
import { rangePercentile, sortedCopy } from "./Percentile.js"
import { termPlots } from "./TermPlots.js"

export interface RecommendInput {
  readonly experimentType: ExperimentType
  /**
   * T, the `interval_end_time` of updateRecommendations. Intervals ending in [T − 15 days, T] are used, so the caller
   * may pass its whole in-memory window; the data key is the latest of them (E), not T.
   */
  readonly intervalEndTimeMs: number
  /** every interval of this container (or namespace); any order */
  readonly intervals: ReadonlyArray<IntervalResult>
  /** trial_settings.measurement_duration in minutes; default 15 */
  readonly measurementDurationMinutes?: number
  /** recommendation_settings.threshold in percent; absent or ≤ 0 means 0.1 */
  readonly threshold?: number
  /** recommendation_settings.model_settings.models; default cost and performance */
  readonly models?: ReadonlyArray<ModelName>
  /** Kruize's `plots` switch; default true */
  readonly plots?: boolean
}

export interface RecommendationResult {
  readonly recommendations: Recommendations
  /** E: latest interval end in the window, the key of `data`; undefined when the window is empty */
  readonly monitoringEndTimeMs: number | undefined
  /** true when some term produced an engine (111000); Kruize stores the timestamp only then */
  readonly available: boolean
}

/** What a container without a recommendation shows (kruize.md §2.8, §4 `istio-proxy`). */
export const notEnoughDataRecommendations: Recommendations = {
  version: RECOMMENDATIONS_VERSION,
  notifications: notificationMap([120001]),
  data: {}
}

const iso = (ms: number): string => new Date(ms).toISOString()

interface Context {
  readonly series: IntervalSeries
  readonly metrics: ExperimentMetrics
  readonly monitoringEndMs: number
  readonly measurementDurationMinutes: number
  readonly current: TimestampRecommendation["current"]
  readonly threshold: number
  readonly models: ReadonlyArray<ModelName>
  readonly plots: boolean
}

/** Engines of a term that has enough data, on the intervals ending in [S, E]. */
const termEngines = (ctx: Context, from: number): { readonly [K in ModelName]?: EngineRecommendation } => {
  const { series, metrics } = ctx
  const to = series.endMs.length
  const sortedCpu = sortedCopy(series.cpu.subarray(from, to))
  const cpuFormat = formatOf(series, metrics.cpuUsage, from, to)
  const memoryFormat = formatOf(series, metrics.memoryUsage, from, to)
  const pods = podsCount(series, from, to)
  const engines: { [K in ModelName]?: EngineRecommendation } = {}
  for (const name of ctx.models) {
    const model = MODELS[name]
    const notices: Array<NotificationCode> = []
    const cpu = cpuRecommendation(sortedCpu, model.cpuPercentile)
    if (cpu._tag === "Suppressed") notices.push(cpu.notice)
    const memory = memoryRecommendation(
      rangePercentile(series.memory, from, to, model.memoryPercentile),
      rangePercentile(series.spike, from, to, model.memoryPercentile)
    )
    if (memory._tag === "Suppressed") notices.push(memory.notice)
    engines[name] = engineRecommendation({
      cpu: cpu._tag === "Recommended" ? cpu.amount : undefined,
      cpuFormat,
      memory: memory._tag === "Recommended" ? memory.amount : undefined,
      memoryFormat,
      notices,
      current: ctx.current,
      podsCount: pods,
      threshold: ctx.threshold
    })
  }
  return engines
}

interface TermOutcome {
  readonly term: TermRecommendation
  /** the term produced at least one engine */
  readonly available: boolean
}

const termRecommendation = (ctx: Context, term: Term, durationHours: number): TermOutcome => {
  const { series, monitoringEndMs } = ctx
  if (!hasMinimumData(series.endMs, monitoringEndMs, term, ctx.measurementDurationMinutes)) {
    return { term: { duration_in_hours: durationHours, notifications: notificationMap([120001]) }, available: false }
  }
  const startMs = monitoringEndMs - term.days * MS_PER_DAY
  const recommendation: TermRecommendation = {
    duration_in_hours: durationHours,
    notifications: notificationMap(ctx.models.map((name) => MODELS[name].availableCode)),
    monitoring_start_time: iso(startMs),
    recommendation_engines: termEngines(ctx, firstAtOrAfter(series.endMs, startMs))
  }
  return {
    term: ctx.plots ? { ...recommendation, plots: termPlots(series, ctx.metrics, term, startMs) } : recommendation,
    available: ctx.models.length > 0
  }
}

export const recommend = (input: RecommendInput): RecommendationResult => {
  const T = input.intervalEndTimeMs
  const windowStart = T - MAX_TERM_DAYS * MS_PER_DAY
  const loaded = input.intervals.filter((interval) => interval.endMs >= windowStart && interval.endMs <= T)
  return recommendOnSeries(input, intervalSeries(input.experimentType, loaded))
}

/**
 * {@link recommend} on the series of the intervals ending in [T − 15 days, T], for a caller that keeps the series
 * (see GrowingSeries).
 */
export const recommendOnSeries = (
  input: Omit<RecommendInput, "intervals">,
  series: IntervalSeries
): RecommendationResult => {
  if (series.intervals.length === 0) {
    return { recommendations: notEnoughDataRecommendations, monitoringEndTimeMs: undefined, available: false }
  }

  const type = input.experimentType
  const metrics = experimentMetrics(type)
  const last = series.intervals.length - 1
  const monitoringEndMs = series.endMs[last]!
  const current = currentConfig(series.intervals[last]!, metrics)
  const models = DEFAULT_MODELS.filter((name) => (input.models ?? DEFAULT_MODELS).includes(name))
  const ctx: Context = {
    series,
    metrics,
    monitoringEndMs,
    measurementDurationMinutes: input.measurementDurationMinutes ?? DEFAULT_MEASUREMENT_DURATION_MINUTES,
    current: current.current,
    threshold: input.threshold !== undefined && input.threshold > 0 ? input.threshold : DEFAULT_THRESHOLD,
    models,
    plots: input.plots ?? true
  }

  const totalMinutes = totalDurationMinutes(series.intervals)
  // timestamp level: current-config problems, then one "… Term Recommendations Available" per available term
  const timestampNotices: Array<NotificationCode> = [...current.notifications]
  const terms: { [K in TermName]?: TermRecommendation } = {}
  let available = false
  for (const term of TERMS) {
    const outcome = termRecommendation(ctx, term, durationInHours(type, totalMinutes, term.maxHours))
    terms[term.name] = outcome.term
    if (outcome.available) {
      available = true
      timestampNotices.push(term.availableCode)
    }
  }

  const key = iso(monitoringEndMs)
  const recommendationTerms: RecommendationTerms = terms
  return {
    recommendations: {
      version: RECOMMENDATIONS_VERSION,
      notifications: notificationMap([available ? 111000 : 120001]),
      data: available
        ? {
            [key]: {
              notifications: notificationMap(timestampNotices),
              monitoring_end_time: key,
              current: current.current,
              recommendation_terms: recommendationTerms
            }
          }
        : {}
    },
    monitoringEndTimeMs: monitoringEndMs,
    available
  }
}
