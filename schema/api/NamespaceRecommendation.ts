/**
 * One project's (namespace's) recommendation set as the namespace endpoints answer it (ros-ocp-backend.md §5.6),
 * fields in upstream's (alphabetical) order.
 */
import { Schema } from "effect"
import { collectionOf } from "./Collection.js"
import { RecommendationDocument } from "./RecommendationDocument.js"

export const NamespaceRecommendation = Schema.Struct({
  cluster_alias: Schema.String,
  cluster_uuid: Schema.String,
  id: Schema.String,
  last_reported: Schema.String,
  project: Schema.String,
  recommendations: RecommendationDocument,
  source_id: Schema.String
}).annotations({ identifier: "NamespaceRecommendation" })
export type NamespaceRecommendation = typeof NamespaceRecommendation.Type

export const NamespaceRecommendationList = collectionOf(NamespaceRecommendation, "NamespaceRecommendationList")
export type NamespaceRecommendationList = typeof NamespaceRecommendationList.Type
