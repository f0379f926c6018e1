/**
 * Constants of Kruize's remote-monitoring recommendation engine (kruize.md §3.1), exact values.
 */
import type { NotificationCode } from "./Notifications.js"

export const MS_PER_MINUTE = 60_000
export const MS_PER_DAY = 86_400_000

export const CPU_ONE_CORE = 1.0
export const CPU_ONE_MILLICORE = 0.001
/** +20 % on the peak working set */
export const MEM_USAGE_BUFFER_DECIMAL = 0.2
/** +5 % on the largest in-interval spike */
export const MEM_SPIKE_BUFFER_DECIMAL = 0.05
/** In percent: ROS's "0.1" means 0.1 %. Also used when the configured threshold is ≤ 0. */
export const DEFAULT_THRESHOLD = 0.1
export const DEFAULT_MEASUREMENT_DURATION_MINUTES = 15
/** ±30 s: a result "fills" a slot of the minimum-data walk when its end is this close to the slot. */
export const MEASUREMENT_DURATION_THRESHOLD_MS = 30_000
/** 30 s expressed in minutes, subtracted from the term threshold. */
export const MEASUREMENT_DURATION_BUFFER_IN_MINS = 0.5
/** Results older than T − 15 days are not loaded (the longest term). */
export const MAX_TERM_DAYS = 15

export const RECOMMENDATIONS_VERSION = "1.0"
export const LIST_RECOMMENDATIONS_VERSION = "v2.0"

export type TermName = "short_term" | "medium_term" | "long_term"

export interface Term {
  readonly name: TermName
  readonly days: number
  readonly minDatapoints: number
  readonly maxHours: number
  readonly plotDatapoints: number
  readonly plotDeltaDays: number
  /** timestamp-level notification when this term produced an engine */
  readonly availableCode: NotificationCode
}

/** short / medium / long, in the order they appear in the response (kruize.md §4). */
export const TERMS: ReadonlyArray<Term> = [
  {
    name: "short_term",
    days: 1,
    minDatapoints: 2,
    maxHours: 24,
    plotDatapoints: 4,
    plotDeltaDays: 0.25,
    availableCode: 111101
  },
  {
    name: "medium_term",
    days: 7,
    minDatapoints: 192,
    maxHours: 168,
    plotDatapoints: 7,
    plotDeltaDays: 1,
    availableCode: 111102
  },
  {
    name: "long_term",
    days: 15,
    minDatapoints: 768,
    maxHours: 360,
    plotDatapoints: 15,
    plotDeltaDays: 1,
    availableCode: 111103
  }
]

export type ModelName = "cost" | "performance"

export interface Model {
  readonly name: ModelName
  readonly cpuPercentile: number
  /** 100 for both models, so memory is identical for cost and performance (kruize.md §3.8). */
  readonly memoryPercentile: number
  /** term-level notification when this model produced an engine */
  readonly availableCode: NotificationCode
}

export const MODELS: { readonly [K in ModelName]: Model } = {
  cost: { name: "cost", cpuPercentile: 60, memoryPercentile: 100, availableCode: 112101 },
  performance: { name: "performance", cpuPercentile: 98, memoryPercentile: 100, availableCode: 112102 }
}

export const DEFAULT_MODELS: ReadonlyArray<ModelName> = ["cost", "performance"]
