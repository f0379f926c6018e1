/**
 * `POST /updateResults` validation pipeline (kruize.md §2.5, §2.6), pure: the caller passes a read-only view of the
 * store and gets back the records to save and the wire entries of the rejected ones, in request order.
 *
 * Order (exactly §2.6): 1 body parses as an array of records → 2 at most `bulkResultsLimit` records (both reject the
 * whole request) → per record, stopping at the first failing step: 3 experiment_name present → 4 experiment exists →
 * 5 version equals the experiment's → 6 mandatory fields, one Kubernetes object, start < end → 7 performance-profile
 * constraints → 8 interval length → 9 Kubernetes object matches the experiment → 10 not already stored (nor earlier
 * in the same request). Each rejected record carries its own messages only (Kruize's cross-record leak, §2.6 "Kruize
 * quirk", is not copied).
 */
import { Either, Option } from "effect"
import type { ExperimentDefinition, ExperimentType } from "../../../schema/kruize/Experiment.js"
import { badRequest, type KruizeRequestError } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import {
  errorResponse,
  type FailedResultRecord,
  type KruizeResponse,
  successResponse,
  type UpdateResultsErrorResponse
} from "../../../schema/kruize/KruizeResponse.js"
import { formatTimestamp } from "../../../schema/kruize/KruizeTimestamp.js"
import { type PerformanceProfile, profileMetricNames } from "../../../schema/kruize/PerformanceProfile.js"
import { type ResultKubernetesObject, type ResultRecord, UpdateResultsRequest } from "../../../schema/kruize/Results.js"
import { fastDecodeResults } from "./FastResults.js"
import { isValidIntervalDuration } from "./IntervalDuration.js"
import { decodeJsonBody } from "./JsonBody.js"
import { kubernetesObjectViolation } from "./KubernetesObjectCheck.js"
import { profileConstraintViolations } from "./ProfileConstraints.js"

/** What the pipeline needs to know about the store. */
export interface UpdateResultsView {
  readonly experiment: (name: string) => Option.Option<ExperimentDefinition>
  readonly performanceProfile: (name: string) => Option.Option<PerformanceProfile>
  /** A result with this primary key (`kruize_results`: experiment, interval end, interval start) is stored. */
  readonly resultExists: (experimentName: string, startMs: number, endMs: number) => boolean
}

export interface UpdateResultsOptions {
  /** `bulkresultslimit`, default 100. */
  readonly bulkResultsLimit?: number
}

/** A record that passed every step, ready to be stored (§5 `kruize_results`) and fed to the algorithm. */
export interface AcceptedResult {
  /** Position in the request. */
  readonly index: number
  readonly experimentName: string
  readonly experimentType: ExperimentType
  readonly version: string
  readonly clusterName?: string
  readonly startMs: number
  readonly endMs: number
  /** `floor((end − start) / 60000)`, the stored `duration_minutes`. */
  readonly durationMinutes: number
  readonly kubernetesObject: ResultKubernetesObject
  /** The decoded record, for `extended_data`. */
  readonly record: ResultRecord
}

/** A record that failed, with its wire entry for the 400 `data` array. */
export interface RejectedResult {
  readonly index: number
  readonly entry: FailedResultRecord
}

export interface UpdateResultsOutcome {
  /** Number of records in the request (the "Out of a total of N records" count). */
  readonly total: number
  readonly accepted: ReadonlyArray<AcceptedResult>
  readonly rejected: ReadonlyArray<RejectedResult>
}

interface RecordError {
  readonly message: string
  readonly httpcode: 400 | 409
}

const isBlank = (s: string | undefined) => s === undefined || s.trim().length === 0

/**
 * `ExperimentInitiator.getErrorMap`: messages grouped by HTTP code (409 for "already exists", 400 otherwise), joined
 * with `" , "`, one response per code in ascending order (a Java `HashMap<Integer, …>` of 400 and 409).
 */
const groupErrors = (errors: ReadonlyArray<RecordError>): ReadonlyArray<KruizeResponse> =>
  [400, 409].flatMap((code) => {
    const messages = errors.filter((e) => e.httpcode === code).map((e) => e.message)
    return messages.length === 0 ? [] : [errorResponse(messages.join(" , "), code)]
  })

const rejected = (index: number, record: ResultRecord, errors: ReadonlyArray<RecordError>): RejectedResult => ({
  index,
  entry: {
    ...(record.interval_start_time === undefined
      ? {}
      : { interval_start_time: formatTimestamp(record.interval_start_time) }),
    ...(record.interval_end_time === undefined ? {} : { interval_end_time: formatTimestamp(record.interval_end_time) }),
    errors: groupErrors(errors),
    ...(record.version === undefined ? {} : { version: record.version }),
    ...(record.experiment_name === undefined ? {} : { experiment_name: record.experiment_name })
  }
})

const fail = (message: string): Either.Either<never, RecordError> => Either.left({ message, httpcode: 400 })

/** Steps 3–9 for one record (step 10 needs the whole request, see {@link validateUpdateResults}). */
export const validateResultRecord = (
  record: ResultRecord,
  index: number,
  view: UpdateResultsView,
  metricNamesOf: (profile: PerformanceProfile) => ReadonlySet<string> = profileMetricNames
): Either.Either<AcceptedResult, RejectedResult> =>
  Either.mapLeft(
    Either.gen(function* () {
      // 3, 4
      const name = record.experiment_name
      if (name === undefined) return yield* fail(KruizeMessages.experimentNameNotFound(null))
      const experiment = Option.getOrUndefined(view.experiment(name))
      if (experiment === undefined) return yield* fail(KruizeMessages.experimentNameNotFound(name))
      // 5: a record without a version falls through to step 6 (Kruize's check throws and is ignored)
      if (record.version !== undefined && record.version !== experiment.version) {
        return yield* fail(KruizeMessages.versionMismatch(experiment.version ?? null, record.version))
      }
      // 6: InitialValidation, fail-fast in the order of the spec
      const version = record.version
      if (version === undefined || isBlank(version)) return yield* fail(KruizeMessages.mustNotBeBlank("version"))
      if (isBlank(record.experiment_name)) return yield* fail(KruizeMessages.mustNotBeBlank("experiment_name"))
      const startMs = record.interval_start_time
      if (startMs === undefined) return yield* fail(KruizeMessages.mustNotBeNull("interval_start_time"))
      const endMs = record.interval_end_time
      if (endMs === undefined) return yield* fail(KruizeMessages.mustNotBeNull("interval_end_time"))
      const objects = record.kubernetes_objects
      if (objects === undefined) return yield* fail(KruizeMessages.mustNotBeNull("kubernetes_objects"))
      const [kubernetesObject] = objects
      if (kubernetesObject === undefined || objects.length !== 1)
        return yield* fail(KruizeMessages.bulkKubernetesObjects)
      if (!(startMs < endMs)) return yield* fail(KruizeMessages.startPrecedesEnd)
      // 7
      const profile = Option.getOrUndefined(view.performanceProfile(experiment.performanceProfile))
      if (profile === undefined) {
        return yield* fail(KruizeMessages.performanceProfileNotFound(experiment.performanceProfile))
      }
      const violations = profileConstraintViolations(
        kubernetesObject,
        name,
        experiment.experimentType,
        metricNamesOf(profile)
      )
      if (violations.length > 0) return yield* fail(KruizeMessages.performanceProfileErrors(violations))
      // 8
      if (!isValidIntervalDuration(startMs, endMs, experiment.measurementDurationMinutes)) {
        return yield* fail(KruizeMessages.intervalDuration)
      }
      // 9
      const mismatch = kubernetesObjectViolation(kubernetesObject, experiment)
      if (mismatch !== undefined) return yield* fail(mismatch)
      const accepted: AcceptedResult = {
        index,
        experimentName: name,
        experimentType: experiment.experimentType,
        version,
        ...(experiment.clusterName === undefined ? {} : { clusterName: experiment.clusterName }),
        startMs,
        endMs,
        durationMinutes: Math.floor((endMs - startMs) / 60_000),
        kubernetesObject,
        record
      }
      return accepted
    }),
    (error) => rejected(index, record, [error])
  )

/** Step 10: the record is stored already (or came earlier in the same request). */
export const rejectAsDuplicate = (result: AcceptedResult): RejectedResult =>
  rejected(result.index, result.record, [{ message: KruizeMessages.resultAlreadyExists, httpcode: 409 }])

const resultKey = (experimentName: string, startMs: number, endMs: number) =>
  JSON.stringify([experimentName, endMs, startMs])

/**
 * Steps 1–2: the body as records, or the whole-request 400. Split from {@link validateResultRecords} so a store-backed
 * caller can load the experiments, profiles and stored keys the records name ({@link experimentNamesOf}) before
 * building the view.
 */
export const decodeUpdateResults = (
  body: string,
  options: UpdateResultsOptions = {}
): Either.Either<ReadonlyArray<ResultRecord>, KruizeRequestError> => {
  const limit = options.bulkResultsLimit ?? 100
  const decoded = Either.orElse(fastPath(body), () =>
    Either.mapLeft(decodeJsonBody(UpdateResultsRequest, body), (problem) =>
      badRequest(problem.numberMessage ?? KruizeMessages.jsonParsingError)
    )
  )
  return Either.flatMap(decoded, (records) =>
    records.length > limit ? Either.left(badRequest(KruizeMessages.bulkResultsLimit(limit))) : Either.right(records)
  )
}

/** Well-formed bodies skip the schema (see FastResults.ts); anything else goes to it for the exact error. */
const fastPath = (body: string): Either.Either<ReadonlyArray<ResultRecord>, undefined> => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    return Either.left(undefined)
  }
  const records = fastDecodeResults(json)
  return records === undefined ? Either.left(undefined) : Either.right(records)
}

/** The distinct experiment names of decoded records, in first-seen order. */
export const experimentNamesOf = (records: ReadonlyArray<ResultRecord>): ReadonlyArray<string> => [
  ...new Set(records.flatMap((r) => (r.experiment_name === undefined ? [] : [r.experiment_name])))
]

/** Steps 3–10 over decoded records: what to save and what to report, never a whole-request failure. */
export const validateResultRecords = (
  records: ReadonlyArray<ResultRecord>,
  view: UpdateResultsView
): UpdateResultsOutcome => {
  const accepted: Array<AcceptedResult> = []
  const rejectedResults: Array<RejectedResult> = []
  const seen = new Set<string>()
  // The profile's metric names, once per request rather than once per record.
  const namesByProfile = new Map<PerformanceProfile, ReadonlySet<string>>()
  const metricNamesOf = (profile: PerformanceProfile) => {
    let names = namesByProfile.get(profile)
    if (names === undefined) {
      names = profileMetricNames(profile)
      namesByProfile.set(profile, names)
    }
    return names
  }
  records.forEach((record, index) => {
    Either.match(validateResultRecord(record, index, view, metricNamesOf), {
      onLeft: (r) => rejectedResults.push(r),
      onRight: (result) => {
        const key = resultKey(result.experimentName, result.startMs, result.endMs)
        if (seen.has(key) || view.resultExists(result.experimentName, result.startMs, result.endMs)) {
          rejectedResults.push(rejectAsDuplicate(result))
        } else {
          seen.add(key)
          accepted.push(result)
        }
      }
    })
  })
  return { total: records.length, accepted, rejected: rejectedResults }
}

/**
 * The whole pipeline over a raw request body. Fails only for whole-request rejections (steps 1–2); per-record
 * failures are in the outcome, next to the records to save.
 */
export const validateUpdateResults = (
  body: string,
  view: UpdateResultsView,
  options: UpdateResultsOptions = {}
): Either.Either<UpdateResultsOutcome, KruizeRequestError> =>
  Either.map(decodeUpdateResults(body, options), (records) => validateResultRecords(records, view))

/**
 * The HTTP answer for an outcome: 201 when every record was saved, else 400 with `data` listing the rejected records
 * in request order (the accepted ones are saved all the same).
 */
export const updateResultsResponse = (
  outcome: Pick<UpdateResultsOutcome, "total" | "rejected">
):
  | { readonly httpcode: 201; readonly body: KruizeResponse }
  | { readonly httpcode: 400; readonly body: UpdateResultsErrorResponse } => {
  if (outcome.rejected.length === 0) {
    return { httpcode: 201, body: successResponse(KruizeMessages.resultsSaved) }
  }
  const data = [...outcome.rejected].sort((a, b) => a.index - b.index).map((r) => r.entry)
  return {
    httpcode: 400,
    body: {
      message: KruizeMessages.partialFailure(outcome.total, outcome.rejected.length),
      httpcode: 400,
      documentationLink: "",
      status: "ERROR",
      data
    }
  }
}
