/**
 * Response body of Kruize's `GET /listRecommendations` and `POST /updateRecommendations` (kruize.md §4, §3.12).
 *
 * Struct fields are declared in Kruize's (Gson) field order, so encoding through these schemas yields the key order of
 * §4 whatever order the object was built in; `RecommendationJson.ts` then prints it with plain decimal numbers.
 * Limits and requests are independent objects (design.md §7), so nothing here models Kruize's aliasing.
 */
import { Schema } from "effect"

/** `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, always UTC (kruize.md §1). */
export const UtcTimestamp = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
  Schema.annotations({ identifier: "UtcTimestamp" })
)

export const NotificationType = Schema.Literal("info", "error", "notice", "warning", "critical")
export type NotificationType = typeof NotificationType.Type

export const RecommendationNotification = Schema.Struct({
  type: NotificationType,
  message: Schema.String,
  code: Schema.Int
}).annotations({ identifier: "RecommendationNotification" })
export type RecommendationNotification = typeof RecommendationNotification.Type

/** Keyed by the code as a string. */
export const NotificationMap = Schema.Record({ key: Schema.String, value: RecommendationNotification })
export type NotificationMap = typeof NotificationMap.Type

export const RecommendationConfigItem = Schema.Struct({
  amount: Schema.Finite,
  format: Schema.String
}).annotations({ identifier: "RecommendationConfigItem" })
export type RecommendationConfigItem = typeof RecommendationConfigItem.Type

export const ResourceItems = Schema.Struct({
  cpu: Schema.optional(RecommendationConfigItem),
  memory: Schema.optional(RecommendationConfigItem)
})
export type ResourceItems = typeof ResourceItems.Type

/** `current`, `config` and `variation`: `{}` when empty, `requests`/`limits` only when non-empty. */
export const ResourceConfig = Schema.Struct({
  requests: Schema.optional(ResourceItems),
  limits: Schema.optional(ResourceItems)
})
export type ResourceConfig = typeof ResourceConfig.Type

export const EngineRecommendation = Schema.Struct({
  pods_count: Schema.Int,
  confidence_level: Schema.Finite,
  config: ResourceConfig,
  variation: ResourceConfig,
  notifications: NotificationMap
}).annotations({ identifier: "EngineRecommendation" })
export type EngineRecommendation = typeof EngineRecommendation.Type

export const BoxPlot = Schema.Struct({
  min: Schema.Finite,
  q1: Schema.Finite,
  median: Schema.Finite,
  q3: Schema.Finite,
  max: Schema.Finite,
  format: Schema.optional(Schema.String)
}).annotations({ identifier: "BoxPlot" })
export type BoxPlot = typeof BoxPlot.Type

/** `{}` for a bucket without results. */
export const PlotPoint = Schema.Struct({
  cpuUsage: Schema.optional(BoxPlot),
  memoryUsage: Schema.optional(BoxPlot)
})
export type PlotPoint = typeof PlotPoint.Type

export const Plots = Schema.Struct({
  datapoints: Schema.Int,
  // keys are UtcTimestamps; a refined Record key would silently drop non-matching entries, so plain strings here
  plots_data: Schema.Record({ key: Schema.String, value: PlotPoint })
})
export type Plots = typeof Plots.Type

export const RecommendationEngines = Schema.Struct({
  cost: Schema.optional(EngineRecommendation),
  performance: Schema.optional(EngineRecommendation)
})
export type RecommendationEngines = typeof RecommendationEngines.Type

/** A term without enough data has only `duration_in_hours` and `notifications` (120001). */
export const TermRecommendation = Schema.Struct({
  duration_in_hours: Schema.Finite,
  notifications: NotificationMap,
  monitoring_start_time: Schema.optional(UtcTimestamp),
  recommendation_engines: Schema.optional(RecommendationEngines),
  plots: Schema.optional(Plots)
}).annotations({ identifier: "TermRecommendation" })
export type TermRecommendation = typeof TermRecommendation.Type

export const RecommendationTerms = Schema.Struct({
  short_term: Schema.optional(TermRecommendation),
  medium_term: Schema.optional(TermRecommendation),
  long_term: Schema.optional(TermRecommendation)
})
export type RecommendationTerms = typeof RecommendationTerms.Type

export const TimestampRecommendation = Schema.Struct({
  notifications: NotificationMap,
  monitoring_end_time: UtcTimestamp,
  current: ResourceConfig,
  recommendation_terms: RecommendationTerms
}).annotations({ identifier: "TimestampRecommendation" })
export type TimestampRecommendation = typeof TimestampRecommendation.Type

/** `recommendations` of one container (or of the namespace): `data` is `{}` when no term had enough data. */
export const Recommendations = Schema.Struct({
  version: Schema.String,
  notifications: NotificationMap,
  /** keyed by `monitoring_end_time` (a UtcTimestamp) */
  data: Schema.Record({ key: Schema.String, value: TimestampRecommendation })
}).annotations({ identifier: "Recommendations" })
export type Recommendations = typeof Recommendations.Type

export const ContainerRecommendations = Schema.Struct({
  container_image_name: Schema.String,
  container_name: Schema.String,
  recommendations: Recommendations
}).annotations({ identifier: "ContainerRecommendations" })
export type ContainerRecommendations = typeof ContainerRecommendations.Type

export const ContainerKubernetesObject = Schema.Struct({
  type: Schema.String,
  name: Schema.String,
  namespace: Schema.String,
  containers: Schema.Array(ContainerRecommendations)
}).annotations({ identifier: "ContainerKubernetesObject" })
export type ContainerKubernetesObject = typeof ContainerKubernetesObject.Type

/** Namespace experiments (kruize.md §3.12): no type/name, `containers: []`, recommendations under `namespaces`. */
export const NamespaceKubernetesObject = Schema.Struct({
  namespace: Schema.String,
  containers: Schema.Array(ContainerRecommendations),
  namespaces: Schema.Struct({
    namespace: Schema.String,
    recommendations: Recommendations
  })
}).annotations({ identifier: "NamespaceKubernetesObject" })
export type NamespaceKubernetesObject = typeof NamespaceKubernetesObject.Type

export const ListRecommendationsEntry = Schema.Struct({
  cluster_name: Schema.String,
  experiment_type: Schema.Literal("container", "namespace"),
  kubernetes_objects: Schema.Array(Schema.Union(ContainerKubernetesObject, NamespaceKubernetesObject)),
  version: Schema.String,
  experiment_name: Schema.String
}).annotations({ identifier: "ListRecommendationsEntry" })
export type ListRecommendationsEntry = typeof ListRecommendationsEntry.Type

export const ListRecommendationsResponse = Schema.Array(ListRecommendationsEntry)
export type ListRecommendationsResponse = typeof ListRecommendationsResponse.Type
