/**
 * The `recommendations` JSON of a recommendation set: one Kruize `data[<timestamp>]` object as the poller stores it
 * (ros-ocp-backend.md §3.9, upstream's Go re-serialisation: zero amounts, empty strings and a zero duration are
 * omitted, an absent term start is `0001-01-01T00:00:00Z`), and the same shape as the API shows it after unit
 * conversion (§5.6). Every member is optional because Go omits empty ones; unknown members are dropped, as upstream's
 * struct drops them.
 *
 * Fields are declared in alphabetical order: upstream answers with a Go map, whose keys `encoding/json` sorts, so
 * encoding through these schemas yields upstream's key order.
 */
import { Schema } from "effect"

/** `{amount, format}`: cores/bytes as stored, the requested unit when shown, `percent` for a shown variation. */
export const Quantity = Schema.Struct({
  amount: Schema.optional(Schema.Number),
  format: Schema.optional(Schema.String)
}).annotations({ identifier: "Quantity" })
export type Quantity = typeof Quantity.Type

export const CpuMemory = Schema.Struct({
  cpu: Schema.optional(Quantity),
  memory: Schema.optional(Quantity)
}).annotations({ identifier: "CpuMemory" })
export type CpuMemory = typeof CpuMemory.Type

export const LimitsRequests = Schema.Struct({
  limits: Schema.optional(CpuMemory),
  requests: Schema.optional(CpuMemory)
}).annotations({ identifier: "LimitsRequests" })
export type LimitsRequests = typeof LimitsRequests.Type

export const Notification = Schema.Struct({
  code: Schema.optional(Schema.Number),
  message: Schema.optional(Schema.String),
  type: Schema.optional(Schema.String)
}).annotations({ identifier: "Notification" })
export type Notification = typeof Notification.Type

/** Keyed by the notification code as a string. */
export const Notifications = Schema.Record({ key: Schema.String, value: Notification }).annotations({
  identifier: "Notifications"
})
export type Notifications = typeof Notifications.Type

export const BoxPlot = Schema.Struct({
  format: Schema.optional(Schema.String),
  max: Schema.optional(Schema.Number),
  median: Schema.optional(Schema.Number),
  min: Schema.optional(Schema.Number),
  q1: Schema.optional(Schema.Number),
  q3: Schema.optional(Schema.Number)
}).annotations({ identifier: "BoxPlot" })
export type BoxPlot = typeof BoxPlot.Type

export const PlotPoint = Schema.Struct({
  cpuUsage: Schema.optional(BoxPlot),
  memoryUsage: Schema.optional(BoxPlot)
}).annotations({ identifier: "PlotPoint" })
export type PlotPoint = typeof PlotPoint.Type

export const Plots = Schema.Struct({
  datapoints: Schema.optional(Schema.Number),
  plots_data: Schema.optional(Schema.Record({ key: Schema.String, value: PlotPoint }))
}).annotations({ identifier: "Plots" })
export type Plots = typeof Plots.Type

export const EngineRecommendation = Schema.Struct({
  config: Schema.optional(LimitsRequests),
  notifications: Schema.optional(Schema.NullOr(Notifications)),
  variation: Schema.optional(LimitsRequests)
}).annotations({ identifier: "EngineRecommendation" })
export type EngineRecommendation = typeof EngineRecommendation.Type

export const RecommendationEngines = Schema.Struct({
  cost: Schema.optional(EngineRecommendation),
  performance: Schema.optional(EngineRecommendation)
}).annotations({ identifier: "RecommendationEngines" })
export type RecommendationEngines = typeof RecommendationEngines.Type

export const TermRecommendation = Schema.Struct({
  duration_in_hours: Schema.optional(Schema.Number),
  monitoring_start_time: Schema.optional(Schema.String),
  notifications: Schema.optional(Notifications),
  /** Box plots of the term; the detail endpoints keep them, the lists drop them. */
  plots: Schema.optional(Schema.NullOr(Plots)),
  recommendation_engines: Schema.optional(Schema.NullOr(RecommendationEngines))
}).annotations({ identifier: "TermRecommendation" })
export type TermRecommendation = typeof TermRecommendation.Type

export const RecommendationTerms = Schema.Struct({
  long_term: Schema.optional(TermRecommendation),
  medium_term: Schema.optional(TermRecommendation),
  short_term: Schema.optional(TermRecommendation)
}).annotations({ identifier: "RecommendationTerms" })
export type RecommendationTerms = typeof RecommendationTerms.Type

export const RecommendationDocument = Schema.Struct({
  current: Schema.optional(LimitsRequests),
  monitoring_end_time: Schema.optional(Schema.String),
  notifications: Schema.optional(Notifications),
  recommendation_terms: Schema.optional(RecommendationTerms)
}).annotations({
  identifier: "RecommendationDocument",
  description:
    "Current requests/limits and the recommended ones per term (short, medium, long) and engine (cost, performance)"
})
export type RecommendationDocument = typeof RecommendationDocument.Type

export const TERMS = ["short_term", "medium_term", "long_term"] as const
export type Term = (typeof TERMS)[number]

export const ENGINES = ["cost", "performance"] as const
export type Engine = (typeof ENGINES)[number]
