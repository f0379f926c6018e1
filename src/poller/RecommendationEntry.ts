/**
 * One row's worth of a recommendation for `RecommendationRepo`: the stored JSON, its two times and the derived
 * numeric columns, all computed from the same decoded engine entry, as upstream computes them.
 */
import type { RecommendationData } from "../../schema/ros/UpdateRecommendationsAnswer.js"
import { type RecommendationColumns, recommendationColumns } from "./RecommendationColumns.js"
import { type StoredRecommendation, storedRecommendation } from "./StoredRecommendation.js"

export interface RecommendationEntry extends StoredRecommendation {
  readonly columns: RecommendationColumns
}

export const recommendationEntry = (data: RecommendationData): RecommendationEntry => ({
  ...storedRecommendation(data),
  columns: recommendationColumns(data)
})
