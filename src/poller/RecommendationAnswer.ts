/**
 * Checks the engine's `updateRecommendations` answer the way upstream's poller does (spec ros-ocp-backend §3.8
 * steps 4–6, `requestAndSaveRecommendation`, `kruize.Is_valid_recommendation`):
 * 1. decode it as Go would (`schema/ros/UpdateRecommendationsAnswer.ts`); a body Go cannot read is malformed;
 * 2. an empty array, or an experiment without `kubernetes_objects`, is "not complete";
 * 3. `experiment_type` of the first experiment must be the expected one;
 * 4. for each container of the first kubernetes object (or its `namespaces` object): valid when its
 *    `recommendations.notifications` has code 111000 and its `recommendations.data` has the key
 *    Max_endtime_report formatted `YYYY-MM-DDTHH:MM:SS.000Z`; otherwise invalid, with the reason.
 * Errors (1–3) mean "do not commit the message, try again later"; invalid recommendations mean "commit, skip it,
 * count it". Upstream visits `data` in Go's random map order; valid entries here come ordered by
 * `monitoring_end_time` (then key), so storing them in order leaves the newest in `recommendation_sets`.
 */
import { Either, ParseResult, Schema } from "effect"
import { formatTimestamp } from "../../schema/kruize/KruizeTimestamp.js"
import { ExperimentType } from "../../schema/ros/RecommendationMessage.js"
import {
  ContainerAnswer,
  NamespaceAnswer,
  type Recommendation,
  type RecommendationData
} from "../../schema/ros/UpdateRecommendationsAnswer.js"
import { fastContainerAnswer, fastNamespaceAnswer } from "./FastRecommendationAnswer.js"
import { GO_ZERO_TIME_MS } from "./RefreshDue.js"

/** The body is not what Go's `json.Unmarshal` accepts for this experiment type. */
export class RecommendationAnswerMalformed extends Schema.TaggedError<RecommendationAnswerMalformed>()(
  "RecommendationAnswerMalformed",
  { experimentType: ExperimentType, message: Schema.String }
) {}

/** An empty answer, or one whose first experiment has no kubernetes objects (upstream: "not complete"). */
export class RecommendationAnswerIncomplete extends Schema.TaggedError<RecommendationAnswerIncomplete>()(
  "RecommendationAnswerIncomplete",
  { experimentType: ExperimentType, reason: Schema.Literal("no_experiment", "no_kubernetes_objects") }
) {}

/** The first experiment's `experiment_type` is not the one asked for. */
export class RecommendationAnswerTypeMismatch extends Schema.TaggedError<RecommendationAnswerTypeMismatch>()(
  "RecommendationAnswerTypeMismatch",
  { expected: ExperimentType, actual: Schema.String }
) {}

export type RecommendationAnswerError =
  | RecommendationAnswerMalformed
  | RecommendationAnswerIncomplete
  | RecommendationAnswerTypeMismatch

/** "Recommendations Are Available" */
export const RECOMMENDATIONS_AVAILABLE_CODE = "111000"

/**
 * Why a container's (or the namespace's) recommendation is not stored: no 111000 notification, or no `data` entry
 * for Max_endtime_report. Upstream counts the second in `rosocp_invalid_recommendation_total`.
 */
export type InvalidReason = "not_available" | "no_data_at_max_endtime"

/** `data` key upstream looks for: `maxEndTime.UTC().Format("2006-01-02T15:04:05.000Z")`. */
export const dataKeyFor = (maxEndtimeReport: Date): string => formatTimestamp(maxEndtimeReport.getTime())

export interface ValidContainer {
  readonly containerName: string
  /** every `data` entry, oldest `monitoring_end_time` first */
  readonly data: ReadonlyArray<RecommendationData>
}

export interface InvalidContainer {
  readonly containerName: string
  readonly reason: InvalidReason
}

export interface ContainerAnswerCheck {
  readonly valid: ReadonlyArray<ValidContainer>
  readonly invalid: ReadonlyArray<InvalidContainer>
}

export type NamespaceAnswerCheck =
  | { readonly _tag: "Valid"; readonly namespaceName: string; readonly data: ReadonlyArray<RecommendationData> }
  | { readonly _tag: "Invalid"; readonly namespaceName: string; readonly reason: InvalidReason }

/** The deepest issue of a parse error, with its JSON path: enough to find the fault in a large body. */
const describe = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const deepest = issues.reduce((a, b) => (b.path.length > a.path.length ? b : a), issues[0]!)
  const path = deepest.path
    .map((p) =>
      typeof p === "number" ? `[${p}]` : /^[A-Za-z_]\w*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(p)}]`
    )
    .join("")
  return `${path === "" ? "body" : `body${path}`}: ${deepest.message}`
}

/** Well-formed answers take the fast path (FastRecommendationAnswer.ts); anything else the schema, for its error. */
const decode = <A, I>(
  schema: Schema.Schema<A, I>,
  fast: (answer: unknown) => A | undefined,
  experimentType: ExperimentType,
  answer: unknown
): Either.Either<A, RecommendationAnswerMalformed> => {
  const quick = fast(answer)
  if (quick !== undefined) return Either.right(quick)
  return Either.mapLeft(
    Schema.decodeUnknownEither(schema)(answer),
    (error) => new RecommendationAnswerMalformed({ experimentType, message: describe(error) })
  )
}

const endTimeMs = (data: RecommendationData) =>
  data.monitoring_end_time === undefined ? GO_ZERO_TIME_MS : Date.parse(data.monitoring_end_time)

/** `data` values, oldest first; ties (never seen from an engine) keep key order. */
const orderedData = (data: NonNullable<Recommendation["data"]>): ReadonlyArray<RecommendationData> =>
  Object.keys(data)
    .sort()
    .map((key) => data[key]!)
    .sort((a, b) => endTimeMs(a) - endTimeMs(b))

const validity = (
  recommendations: Recommendation | undefined,
  key: string
): Either.Either<ReadonlyArray<RecommendationData>, InvalidReason> => {
  if (!Object.hasOwn(recommendations?.notifications ?? {}, RECOMMENDATIONS_AVAILABLE_CODE)) {
    return Either.left("not_available")
  }
  const data = recommendations?.data ?? {}
  return Object.hasOwn(data, key) ? Either.right(orderedData(data)) : Either.left("no_data_at_max_endtime")
}

interface Experiment {
  readonly experiment_type?: string
  readonly kubernetes_objects?: ReadonlyArray<unknown>
}

/** Steps 2 and 3, shared by both experiment types. */
const firstExperiment = <E extends Experiment>(
  experiments: ReadonlyArray<E>,
  expected: ExperimentType
): Either.Either<E, RecommendationAnswerIncomplete | RecommendationAnswerTypeMismatch> => {
  const first = experiments[0]
  if (first === undefined) {
    return Either.left(new RecommendationAnswerIncomplete({ experimentType: expected, reason: "no_experiment" }))
  }
  if ((first.kubernetes_objects ?? []).length === 0) {
    return Either.left(
      new RecommendationAnswerIncomplete({ experimentType: expected, reason: "no_kubernetes_objects" })
    )
  }
  const actual = first.experiment_type ?? ""
  return actual === expected
    ? Either.right(first)
    : Either.left(new RecommendationAnswerTypeMismatch({ expected, actual }))
}

/** A container experiment's answer: its valid containers (with their data) and its invalid ones. */
export const checkContainerAnswer = (
  answer: unknown,
  maxEndtimeReport: Date
): Either.Either<ContainerAnswerCheck, RecommendationAnswerError> =>
  Either.gen(function* () {
    const experiments = yield* decode(ContainerAnswer, fastContainerAnswer, "container", answer)
    const experiment = yield* firstExperiment(experiments, "container")
    const key = dataKeyFor(maxEndtimeReport)
    const valid: Array<ValidContainer> = []
    const invalid: Array<InvalidContainer> = []
    for (const container of experiment.kubernetes_objects?.[0]?.containers ?? []) {
      const containerName = container.container_name ?? ""
      Either.match(validity(container.recommendations, key), {
        onLeft: (reason) => invalid.push({ containerName, reason }),
        onRight: (data) => valid.push({ containerName, data })
      })
    }
    return { valid, invalid }
  })

/** A namespace experiment's answer: the `namespaces` object of its first kubernetes object, valid or not. */
export const checkNamespaceAnswer = (
  answer: unknown,
  maxEndtimeReport: Date
): Either.Either<NamespaceAnswerCheck, RecommendationAnswerError> =>
  Either.gen(function* () {
    const experiments = yield* decode(NamespaceAnswer, fastNamespaceAnswer, "namespace", answer)
    const experiment = yield* firstExperiment(experiments, "namespace")
    const namespaces = experiment.kubernetes_objects?.[0]?.namespaces
    const namespaceName = namespaces?.namespace ?? ""
    return Either.match(validity(namespaces?.recommendations, dataKeyFor(maxEndtimeReport)), {
      onLeft: (reason): NamespaceAnswerCheck => ({ _tag: "Invalid", namespaceName, reason }),
      onRight: (data): NamespaceAnswerCheck => ({ _tag: "Valid", namespaceName, data })
    })
  })
