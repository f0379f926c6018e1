/**
 * Performance profiles (kruize.md §2.1; `PerformanceProfile.java`, `SloInfo.java`, `Metric.java`).
 *
 * - {@link PerformanceProfileRequest}: body of `POST /createPerformanceProfile` and `PUT /updatePerformanceProfile`;
 *   every field may be absent so that the validation pipeline can name what is missing, as Kruize does.
 * - {@link PerformanceProfile}: a validated profile, the form stored in `kruize_performance_profiles`.
 * - {@link ListedPerformanceProfile}: one element of `GET /listPerformanceProfiles`, where `aggregation_functions`
 *   becomes an object keyed by function name.
 *
 * In remote monitoring a profile only matters for its existence and its `function_variables[].name` set (the metric
 * names `/updateResults` accepts); queries are stored and listed but never run.
 */
import { Schema } from "effect"
import { KruizeNumber } from "./KruizeNumber.js"
import { KruizeString, KruizeText } from "./KruizeString.js"

// JSON nulls are already gone (`decodeJsonBody` drops null members, as Gson leaves null fields unset), so an exact
// optional suffices and decodes ~2.5× faster than a null-to-absent transformation per field.
const nullable = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

export const AggregationFunctionSpec = Schema.Struct({
  function: nullable(KruizeString),
  query: nullable(KruizeText),
  version: nullable(KruizeString)
})

export const FunctionVariableSpec = Schema.Struct({
  name: nullable(KruizeString),
  datasource: nullable(KruizeString),
  value_type: nullable(KruizeString),
  kubernetes_object: nullable(KruizeString),
  query: nullable(KruizeText),
  aggregation_functions: nullable(Schema.Array(AggregationFunctionSpec))
})

export const ObjectiveFunctionSpec = Schema.Struct({
  function_type: nullable(KruizeString),
  expression: nullable(KruizeText)
})

export const SloSpec = Schema.Struct({
  slo_class: nullable(KruizeString),
  direction: nullable(KruizeString),
  objective_function: nullable(ObjectiveFunctionSpec),
  function_variables: nullable(Schema.Array(FunctionVariableSpec)),
  hpo_algo_impl: nullable(KruizeString)
})

export const PerformanceProfileRequest = Schema.Struct({
  name: nullable(KruizeString),
  profile_version: nullable(KruizeNumber),
  k8s_type: nullable(KruizeString),
  slo: nullable(SloSpec)
}).annotations({ identifier: "PerformanceProfileRequest" })
export type PerformanceProfileRequest = typeof PerformanceProfileRequest.Type

export const AggregationFunction = Schema.Struct({
  function: Schema.String,
  query: Schema.optional(Schema.String),
  version: Schema.optional(Schema.String)
})
export type AggregationFunction = typeof AggregationFunction.Type

export const FunctionVariable = Schema.Struct({
  name: Schema.String,
  datasource: Schema.String,
  value_type: Schema.String,
  /** `container` when absent from the request. */
  kubernetes_object: Schema.String,
  query: Schema.optional(Schema.String),
  aggregation_functions: Schema.optional(Schema.Array(AggregationFunction))
})
export type FunctionVariable = typeof FunctionVariable.Type

export const ObjectiveFunction = Schema.Struct({
  function_type: Schema.String,
  expression: Schema.optional(Schema.String)
})
export type ObjectiveFunction = typeof ObjectiveFunction.Type

export const Slo = Schema.Struct({
  slo_class: Schema.optional(Schema.String),
  direction: Schema.String,
  objective_function: ObjectiveFunction,
  function_variables: Schema.Array(FunctionVariable),
  hpo_algo_impl: Schema.optional(Schema.String)
})
export type Slo = typeof Slo.Type

export const PerformanceProfile = Schema.Struct({
  name: Schema.String,
  profile_version: Schema.Number,
  k8s_type: Schema.optional(Schema.String),
  slo: Slo
}).annotations({ identifier: "PerformanceProfile" })
export type PerformanceProfile = typeof PerformanceProfile.Type

export const ListedFunctionVariable = Schema.Struct({
  name: Schema.String,
  datasource: Schema.String,
  value_type: Schema.String,
  kubernetes_object: Schema.String,
  query: Schema.optional(Schema.String),
  aggregation_functions: Schema.optional(Schema.Record({ key: Schema.String, value: AggregationFunction }))
})

export const ListedPerformanceProfile = Schema.Struct({
  name: Schema.String,
  profile_version: Schema.Number,
  k8s_type: Schema.optional(Schema.String),
  slo: Schema.Struct({
    slo_class: Schema.optional(Schema.String),
    objective_function: ObjectiveFunction,
    direction: Schema.String,
    function_variables: Schema.Array(ListedFunctionVariable)
  })
}).annotations({ identifier: "ListedPerformanceProfile" })
export type ListedPerformanceProfile = typeof ListedPerformanceProfile.Type

/** `GET /listPerformanceProfiles` answers a JSON array, `[]` when there is none. */
export const ListPerformanceProfilesResponse = Schema.Array(ListedPerformanceProfile)

/** The listing form of a stored profile: aggregation functions keyed by name (later duplicates win, as in a map). */
export const toListedProfile = (profile: PerformanceProfile): ListedPerformanceProfile => ({
  name: profile.name,
  profile_version: profile.profile_version,
  ...(profile.k8s_type === undefined ? {} : { k8s_type: profile.k8s_type }),
  slo: {
    ...(profile.slo.slo_class === undefined ? {} : { slo_class: profile.slo.slo_class }),
    objective_function: profile.slo.objective_function,
    direction: profile.slo.direction,
    function_variables: profile.slo.function_variables.map((v) => ({
      name: v.name,
      datasource: v.datasource,
      value_type: v.value_type,
      kubernetes_object: v.kubernetes_object,
      ...(v.query === undefined ? {} : { query: v.query }),
      ...(v.aggregation_functions === undefined
        ? {}
        : { aggregation_functions: Object.fromEntries(v.aggregation_functions.map((f) => [f.function, f])) })
    }))
  }
})

/** The metric names `/updateResults` may send under this profile (kruize.md §2.1 (b)). */
export const profileMetricNames = (profile: PerformanceProfile): ReadonlySet<string> =>
  new Set(profile.slo.function_variables.map((v) => v.name))
