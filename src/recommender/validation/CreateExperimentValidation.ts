/**
 * `POST /createExperiment` validation (kruize.md §2.2 "Processing order and responses"), pure over a view of the
 * store. Steps, in order: 1 parse (+ `experiment_type`) → 2 one element → 3 container/namespace data mixing, auto or
 * recreate mode on remote → 4 remote needs `monitor` → 5 mandatory fields → 6 terms and models → 7 workload type /
 * namespace data → 8 name not taken (409) → 9 profile (or SLO). Step 10 (insert) is the store's.
 *
 * Deliberate deviations (design.md §7: bad requests get a 4xx, never a 500): Kruize's NPE paths (missing `mode`,
 * `target_cluster`, `kubernetes_objects`; §3.14 item 1) are 400s here; a blank `experiment_name`, a missing or
 * malformed `measurement_duration` and more than one Kubernetes object are rejected up front; only remote monitoring
 * exists, so `target_cluster` must be `remote`; SLO-only experiments (no profile) are refused because results are
 * validated against a stored profile.
 */
import { Either, Option } from "effect"
import {
  CreateExperimentRequest,
  type CreateExperimentSpec,
  type ExperimentDefinition,
  type ExperimentType,
  type ModelName,
  type TermName
} from "../../../schema/kruize/Experiment.js"
import {
  badRequest,
  ExperimentAlreadyExists,
  type KruizeRequestError,
  PerformanceProfileNotFound
} from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { parseMeasurementDuration } from "./IntervalDuration.js"
import { decodeJsonBody } from "./JsonBody.js"
import { requestBodyError } from "./RequestBodyError.js"

export interface CreateExperimentView {
  readonly experimentExists: (name: string) => boolean
  readonly performanceProfileExists: (name: string) => boolean
}

export type CreateExperimentFailure = KruizeRequestError | ExperimentAlreadyExists | PerformanceProfileNotFound

/** `AnalyzerConstants.K8sObjectConstants.Types`, matched case-insensitively (`Utils.getApproriateK8sObjectType`). */
const supportedWorkloadTypes = new Set(
  ["deployment", "deploymentConfig", "statefulset", "replicaset", "replicationController", "daemonset", "job"].map(
    (t) => t.toLowerCase()
  )
)
const termNames: ReadonlyArray<TermName> = ["short", "medium", "long"]
const modelNames: ReadonlyArray<ModelName> = ["cost", "performance"]
const defaultThreshold = 0.1

const isBlank = (s: string | null | undefined) => s === undefined || s === null || s.trim().length === 0

/** `ExperimentTypeUtil.ExperimentTypeSerializer`: absent → container, else case-insensitive container|namespace. */
const experimentTypeOf = (spec: CreateExperimentSpec): Either.Either<ExperimentType, KruizeRequestError> => {
  const raw = spec.experiment_type
  if (raw === undefined) return Either.right("container")
  const lower = raw.toLowerCase()
  return lower === "container" || lower === "namespace"
    ? Either.right(lower)
    : Either.left(badRequest(KruizeMessages.invalidExperimentType(raw)))
}

/** Step 6: blank entries first, then unsupported names; absent or empty lists mean "all". */
const namesOf = <N extends string>(
  values: ReadonlyArray<string | null> | undefined,
  supported: ReadonlyArray<N>,
  invalidMessage: string
): Either.Either<ReadonlyArray<N>, KruizeRequestError> => {
  if (values === undefined || values.length === 0) return Either.right(supported)
  const out: Array<N> = []
  for (const value of values) {
    if (value === null || isBlank(value)) return Either.left(badRequest(KruizeMessages.emptyTermOrModel))
    const name = supported.find((s) => s === value)
    if (name === undefined) return Either.left(badRequest(invalidMessage))
    if (!out.includes(name)) out.push(name)
  }
  return Either.right(out)
}

/** Steps 1–7 passed: the experiment as it will be stored, minus the checks that need the store. */
export type ExperimentDraft = Omit<ExperimentDefinition, "performanceProfile"> & {
  readonly performanceProfile?: string
  /** An `slo` object was sent (only its presence matters, step 9). */
  readonly hasSlo: boolean
}

/**
 * Steps 1–7, which need no store: a store-backed caller learns the experiment name here, then routes to whoever owns
 * it for {@link completeCreateExperiment}.
 */
export const parseCreateExperiment = (body: string): Either.Either<ExperimentDraft, KruizeRequestError> =>
  Either.gen(function* () {
    // 1
    const specs = yield* Either.mapLeft(decodeJsonBody(CreateExperimentRequest, body), requestBodyError)
    const types: Array<ExperimentType> = []
    for (const spec of specs) types.push(yield* experimentTypeOf(spec))
    // 2
    const [spec] = specs
    const [experimentType] = types
    if (spec === undefined || experimentType === undefined) {
      return yield* Either.left(requestBodyError({ detail: "$: expected an array with one experiment, got []" }))
    }
    if (specs.length > 1) return yield* Either.left(badRequest(KruizeMessages.bulkEntries))
    // 3
    const objects = spec.kubernetes_objects ?? []
    for (const object of objects) {
      if (experimentType === "container" && object.namespaces !== undefined) {
        return yield* Either.left(badRequest(KruizeMessages.namespaceDataForContainerExperiment))
      }
      if (experimentType === "namespace" && object.containers !== undefined) {
        return yield* Either.left(badRequest(KruizeMessages.containerDataForNamespaceExperiment))
      }
    }
    const mode = spec.mode
    const targetCluster = spec.target_cluster
    const lowerMode = mode?.toLowerCase()
    if ((lowerMode === "auto" || lowerMode === "recreate") && targetCluster === "remote") {
      return yield* Either.left(badRequest(KruizeMessages.autoModeForRemote))
    }
    // 4
    if (targetCluster !== "remote") return yield* Either.left(badRequest(KruizeMessages.invalidTargetCluster))
    if (mode !== "monitor") return yield* Either.left(badRequest(KruizeMessages.invalidModeForRemote(mode ?? null)))
    // 5
    const missing = [
      ...(isBlank(spec.experiment_name) ? ["experimentName"] : []),
      ...(objects.length === 0 ? ["kubernetes_objects"] : []),
      ...(isBlank(spec.trial_settings?.measurement_duration) ? ["measurement_duration"] : [])
    ]
    if (missing.length > 0) return yield* Either.left(badRequest(KruizeMessages.mandatoryParametersMissing(missing)))
    const experimentName = spec.experiment_name ?? ""
    const measurementDuration = spec.trial_settings?.measurement_duration ?? ""
    const [object] = objects
    if (object === undefined || objects.length > 1) {
      return yield* Either.left(badRequest(KruizeMessages.bulkKubernetesObjects))
    }
    const measurementDurationMinutes = Option.getOrUndefined(parseMeasurementDuration(measurementDuration))
    if (measurementDurationMinutes === undefined) {
      return yield* Either.left(
        badRequest(`Invalid measurement_duration: ${measurementDuration}. Expected "<minutes>min", e.g. "15min"`)
      )
    }
    // 6
    const settings = spec.recommendation_settings
    const terms = yield* namesOf(settings?.term_settings?.terms, termNames, KruizeMessages.invalidTerm)
    const models = yield* namesOf(settings?.model_settings?.models, modelNames, KruizeMessages.invalidModel)
    // 7
    let target: ExperimentDefinition["target"]
    if (experimentType === "container") {
      const type = object.type
      if (type === undefined || !supportedWorkloadTypes.has(type.toLowerCase())) {
        return yield* Either.left(badRequest(KruizeMessages.invalidDeploymentType(type ?? null)))
      }
      target = {
        _tag: "WorkloadTarget",
        type,
        ...(object.name === undefined ? {} : { name: object.name }),
        ...(object.namespace === undefined ? {} : { namespace: object.namespace }),
        containers: (object.containers ?? []).map((c) => ({
          ...(c.container_name === undefined ? {} : { containerName: c.container_name }),
          ...(c.container_image_name === undefined ? {} : { containerImageName: c.container_image_name })
        }))
      }
    } else {
      const namespaces = object.namespaces
      if (namespaces === undefined) return yield* Either.left(badRequest(KruizeMessages.missingNamespaceData))
      const namespace = namespaces.namespace
      if (namespace === undefined || isBlank(namespace)) {
        return yield* Either.left(badRequest(KruizeMessages.missingNamespace))
      }
      target = { _tag: "NamespaceTarget", namespace }
    }
    const threshold = settings?.threshold
    const draft: ExperimentDraft = {
      experimentName,
      ...(spec.version === undefined ? {} : { version: spec.version }),
      ...(spec.cluster_name === undefined ? {} : { clusterName: spec.cluster_name }),
      ...(spec.performance_profile === undefined ? {} : { performanceProfile: spec.performance_profile }),
      hasSlo: spec.slo !== undefined,
      mode,
      targetCluster,
      experimentType,
      measurementDuration,
      measurementDurationMinutes,
      threshold: threshold !== undefined && Number.isFinite(threshold) && threshold > 0 ? threshold : defaultThreshold,
      terms,
      models,
      target
    }
    return draft
  })

/** Steps 8–9: the name is free (409 otherwise), then exactly one existing performance profile and no SLO. */
export const completeCreateExperiment = (
  draft: ExperimentDraft,
  view: CreateExperimentView
): Either.Either<ExperimentDefinition, CreateExperimentFailure> => {
  const { hasSlo, performanceProfile, ...rest } = draft
  if (view.experimentExists(draft.experimentName)) {
    return Either.left(new ExperimentAlreadyExists({ experimentName: draft.experimentName }))
  }
  if (performanceProfile !== undefined && hasSlo) return Either.left(badRequest(KruizeMessages.sloAndProfile))
  if (performanceProfile === undefined) {
    return Either.left(
      badRequest(
        hasSlo
          ? "SLO-based experiments are not supported in remote monitoring: give a performance_profile"
          : KruizeMessages.noProfileOrSlo
      )
    )
  }
  if (!view.performanceProfileExists(performanceProfile)) {
    return Either.left(new PerformanceProfileNotFound({ name: performanceProfile, endpoint: "createExperiment" }))
  }
  return Either.right({ ...rest, performanceProfile })
}

/** The whole of §2.2 over a raw body: the experiment to insert (answer 201 `KruizeMessages.experimentRegistered`). */
export const validateCreateExperiment = (
  body: string,
  view: CreateExperimentView
): Either.Either<ExperimentDefinition, CreateExperimentFailure> =>
  Either.flatMap(parseCreateExperiment(body), (draft) => completeCreateExperiment(draft, view))
