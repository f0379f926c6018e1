/**
 * GET /listRecommendations from stored rows (kruize.md §2.8): per container, its stored timestamps,
 * narrowed to the newest (`latest`, the default) or to one `monitoring_end_time`. Read straight from
 * PostgreSQL, so listing every experiment never wakes their entities.
 */
import type { ExperimentDefinition } from "../../schema/kruize/Experiment.js"
import type { ListRecommendationsEntry, Recommendations } from "../../schema/kruize/Recommendation.js"
import { RECOMMENDATIONS_VERSION } from "./algorithm/Constants.js"
import { containerExperimentEntry, namespaceExperimentEntry } from "./algorithm/ListRecommendationsEntry.js"
import { notEnoughDataRecommendations } from "./algorithm/Recommend.js"
import type { StoredRecommendations } from "./EngineRepo.js"

export interface StoredRow {
  readonly endMs: number
  readonly stored: StoredRecommendations
}

export interface ListingOptions {
  readonly latest: boolean
  /**
   * Only this timestamp. A container without it shows no data (Kruize's quirk of keeping all of that
   * container's timestamps, §2.8, is not copied).
   */
  readonly monitoringEndMs?: number
}

/** Whether any container of these rows has a recommendation ending at `endMs`. */
export const hasTimestamp = (rows: ReadonlyArray<StoredRow>, endMs: number) =>
  rows.some((r) => r.endMs === endMs && Object.keys(r.stored.containers).length > 0)

const merge = (parts: ReadonlyArray<Recommendations>): Recommendations => {
  if (parts.length === 0) return notEnoughDataRecommendations
  const data: Record<string, Recommendations["data"][string]> = {}
  for (const part of parts) Object.assign(data, part.data)
  return { version: RECOMMENDATIONS_VERSION, notifications: parts[parts.length - 1]!.notifications, data }
}

/** One experiment's listRecommendations element; `rows` oldest first. */
export const listingEntry = (
  definition: ExperimentDefinition,
  rows: ReadonlyArray<StoredRow>,
  options: ListingOptions
): ListRecommendationsEntry => {
  const perContainer = new Map<string, Array<{ endMs: number; recommendations: Recommendations }>>()
  const images = new Map<string, string | undefined>()
  if (definition.target._tag === "WorkloadTarget") {
    for (const c of definition.target.containers) {
      if (c.containerName !== undefined) {
        images.set(c.containerName, c.containerImageName)
        perContainer.set(c.containerName, [])
      }
    }
  }
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.stored.containers)) {
      const list = perContainer.get(name) ?? []
      list.push({ endMs: row.endMs, recommendations: value.recommendations })
      perContainer.set(name, list)
      if (value.image !== undefined) images.set(name, value.image)
    }
  }
  const select = (list: ReadonlyArray<{ endMs: number; recommendations: Recommendations }>) => {
    const sorted = [...list].sort((a, b) => a.endMs - b.endMs)
    if (options.monitoringEndMs !== undefined) return sorted.filter((r) => r.endMs === options.monitoringEndMs)
    return options.latest ? sorted.slice(-1) : sorted
  }
  const recommendationsOf = (name: string) => merge(select(perContainer.get(name) ?? []).map((r) => r.recommendations))

  if (definition.target._tag === "NamespaceTarget") {
    return namespaceExperimentEntry({
      experimentName: definition.experimentName,
      clusterName: definition.clusterName ?? "",
      namespace: definition.target.namespace,
      recommendations: recommendationsOf(definition.target.namespace)
    })
  }
  return containerExperimentEntry({
    experimentName: definition.experimentName,
    clusterName: definition.clusterName ?? "",
    kubernetesObjects: [
      {
        type: definition.target.type,
        name: definition.target.name ?? "",
        namespace: definition.target.namespace ?? "",
        containers: [...perContainer.keys()].map((name) => ({
          containerImageName: images.get(name) ?? "",
          containerName: name,
          recommendations: recommendationsOf(name)
        }))
      }
    ]
  })
}
