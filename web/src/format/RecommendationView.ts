/**
 * What one view (a term and an engine) of a recommendation says about requests and limits.
 */
import type {
  ContainerRecommendation,
  EngineRecommendation,
  Quantity,
  RecommendationData
} from "../api/RecommendationTypes"
import type { ViewChoice } from "../route/Route"
import type { Resource } from "./Quantity"

export type Setting = "requests" | "limits"

export const engineOf = (data: RecommendationData, view: ViewChoice): EngineRecommendation | undefined =>
  data.recommendation_terms?.[view.term]?.recommendation_engines?.[view.engine]

export interface Cell {
  readonly current: Quantity | undefined
  readonly recommended: Quantity | undefined
  readonly variation: Quantity | undefined
}

export const cellOf = (data: RecommendationData, view: ViewChoice, setting: Setting, resource: Resource): Cell => {
  const engine = engineOf(data, view)
  return {
    current: data.current?.[setting]?.[resource],
    recommended: engine?.config?.[setting]?.[resource],
    variation: engine?.variation?.[setting]?.[resource]
  }
}

/** The cluster as people name it: its alias, else its id. */
export const clusterName = (item: Pick<ContainerRecommendation, "cluster_alias" | "cluster_uuid">): string =>
  item.cluster_alias !== "" ? item.cluster_alias : item.cluster_uuid
