/**
 * The ROS API's container recommendation payloads, derived from the API's own schemas (schema/api) as types only:
 * the page's bundle gets no Schema code, and a change in the API's contract breaks `npm run typecheck` here.
 */
import type {
  ContainerRecommendation as ApiContainerRecommendation,
  ContainerRecommendationList as ApiContainerRecommendationList
} from "../../../schema/api/ContainerRecommendation.js"
import type { ContainerListParameters, containerSortKeys } from "../../../schema/api/ListParameters.js"
import type {
  Engine as ApiEngine,
  EngineRecommendation as ApiEngineRecommendation,
  Notification as ApiNotification,
  Notifications as ApiNotifications,
  Plots as ApiPlots,
  Quantity as ApiQuantity,
  Term as ApiTerm,
  BoxPlot,
  RecommendationDocument
} from "../../../schema/api/RecommendationDocument.js"
import type { WorkloadType } from "../../../schema/ros/WorkloadType.js"

export type ContainerRecommendation = ApiContainerRecommendation
export type ContainerRecommendationList = ApiContainerRecommendationList
export type RecommendationData = RecommendationDocument
export type EngineRecommendation = ApiEngineRecommendation
export type Quantity = ApiQuantity
export type Notification = ApiNotification
export type Notifications = ApiNotifications
export type Plots = ApiPlots
export type BoxStats = BoxPlot
export type Term = ApiTerm
export type Engine = ApiEngine

/** A query parameter the container list declares. */
export type ContainerListParameter = keyof ContainerListParameters
/** A sort key the container list accepts. */
export type ContainerSortKey = (typeof containerSortKeys)[number]

// The values are repeated here (a value import would pull the API's Schema code into the bundle); `satisfies`
// keeps them in step with the API's types.
export const terms = ["short_term", "medium_term", "long_term"] as const satisfies ReadonlyArray<Term>
export const engines = ["cost", "performance"] as const satisfies ReadonlyArray<Engine>
export const workloadTypes = [
  "daemonset",
  "deployment",
  "deploymentconfig",
  "replicaset",
  "replicationcontroller",
  "statefulset"
] as const satisfies ReadonlyArray<WorkloadType>
