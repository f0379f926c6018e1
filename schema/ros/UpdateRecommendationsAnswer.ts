/**
 * The engine's `POST /updateRecommendations` answer as upstream ROS reads it (spec ros-ocp-backend §3.8 step 4):
 * Go's `json.Unmarshal` into `kruizePayload.ListRecommendations` (container experiments) or
 * `namespace.NamespaceRecommendationResponse` (namespace experiments). Only the fields those Go structs declare are
 * read, with Go's leniency and strictness:
 * - a missing field or a `null` leaves Go's zero value (absent here); unknown keys (`pods_count`,
 *   `confidence_level`, `metrics_info`, …) are ignored; keys match struct fields case-insensitively;
 * - a value of the wrong JSON type fails the whole answer, as does a timestamp Go's RFC 3339 reader refuses;
 * - a `null` element of an array or map is Go's zero struct.
 * The Kruize-side schema of the same body (what the engine promises) is `schema/kruize/Recommendation.ts`; this one
 * is what the poller accepts, which is deliberately looser.
 */
import { Schema } from "effect"
import { goKeys } from "./GoJsonKeys.js"
import { GoTimeText } from "./GoTimeText.js"

/** A Go struct field: absent and `null` both leave the zero value. */
const field = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { nullable: true, exact: true })

/** A struct inside a Go slice or map: `null` decodes to the zero struct (every field absent). */
const orZero = <A extends object, I, R>(schema: Schema.Schema<A, I, R>, zero: A) =>
  Schema.Union(
    schema,
    Schema.transform(Schema.Null, Schema.typeSchema(schema), {
      strict: true,
      decode: () => zero,
      encode: () => null
    })
  )

/** Go's `[]T`: `null` is an empty slice. */
const goSlice = <A, I, R>(element: Schema.Schema<A, I, R>) => field(Schema.Array(element))

/** Go's `map[string]T`: `null` is an empty map. */
const goMap = <A, I, R>(value: Schema.Schema<A, I, R>) => field(Schema.Record({ key: Schema.String, value }))

/** `recommendedValues` */
export const RecommendedValues = goKeys(
  Schema.Struct({
    amount: field(Schema.Finite),
    format: field(Schema.String)
  })
).annotations({ identifier: "RecommendedValues" })
export type RecommendedValues = typeof RecommendedValues.Type

/** `recommendedConfig` */
export const RecommendedConfig = goKeys(
  Schema.Struct({
    cpu: field(RecommendedValues),
    memory: field(RecommendedValues)
  })
).annotations({ identifier: "RecommendedConfig" })
export type RecommendedConfig = typeof RecommendedConfig.Type

/** `ConfigObject`: `current`, an engine's `config` and `variation`. */
export const ConfigObject = goKeys(
  Schema.Struct({
    limits: field(RecommendedConfig),
    requests: field(RecommendedConfig)
  })
).annotations({ identifier: "ConfigObject" })
export type ConfigObject = typeof ConfigObject.Type

export const Notification = goKeys(
  Schema.Struct({
    type: field(Schema.String),
    message: field(Schema.String),
    code: field(Schema.Int)
  })
).annotations({ identifier: "Notification" })
export type Notification = typeof Notification.Type

const NotificationValue = orZero(Notification, {})
export type NotificationMap = { readonly [code: string]: Notification }

/** `RecommendationEngineObject`; `pods_count` and `confidence_level` are not declared upstream (PR #324). */
export const RecommendationEngineObject = goKeys(
  Schema.Struct({
    config: field(ConfigObject),
    variation: field(ConfigObject),
    notifications: goMap(NotificationValue)
  })
).annotations({ identifier: "RecommendationEngineObject" })
export type RecommendationEngineObject = typeof RecommendationEngineObject.Type

export const BoxPlotDetails = goKeys(
  Schema.Struct({
    min: field(Schema.Finite),
    q1: field(Schema.Finite),
    median: field(Schema.Finite),
    q3: field(Schema.Finite),
    max: field(Schema.Finite),
    format: field(Schema.String)
  })
).annotations({ identifier: "BoxPlotDetails" })
export type BoxPlotDetails = typeof BoxPlotDetails.Type

export const PlotsData = goKeys(
  Schema.Struct({
    cpuUsage: field(BoxPlotDetails),
    memoryUsage: field(BoxPlotDetails)
  })
).annotations({ identifier: "PlotsData" })
export type PlotsData = typeof PlotsData.Type

export const Plot = goKeys(
  Schema.Struct({
    datapoints: field(Schema.Int),
    plots_data: goMap(orZero(PlotsData, {}))
  })
).annotations({ identifier: "Plot" })
export type Plot = typeof Plot.Type

/** The anonymous `*struct{Cost, Performance}` of a term. */
export const RecommendationEngines = goKeys(
  Schema.Struct({
    cost: field(RecommendationEngineObject),
    performance: field(RecommendationEngineObject)
  })
).annotations({ identifier: "RecommendationEngines" })
export type RecommendationEngines = typeof RecommendationEngines.Type

export const RecommendationTerm = goKeys(
  Schema.Struct({
    duration_in_hours: field(Schema.Finite),
    notifications: goMap(NotificationValue),
    monitoring_start_time: field(GoTimeText),
    recommendation_engines: field(RecommendationEngines),
    plots: field(Plot)
  })
).annotations({ identifier: "RecommendationTerm" })
export type RecommendationTerm = typeof RecommendationTerm.Type

/** `Term` */
export const RecommendationTerms = goKeys(
  Schema.Struct({
    short_term: field(RecommendationTerm),
    medium_term: field(RecommendationTerm),
    long_term: field(RecommendationTerm)
  })
).annotations({ identifier: "RecommendationTerms" })
export type RecommendationTerms = typeof RecommendationTerms.Type

/** `RecommendationData`: one `data[<timestamp>]` entry, the unit upstream stores. */
export const RecommendationData = goKeys(
  Schema.Struct({
    notifications: goMap(NotificationValue),
    monitoring_end_time: field(GoTimeText),
    current: field(ConfigObject),
    recommendation_terms: field(RecommendationTerms)
  })
).annotations({ identifier: "RecommendationData" })
export type RecommendationData = typeof RecommendationData.Type

/** `Recommendation`: the `recommendations` of a container or of a namespace. */
export const Recommendation = goKeys(
  Schema.Struct({
    version: field(Schema.String),
    data: goMap(orZero(RecommendationData, {})),
    notifications: goMap(NotificationValue)
  })
).annotations({ identifier: "Recommendation" })
export type Recommendation = typeof Recommendation.Type

export const ContainerRecommendation = goKeys(
  Schema.Struct({
    container_image_name: field(Schema.String),
    container_name: field(Schema.String),
    recommendations: field(Recommendation)
  })
).annotations({ identifier: "ContainerRecommendation" })
export type ContainerRecommendation = typeof ContainerRecommendation.Type

export const ContainerKubernetesObject = goKeys(
  Schema.Struct({
    type: field(Schema.String),
    name: field(Schema.String),
    namespace: field(Schema.String),
    containers: goSlice(orZero(ContainerRecommendation, {}))
  })
).annotations({ identifier: "ContainerKubernetesObject" })
export type ContainerKubernetesObject = typeof ContainerKubernetesObject.Type

/** `ListRecommendations`: one experiment of a container answer. */
export const ContainerExperimentAnswer = goKeys(
  Schema.Struct({
    cluster_name: field(Schema.String),
    experiment_name: field(Schema.String),
    experiment_type: field(Schema.String),
    version: field(Schema.String),
    kubernetes_objects: goSlice(orZero(ContainerKubernetesObject, {}))
  })
).annotations({ identifier: "ContainerExperimentAnswer" })
export type ContainerExperimentAnswer = typeof ContainerExperimentAnswer.Type

/** `NamespaceObject` */
export const NamespaceObject = goKeys(
  Schema.Struct({
    namespace: field(Schema.String),
    recommendations: field(Recommendation)
  })
).annotations({ identifier: "NamespaceObject" })
export type NamespaceObject = typeof NamespaceObject.Type

export const NamespaceKubernetesObject = goKeys(
  Schema.Struct({
    namespace: field(Schema.String),
    // `[]any` upstream: any JSON values, never read
    containers: goSlice(Schema.Unknown),
    namespaces: field(NamespaceObject)
  })
).annotations({ identifier: "NamespaceKubernetesObject" })
export type NamespaceKubernetesObject = typeof NamespaceKubernetesObject.Type

/** `NamespaceExperiment` */
export const NamespaceExperimentAnswer = goKeys(
  Schema.Struct({
    cluster_name: field(Schema.String),
    experiment_type: field(Schema.String),
    kubernetes_objects: goSlice(orZero(NamespaceKubernetesObject, {})),
    version: field(Schema.String),
    experiment_name: field(Schema.String)
  })
).annotations({ identifier: "NamespaceExperimentAnswer" })
export type NamespaceExperimentAnswer = typeof NamespaceExperimentAnswer.Type

/** A whole answer body: Go reads `null` as an empty slice. */
const answer = <A, I, R>(experiment: Schema.Schema<A, I, R>) =>
  Schema.Union(
    Schema.Array(experiment),
    Schema.transform(Schema.Null, Schema.Array(Schema.typeSchema(experiment)), {
      strict: true,
      decode: () => [],
      encode: () => null
    })
  )

export const ContainerAnswer = answer(orZero(ContainerExperimentAnswer, {})).annotations({
  identifier: "ContainerAnswer"
})
export type ContainerAnswer = typeof ContainerAnswer.Type

export const NamespaceAnswer = answer(orZero(NamespaceExperimentAnswer, {})).annotations({
  identifier: "NamespaceAnswer"
})
export type NamespaceAnswer = typeof NamespaceAnswer.Type
