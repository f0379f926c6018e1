/**
 * `GET /listRecommendations?rm=true[&experiment_name=][&latest=][&monitoring_end_time=]` parameters (kruize.md §2.8,
 * `ListRecommendations.doGet`). Unknown parameters are ignored; `rm` selects nothing here (only remote-monitoring
 * tables exist).
 *
 * Order: with a name, the (trimmed) name must exist before the timestamp is looked at; the timestamp (trimmed, ignored
 * when empty) must have the strict format, then exist for that experiment, or for any experiment when no name is given.
 */
import { Either, Option } from "effect"
import {
  badRequest,
  ExperimentNotFound,
  type KruizeRequestError,
  RecommendationTimestampNotFound
} from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { parseStrictTimestamp } from "../../../schema/kruize/KruizeTimestamp.js"
import { type QueryParams, queryParam } from "./QueryParams.js"

export interface ListRecommendationsView {
  readonly experimentExists: (name: string) => boolean
  /** Some container of `experimentName` (of any experiment when undefined) has a recommendation ending at `endMs`. */
  readonly recommendationExists: (experimentName: string | undefined, endMs: number) => boolean
}

export interface ListRecommendationsRequest {
  readonly experimentName?: string
  /** Default true: only each container's newest timestamp. Only `false` (any case) turns it off. */
  readonly latest: boolean
  readonly monitoringEndMs?: number
  readonly monitoringEndTime?: string
}

export const validateListRecommendations = (
  params: QueryParams,
  view: ListRecommendationsView
): Either.Either<
  ListRecommendationsRequest,
  KruizeRequestError | ExperimentNotFound | RecommendationTimestampNotFound
> => {
  const latest = queryParam(params, "latest")?.toLowerCase() !== "false"
  const experimentName = queryParam(params, "experiment_name")?.trim()
  if (experimentName !== undefined && !view.experimentExists(experimentName)) {
    return Either.left(new ExperimentNotFound({ experimentName, endpoint: "listRecommendations" }))
  }
  const base = { latest, ...(experimentName === undefined ? {} : { experimentName }) }
  const monitoringEndTime = queryParam(params, "monitoring_end_time")?.trim()
  if (monitoringEndTime === undefined || monitoringEndTime.length === 0) return Either.right(base)
  const monitoringEndMs = Option.getOrUndefined(parseStrictTimestamp(monitoringEndTime))
  if (monitoringEndMs === undefined) return Either.left(badRequest(KruizeMessages.invalidTimestamp(monitoringEndTime)))
  if (!view.recommendationExists(experimentName, monitoringEndMs)) {
    return Either.left(new RecommendationTimestampNotFound({ timestamp: monitoringEndTime }))
  }
  return Either.right({ ...base, monitoringEndMs, monitoringEndTime })
}
