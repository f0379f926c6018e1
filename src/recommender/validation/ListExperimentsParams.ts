/**
 * `GET /listExperiments` parameters (kruize.md §2.4): exactly `experiment_name`, `results` (default false),
 * `recommendations` (default false), `latest` (default true) and `rm`. Checked in order: unknown names, then
 * non-boolean values, then the experiment. The optional filter body (`cluster_name`, `kubernetes_objects`) is not
 * handled here.
 */
import { Either } from "effect"
import { badRequest, ExperimentNotFound, type KruizeRequestError } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { type QueryParams, queryParam } from "./QueryParams.js"

export interface ListExperimentsView {
  readonly experimentExists: (name: string) => boolean
}

export interface ListExperimentsRequest {
  readonly experimentName?: string
  readonly results: boolean
  readonly recommendations: boolean
  readonly latest: boolean
}

const supported = new Set(["experiment_name", "results", "recommendations", "latest", "rm"])
const booleans = ["results", "recommendations", "latest", "rm"] as const

const parseBoolean = (value: string | undefined, fallback: boolean): boolean | undefined => {
  if (value === undefined) return fallback
  const lower = value.toLowerCase()
  return lower === "true" ? true : lower === "false" ? false : undefined
}

export const validateListExperiments = (
  params: QueryParams,
  view: ListExperimentsView
): Either.Either<ListExperimentsRequest, KruizeRequestError | ExperimentNotFound> => {
  const unknown = [...new Set(params.map(([key]) => key).filter((key) => !supported.has(key)))]
  if (unknown.length > 0) return Either.left(badRequest(KruizeMessages.invalidQueryParams(unknown)))
  const values = booleans.map((key) => parseBoolean(queryParam(params, key), key === "latest" || key === "rm"))
  const [results, recommendations, latest, rm] = values
  if (results === undefined || recommendations === undefined || latest === undefined || rm === undefined) {
    return Either.left(badRequest(KruizeMessages.invalidQueryParamValues))
  }
  const experimentName = queryParam(params, "experiment_name")
  if (experimentName !== undefined && !view.experimentExists(experimentName)) {
    return Either.left(new ExperimentNotFound({ experimentName, endpoint: "listExperiments" }))
  }
  return Either.right({ results, recommendations, latest, ...(experimentName === undefined ? {} : { experimentName }) })
}
