/**
 * `POST /updateRecommendations?experiment_name=<n>&interval_end_time=<ts>` parameters (kruize.md §2.7 steps 1–2),
 * and the results window of step 4. `interval_start_time` is read by Kruize but ignored in remote monitoring, so it
 * is not looked at here.
 */
import { Either, Option } from "effect"
import {
  badRequest,
  ExperimentNotFound,
  type KruizeRequestError,
  NoMetricsAvailable
} from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { parseStrictTimestamp } from "../../../schema/kruize/KruizeTimestamp.js"
import { type QueryParams, queryParam } from "./QueryParams.js"

export interface UpdateRecommendationsView {
  readonly experimentExists: (name: string) => boolean
}

export interface UpdateRecommendationsRequest {
  readonly experimentName: string
  /** T, epoch ms */
  readonly intervalEndMs: number
  /** T as sent (strict format) */
  readonly intervalEndTime: string
}

/** `maxTermDays`: results are loaded for `[T − 15 days, T]`, both ends inclusive. */
export const maxTermDays = 15

/** Step 1 (missing parameters, then the strict timestamp format), then step 2 (the experiment exists). */
export const validateUpdateRecommendations = (
  params: QueryParams,
  view: UpdateRecommendationsView
): Either.Either<UpdateRecommendationsRequest, KruizeRequestError | ExperimentNotFound> => {
  // absent and empty are both "missing"
  const experimentName = queryParam(params, "experiment_name") ?? ""
  const intervalEndTime = queryParam(params, "interval_end_time") ?? ""
  if (experimentName.length === 0 || intervalEndTime.length === 0) {
    // Kruize appends ", " after the name's message even when it is the only one.
    const message =
      (experimentName.length === 0 ? `${KruizeMessages.experimentNameMandatory}, ` : "") +
      (intervalEndTime.length === 0 ? KruizeMessages.intervalEndTimeMandatory : "")
    return Either.left(badRequest(message))
  }
  const intervalEndMs = Option.getOrUndefined(parseStrictTimestamp(intervalEndTime))
  if (intervalEndMs === undefined) return Either.left(badRequest(KruizeMessages.invalidTimestamp(intervalEndTime)))
  if (!view.experimentExists(experimentName)) {
    return Either.left(new ExperimentNotFound({ experimentName, endpoint: "updateRecommendations" }))
  }
  return Either.right({ experimentName, intervalEndMs, intervalEndTime })
}

/** The results `updateRecommendations` loads: interval ends in `[T − 15 days, T]`. */
export const resultsWindow = (intervalEndMs: number): { readonly fromMs: number; readonly toMs: number } => ({
  fromMs: intervalEndMs - maxTermDays * 24 * 60 * 60 * 1000,
  toMs: intervalEndMs
})

/** Step 4's 400 when that window holds no result. */
export const noMetricsAvailable = (intervalEndMs: number): NoMetricsAvailable =>
  new NoMetricsAvailable(resultsWindow(intervalEndMs))
