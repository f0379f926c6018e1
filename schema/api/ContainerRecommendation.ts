/**
 * One container's recommendation set as the container endpoints answer it (`RecommendationSetResult`,
 * ros-ocp-backend.md §5.6), fields in upstream's (alphabetical) order.
 */
import { Schema } from "effect"
import { collectionOf } from "./Collection.js"
import { RecommendationDocument } from "./RecommendationDocument.js"

export const ContainerRecommendation = Schema.Struct({
  cluster_alias: Schema.String,
  cluster_uuid: Schema.String,
  container: Schema.String,
  /** The recommendation set's UUID. */
  id: Schema.String,
  /** When the cluster last uploaded, RFC 3339 in UTC with up to microseconds. */
  last_reported: Schema.String,
  /** The namespace. */
  project: Schema.String,
  recommendations: RecommendationDocument,
  source_id: Schema.String,
  workload: Schema.String,
  workload_type: Schema.String
}).annotations({ identifier: "ContainerRecommendation" })
export type ContainerRecommendation = typeof ContainerRecommendation.Type

export const ContainerRecommendationList = collectionOf(ContainerRecommendation, "ContainerRecommendationList")
export type ContainerRecommendationList = typeof ContainerRecommendationList.Type
