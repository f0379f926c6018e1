/**
 * Performance-profile endpoints (kruize.md §2.1; `PerformanceProfileService`, `PerformanceProfileValidation`), pure over
 * a view of the stored profiles.
 *
 * - create: parse → mandatory fields (top level, then `slo`, then function variables and the objective function
 *   type) → 409 when the name exists → data checks (all problems concatenated, as Kruize does) → 201.
 * - update: parse → mandatory fields → 404 unknown → 409 same version → 409 identical SLO → 409 metric names not a
 *   superset of the stored ones → data checks → 200.
 * - delete: name given → profile exists → no experiment uses it → 200.
 *
 * A body that is not JSON is a 400 here (Kruize answers 500, §2.1 "exceptions"). The objective-function `expression`
 * is only checked for presence and for naming every variable, not parsed (Kruize runs EvalEx on it).
 */
import { Either, Option } from "effect"
import {
  badRequest,
  conflict,
  type KruizeRequestError,
  PerformanceProfileAlreadyExists,
  PerformanceProfileNotFound
} from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import {
  type PerformanceProfile,
  PerformanceProfileRequest,
  type Slo
} from "../../../schema/kruize/PerformanceProfile.js"
import { decodeJsonBody } from "./JsonBody.js"
import { type QueryParams, queryParam } from "./QueryParams.js"

export interface PerformanceProfileView {
  readonly performanceProfile: (name: string) => Option.Option<PerformanceProfile>
}

export interface DeletePerformanceProfileView {
  readonly performanceProfileExists: (name: string) => boolean
  /** How many experiments reference the profile. */
  readonly experimentsUsing: (name: string) => number
}

const isBlank = (s: string | undefined) => s === undefined || s.trim().length === 0

const k8sTypes = new Set(["minikube", "openshift", "icp"])
const directions = new Set(["minimize", "maximize"])
const sloClasses = new Set(["throughput", "response_time", "resource_usage"])
const datasources = new Set(["prometheus"])
const valueTypes = new Set(["double", "int", "string", "categorical"])
const kubernetesObjects = new Set(["deployment", "pod", "container", "namespace"])

/** Mandatory fields in Kruize's three stages; a later stage is only looked at when the earlier ones are complete. */
const toProfile = (request: PerformanceProfileRequest): Either.Either<PerformanceProfile, KruizeRequestError> => {
  const missing = (fields: ReadonlyArray<string>) =>
    Either.left(badRequest(KruizeMessages.profileMandatoryMissing([...new Set(fields)])))
  const { name, profile_version: version, slo } = request
  // profile_version is a Java primitive double: absent reads as 0, which is how "missing" is detected
  const versionMissing = version === undefined || version === 0 || !Number.isFinite(version)
  if (name === undefined || isBlank(name) || version === undefined || versionMissing || slo === undefined) {
    return missing([
      ...(isBlank(name) ? ["name"] : []),
      ...(versionMissing ? ["profile_version"] : []),
      ...(slo === undefined ? ["slo"] : [])
    ])
  }
  const { direction, objective_function: objective, function_variables: variables } = slo
  if (direction === undefined || isBlank(direction) || objective === undefined || variables === undefined) {
    return missing([
      ...(isBlank(direction) ? ["direction"] : []),
      ...(objective === undefined ? ["objective_function"] : []),
      ...(variables === undefined ? ["function_variables"] : [])
    ])
  }
  const stage3: Array<string> = []
  for (const v of variables) {
    if (isBlank(v.name)) stage3.push("name")
    if (isBlank(v.datasource)) stage3.push("datasource")
    if (isBlank(v.value_type)) stage3.push("value_type")
    if (v.query === undefined && v.aggregation_functions === undefined) stage3.push("aggregation_functions")
    if ((v.aggregation_functions ?? []).some((f) => isBlank(f.function))) stage3.push("function")
  }
  if (isBlank(objective.function_type)) stage3.push("function_type")
  if (stage3.length > 0) return missing(stage3)
  return Either.right({
    name,
    profile_version: version,
    ...(request.k8s_type === undefined ? {} : { k8s_type: request.k8s_type }),
    slo: {
      ...(slo.slo_class === undefined ? {} : { slo_class: slo.slo_class }),
      direction,
      objective_function: {
        function_type: objective.function_type ?? "",
        ...(objective.expression === undefined ? {} : { expression: objective.expression })
      },
      function_variables: variables.map((v) => ({
        name: v.name ?? "",
        datasource: v.datasource ?? "",
        value_type: v.value_type ?? "",
        kubernetes_object: v.kubernetes_object ?? "container",
        ...(v.query === undefined ? {} : { query: v.query }),
        ...(v.aggregation_functions === undefined
          ? {}
          : {
              aggregation_functions: v.aggregation_functions.map((f) => ({
                function: f.function ?? "",
                ...(f.query === undefined ? {} : { query: f.query }),
                ...(f.version === undefined ? {} : { version: f.version })
              }))
            })
      })),
      ...(slo.hpo_algo_impl === undefined ? {} : { hpo_algo_impl: slo.hpo_algo_impl })
    }
  })
}

/** `validatePerformanceProfileData` after the mandatory fields: every problem, concatenated ("" when none). */
export const profileDataViolations = (profile: PerformanceProfile): string => {
  const { slo } = profile
  let out = ""
  if (profile.k8s_type !== undefined && !k8sTypes.has(profile.k8s_type)) {
    out += KruizeMessages.unsupportedK8sType(profile.k8s_type)
  }
  if (!directions.has(slo.direction)) out += KruizeMessages.unsupportedDirection
  if (slo.slo_class !== undefined) {
    if (!sloClasses.has(slo.slo_class)) out += KruizeMessages.unsupportedSloClass
    const sloClass = slo.slo_class.toLowerCase()
    const direction = slo.direction.toLowerCase()
    if (
      (sloClass === "response_time" && direction !== "minimize") ||
      (sloClass === "throughput" && direction !== "maximize")
    ) {
      out += KruizeMessages.invalidDirectionForSloClass
    }
  }
  if (slo.function_variables.length === 0) out += KruizeMessages.functionVariablesEmpty
  for (const v of slo.function_variables) {
    if (!datasources.has(v.datasource.toLowerCase())) out += KruizeMessages.unsupportedDatasource(v.name)
    if (!valueTypes.has(v.value_type.toLowerCase())) out += KruizeMessages.unsupportedValueType(v.name)
    if (!kubernetesObjects.has(v.kubernetes_object.toLowerCase())) {
      out += KruizeMessages.unsupportedKubernetesObject(v.kubernetes_object)
    }
  }
  const { function_type: type, expression } = slo.objective_function
  if (type === "expression") {
    if (expression === undefined || expression === "null") {
      out += KruizeMessages.missingExpression
    } else {
      for (const v of slo.function_variables) {
        if (!expression.includes(v.name)) out += KruizeMessages.variableNotInExpression(v.name)
      }
    }
  } else if (type === "source") {
    if (expression !== undefined) out += KruizeMessages.misplacedExpression
  } else {
    out += KruizeMessages.invalidObjectiveFunctionType
  }
  return out
}

/** Parse and mandatory-field stages shared by create and update; no store needed. */
export const parsePerformanceProfile = (body: string): Either.Either<PerformanceProfile, KruizeRequestError> =>
  Either.flatMap(
    Either.mapLeft(decodeJsonBody(PerformanceProfileRequest, body), (problem) =>
      badRequest(
        KruizeMessages.profileValidationFailed(`${KruizeMessages.jsonParsingError.trimEnd()}: ${problem.detail}`)
      )
    ),
    toProfile
  )

const checkData = (profile: PerformanceProfile): Either.Either<PerformanceProfile, KruizeRequestError> => {
  const violations = profileDataViolations(profile)
  return violations.length === 0
    ? Either.right(profile)
    : Either.left(badRequest(KruizeMessages.profileValidationFailed(violations)))
}

/** `POST /createPerformanceProfile` after parsing: 409 for a taken name, then the data checks. */
export const checkNewPerformanceProfile = (
  profile: PerformanceProfile,
  view: PerformanceProfileView
): Either.Either<PerformanceProfile, KruizeRequestError | PerformanceProfileAlreadyExists> => {
  const existing = Option.getOrUndefined(view.performanceProfile(profile.name))
  if (existing !== undefined) {
    return Either.left(
      new PerformanceProfileAlreadyExists({
        name: profile.name,
        sameVersion: existing.profile_version === profile.profile_version
      })
    )
  }
  return checkData(profile)
}

/** `POST /createPerformanceProfile`: the profile to store; answer 201 `KruizeMessages.profileCreated(name)`. */
export const validateCreatePerformanceProfile = (
  body: string,
  view: PerformanceProfileView
): Either.Either<PerformanceProfile, KruizeRequestError | PerformanceProfileAlreadyExists> =>
  Either.flatMap(parsePerformanceProfile(body), (profile) => checkNewPerformanceProfile(profile, view))

// Key order must not make two equal SLOs look different.
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )

const sameSlo = (a: Slo, b: Slo) => canonical(a) === canonical(b)

/** `PUT /updatePerformanceProfile` after parsing: 404 unknown, 409 same version / same SLO / not a superset, data. */
export const checkPerformanceProfileUpdate = (
  profile: PerformanceProfile,
  view: PerformanceProfileView
): Either.Either<PerformanceProfile, KruizeRequestError | PerformanceProfileNotFound> => {
  const existing = Option.getOrUndefined(view.performanceProfile(profile.name))
  if (existing === undefined) {
    return Either.left(new PerformanceProfileNotFound({ name: profile.name, endpoint: "updatePerformanceProfile" }))
  }
  if (existing.profile_version === profile.profile_version) {
    return Either.left(conflict(KruizeMessages.profileVersionAlreadyApplied(profile.name, profile.profile_version)))
  }
  if (sameSlo(existing.slo, profile.slo)) {
    return Either.left(conflict(KruizeMessages.profileSloAlreadyApplied(profile.name)))
  }
  const names = new Set(profile.slo.function_variables.map((v) => v.name))
  if (!existing.slo.function_variables.every((v) => names.has(v.name))) {
    return Either.left(conflict(KruizeMessages.profileNotSuperset))
  }
  return checkData(profile)
}

/**
 * `PUT /updatePerformanceProfile`: the profile replacing the stored one; answer 200
 * `KruizeMessages.profileUpdated(name, profile_version)`.
 */
export const validateUpdatePerformanceProfile = (
  body: string,
  view: PerformanceProfileView
): Either.Either<PerformanceProfile, KruizeRequestError | PerformanceProfileNotFound> =>
  Either.flatMap(parsePerformanceProfile(body), (profile) => checkPerformanceProfileUpdate(profile, view))

/** `DELETE /deletePerformanceProfile?name=`: the name to delete; answer 200 `KruizeMessages.profileDeleted(name)`. */
export const validateDeletePerformanceProfile = (
  params: QueryParams,
  view: DeletePerformanceProfileView
): Either.Either<string, KruizeRequestError | PerformanceProfileNotFound> => {
  const name = queryParam(params, "name")
  if (name === undefined || isBlank(name)) return Either.left(badRequest(KruizeMessages.profileNameRequired))
  if (!view.performanceProfileExists(name)) {
    return Either.left(new PerformanceProfileNotFound({ name, endpoint: "deletePerformanceProfile" }))
  }
  const experiments = view.experimentsUsing(name)
  if (experiments > 0) return Either.left(badRequest(KruizeMessages.profileInUse(name, experiments)))
  return Either.right(name)
}
