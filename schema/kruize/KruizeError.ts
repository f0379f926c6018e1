/**
 * Typed rejections of the Kruize-compatible REST API. Each carries its HTTP status (`httpcode`) and renders the exact
 * upstream message (`message`), so the HTTP layer only writes `errorBody(e)` with status `e.httpcode`
 * (kruize.md §1, "Error envelope"; design.md §7: bad requests get a 4xx with a JSON error body).
 *
 * Failures a caller may act on have their own class with data fields; everything else is a `KruizeRequestError`
 * whose message is the wire contract itself.
 */
import { Schema } from "effect"
import { KruizeMessages } from "./KruizeMessages.js"
import { errorResponse, type KruizeResponse } from "./KruizeResponse.js"
import { formatTimestamp } from "./KruizeTimestamp.js"

/** A request rejected with a fixed upstream message (malformed body, failed validation, bad parameter). */
export class KruizeRequestError extends Schema.TaggedError<KruizeRequestError>()("KruizeRequestError", {
  httpcode: Schema.Literal(400, 404, 409),
  message: Schema.String
}) {}

/** `POST /createExperiment` for a name already registered; ROS treats it as success (§2.2 step 8). */
export class ExperimentAlreadyExists extends Schema.TaggedError<ExperimentAlreadyExists>()("ExperimentAlreadyExists", {
  experimentName: Schema.String
}) {
  get httpcode(): 409 {
    return 409
  }
  override get message(): string {
    return KruizeMessages.experimentExists(this.experimentName)
  }
}

/** The endpoints that look an experiment up by name, each with its own upstream wording. */
export const ExperimentLookup = Schema.Literal(
  "updateRecommendations",
  "listRecommendations",
  "listExperiments",
  "deleteExperiment"
)
export type ExperimentLookup = typeof ExperimentLookup.Type

export class ExperimentNotFound extends Schema.TaggedError<ExperimentNotFound>()("ExperimentNotFound", {
  experimentName: Schema.String,
  endpoint: ExperimentLookup
}) {
  get httpcode(): 400 {
    return 400
  }
  override get message(): string {
    if (this.endpoint === "updateRecommendations") return KruizeMessages.experimentNameNotFound(this.experimentName)
    if (this.endpoint === "deleteExperiment") return KruizeMessages.experimentNotFound
    return KruizeMessages.invalidExperimentName(this.experimentName)
  }
}

/** The endpoints that need an existing performance profile. */
export const ProfileLookup = Schema.Literal("createExperiment", "updatePerformanceProfile", "deletePerformanceProfile")
export type ProfileLookup = typeof ProfileLookup.Type

/** Unknown performance profile: 400 everywhere but `PUT /updatePerformanceProfile`, which answers 404 (§2.1). */
export class PerformanceProfileNotFound extends Schema.TaggedError<PerformanceProfileNotFound>()(
  "PerformanceProfileNotFound",
  { name: Schema.String, endpoint: ProfileLookup }
) {
  get httpcode(): 400 | 404 {
    return this.endpoint === "updatePerformanceProfile" ? 404 : 400
  }
  override get message(): string {
    return this.endpoint === "updatePerformanceProfile"
      ? KruizeMessages.profileNotFoundForUpdate(this.name)
      : KruizeMessages.performanceProfileNotFound(this.name)
  }
}

/** `POST /createPerformanceProfile` for an existing name; ROS's bootstrap treats 409 as "already there" (§2.1). */
export class PerformanceProfileAlreadyExists extends Schema.TaggedError<PerformanceProfileAlreadyExists>()(
  "PerformanceProfileAlreadyExists",
  { name: Schema.String, sameVersion: Schema.Boolean }
) {
  get httpcode(): 409 {
    return 409
  }
  override get message(): string {
    return this.sameVersion
      ? KruizeMessages.profileExists(this.name)
      : KruizeMessages.profileExistsWithOtherVersion(this.name)
  }
}

/** `POST /updateRecommendations` found no result in `[T − 15 days, T]` (§2.7 step 4). */
export class NoMetricsAvailable extends Schema.TaggedError<NoMetricsAvailable>()("NoMetricsAvailable", {
  fromMs: Schema.Number,
  toMs: Schema.Number
}) {
  get httpcode(): 400 {
    return 400
  }
  override get message(): string {
    return KruizeMessages.noMetricsAvailable(formatTimestamp(this.fromMs), formatTimestamp(this.toMs))
  }
}

/** `GET /listRecommendations?monitoring_end_time=` for a timestamp no container has (§2.8). */
export class RecommendationTimestampNotFound extends Schema.TaggedError<RecommendationTimestampNotFound>()(
  "RecommendationTimestampNotFound",
  { timestamp: Schema.String }
) {
  get httpcode(): 400 {
    return 400
  }
  override get message(): string {
    return KruizeMessages.recommendationTimestampNotFound(this.timestamp)
  }
}

export type KruizeFailure =
  | KruizeRequestError
  | ExperimentAlreadyExists
  | ExperimentNotFound
  | PerformanceProfileNotFound
  | PerformanceProfileAlreadyExists
  | NoMetricsAvailable
  | RecommendationTimestampNotFound

/** The JSON body to send with status `failure.httpcode`. */
export const errorBody = (failure: KruizeFailure): KruizeResponse => errorResponse(failure.message, failure.httpcode)

/** Shorthand for the common 400. */
export const badRequest = (message: string): KruizeRequestError => new KruizeRequestError({ httpcode: 400, message })

/** Shorthand for a 409 without its own class. */
export const conflict = (message: string): KruizeRequestError => new KruizeRequestError({ httpcode: 409, message })
