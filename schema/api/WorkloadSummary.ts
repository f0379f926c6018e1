/**
 * A workload as `GET /api/ros/v1/workloads` lists it: where it runs, its containers, when its cluster last uploaded
 * data for it, and a summary of its latest recommendations (one set per container), each with the id the container
 * endpoints answer to. Not an upstream shape: upstream's data-flow document names this route without defining it.
 */
import { Schema } from "effect"
import { collectionOf } from "./Collection.js"

export const ContainerRecommendationSummary = Schema.Struct({
  /** The recommendation set's UUID (see `/api/cost-management/v1/recommendations/openshift/container/{id}`). */
  id: Schema.String,
  container: Schema.String,
  monitoring_end_time: Schema.String,
  updated_at: Schema.String
}).annotations({ identifier: "ContainerRecommendationSummary" })
export type ContainerRecommendationSummary = typeof ContainerRecommendationSummary.Type

export const WorkloadSummary = Schema.Struct({
  id: Schema.String,
  cluster_alias: Schema.String,
  cluster_uuid: Schema.String,
  source_id: Schema.String,
  namespace: Schema.String,
  workload_type: Schema.String,
  workload: Schema.String,
  containers: Schema.Array(Schema.String),
  /** The latest interval end of the workload's uploaded usage (RFC 3339, UTC); empty when unknown. */
  last_upload: Schema.String,
  /** When the cluster last uploaded anything. */
  last_reported: Schema.String,
  recommendations: Schema.Struct({
    count: Schema.Int,
    /** The newest `monitoring_end_time` among them, absent when the workload has none yet. */
    latest_monitoring_end_time: Schema.optional(Schema.String),
    containers: Schema.Array(ContainerRecommendationSummary)
  })
}).annotations({ identifier: "WorkloadSummary" })
export type WorkloadSummary = typeof WorkloadSummary.Type

export const WorkloadSummaryList = collectionOf(WorkloadSummary, "WorkloadSummaryList")
export type WorkloadSummaryList = typeof WorkloadSummaryList.Type
