/**
 * Experiments (kruize.md §2.2–§2.4; `CreateExperimentAPIObject`, `KubernetesAPIObject`, `ContainerAPIObject`,
 * `NamespaceAPIObject`, `TrialSettings`, `RecommendationSettings`).
 *
 * - {@link CreateExperimentRequest}: body of `POST /createExperiment`, a one-element array. Fields may be absent so
 *   the validation pipeline can report them in Kruize's order and words.
 * - {@link DeleteExperimentRequest}: body of `DELETE /createExperiment` (only the name matters).
 * - {@link ExperimentDefinition}: a validated experiment, what the store keeps and what `/updateResults` and
 *   `/updateRecommendations` check against.
 * - {@link ListedExperiment}: one element of `GET /listExperiments` (containers keyed by name there).
 */
import { Schema } from "effect"
import { KruizeMessages } from "./KruizeMessages.js"
import { KruizeNumber } from "./KruizeNumber.js"
import { KruizeString } from "./KruizeString.js"
import { formatTimestamp, KruizeTimestamp } from "./KruizeTimestamp.js"

// JSON nulls are already gone (`decodeJsonBody` drops null members, as Gson leaves null fields unset), so an exact
// optional suffices and decodes ~2.5× faster than a null-to-absent transformation per field.
const nullable = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

export const ExperimentContainerSpec = Schema.Struct({
  container_image_name: nullable(KruizeString),
  container_name: nullable(KruizeString)
})

export const ExperimentNamespaceSpec = Schema.Struct({
  namespace: nullable(KruizeString)
})

export const ExperimentKubernetesObjectSpec = Schema.Struct({
  type: nullable(KruizeString),
  name: nullable(KruizeString),
  namespace: nullable(KruizeString),
  containers: nullable(Schema.Array(ExperimentContainerSpec)),
  namespaces: nullable(ExperimentNamespaceSpec)
})
export type ExperimentKubernetesObjectSpec = typeof ExperimentKubernetesObjectSpec.Type

export const CreateExperimentSpec = Schema.Struct({
  version: nullable(KruizeString),
  experiment_name: nullable(KruizeString),
  cluster_name: nullable(KruizeString),
  performance_profile: nullable(KruizeString),
  /** Alternative to a profile; never used in remote monitoring, only its presence matters (§2.2). */
  slo: nullable(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  mode: nullable(KruizeString),
  target_cluster: nullable(KruizeString),
  experiment_type: nullable(KruizeString),
  datasource: nullable(KruizeString),
  metadata_profile: nullable(KruizeString),
  kubernetes_objects: nullable(Schema.Array(ExperimentKubernetesObjectSpec)),
  trial_settings: nullable(Schema.Struct({ measurement_duration: nullable(KruizeString) })),
  recommendation_settings: nullable(
    Schema.Struct({
      threshold: nullable(KruizeNumber),
      term_settings: nullable(Schema.Struct({ terms: nullable(Schema.Array(Schema.NullOr(KruizeString))) })),
      model_settings: nullable(Schema.Struct({ models: nullable(Schema.Array(Schema.NullOr(KruizeString))) }))
    })
  )
}).annotations({ identifier: "CreateExperimentSpec" })
export type CreateExperimentSpec = typeof CreateExperimentSpec.Type

export const CreateExperimentRequest = Schema.Array(CreateExperimentSpec).annotations({
  identifier: "CreateExperimentRequest"
})

export const DeleteExperimentRequest = Schema.Array(
  Schema.Struct({ experiment_name: nullable(KruizeString) })
).annotations({ identifier: "DeleteExperimentRequest" })

export const ExperimentType = Schema.Literal("container", "namespace")
export type ExperimentType = typeof ExperimentType.Type

export const TermName = Schema.Literal("short", "medium", "long")
export type TermName = typeof TermName.Type

export const ModelName = Schema.Literal("cost", "performance")
export type ModelName = typeof ModelName.Type

export const ContainerSpec = Schema.Struct({
  containerName: Schema.optional(Schema.String),
  containerImageName: Schema.optional(Schema.String)
})
export type ContainerSpec = typeof ContainerSpec.Type

/** A container experiment's workload; `name`/`namespace` are stored as sent, unvalidated (§2.2). */
export const WorkloadTarget = Schema.TaggedStruct("WorkloadTarget", {
  type: Schema.String,
  name: Schema.optional(Schema.String),
  namespace: Schema.optional(Schema.String),
  containers: Schema.Array(ContainerSpec)
})
export type WorkloadTarget = typeof WorkloadTarget.Type

export const NamespaceTarget = Schema.TaggedStruct("NamespaceTarget", {
  namespace: Schema.String
})
export type NamespaceTarget = typeof NamespaceTarget.Type

export const ExperimentDefinition = Schema.Struct({
  experimentName: Schema.String,
  /** Free text; every `/updateResults` record must repeat it exactly. */
  version: Schema.optional(Schema.String),
  clusterName: Schema.optional(Schema.String),
  performanceProfile: Schema.String,
  mode: Schema.String,
  targetCluster: Schema.String,
  experimentType: ExperimentType,
  /** As sent, e.g. `"15min"`. */
  measurementDuration: Schema.String,
  measurementDurationMinutes: Schema.Number,
  /** Variation threshold in percent; 0.1 when absent or ≤ 0. */
  threshold: Schema.Number,
  terms: Schema.Array(TermName),
  models: Schema.Array(ModelName),
  target: Schema.Union(WorkloadTarget, NamespaceTarget)
}).annotations({ identifier: "ExperimentDefinition" })
export type ExperimentDefinition = typeof ExperimentDefinition.Type

export const ListedAggregationInfo = Schema.Struct({
  avg: Schema.optional(Schema.Number),
  sum: Schema.optional(Schema.Number),
  min: Schema.optional(Schema.Number),
  max: Schema.optional(Schema.Number),
  count: Schema.optional(Schema.Number),
  median: Schema.optional(Schema.Number),
  mode: Schema.optional(Schema.Number),
  range: Schema.optional(Schema.Number),
  format: Schema.optional(Schema.String)
})

export const ListedIntervalResults = Schema.Struct({
  interval_start_time: KruizeTimestamp,
  interval_end_time: KruizeTimestamp,
  duration_in_minutes: Schema.Number,
  metrics: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ name: Schema.String, aggregation_info: ListedAggregationInfo })
  })
})
export type ListedIntervalResults = typeof ListedIntervalResults.Type

/** `results` keyed by interval end; `recommendations` is the listRecommendations container object (§4). */
export const ListedContainer = Schema.Struct({
  container_image_name: Schema.optional(Schema.String),
  container_name: Schema.String,
  results: Schema.optional(Schema.Record({ key: KruizeTimestamp, value: ListedIntervalResults })),
  recommendations: Schema.optional(Schema.Unknown)
})
export type ListedContainer = typeof ListedContainer.Type

export const ListedKubernetesObject = Schema.Struct({
  type: Schema.optional(Schema.String),
  name: Schema.optional(Schema.String),
  namespace: Schema.optional(Schema.String),
  containers: Schema.Record({ key: Schema.String, value: ListedContainer }),
  namespaces: Schema.optional(
    Schema.Struct({
      namespace: Schema.String,
      results: Schema.optional(Schema.Record({ key: KruizeTimestamp, value: ListedIntervalResults })),
      recommendations: Schema.optional(Schema.Unknown)
    })
  )
})
export type ListedKubernetesObject = typeof ListedKubernetesObject.Type

export const ListedExperiment = Schema.Struct({
  version: Schema.optional(Schema.String),
  experiment_id: Schema.String,
  experiment_name: Schema.String,
  cluster_name: Schema.optional(Schema.String),
  experiment_type: ExperimentType,
  mode: Schema.String,
  target_cluster: Schema.String,
  status: Schema.String,
  performance_profile: Schema.String,
  trial_settings: Schema.Struct({ measurement_duration: Schema.String }),
  recommendation_settings: Schema.Struct({
    threshold: Schema.Number,
    term_settings: Schema.Struct({ terms: Schema.Array(Schema.String) }),
    model_settings: Schema.Struct({ models: Schema.Array(Schema.String) })
  }),
  experiment_usecase_type: Schema.Struct({
    remote_monitoring: Schema.Boolean,
    local_monitoring: Schema.Boolean,
    local_experiment: Schema.Boolean
  }),
  validation_data: Schema.Struct({ success: Schema.Boolean, message: Schema.String, errorCode: Schema.Int }),
  kubernetes_objects: Schema.Array(ListedKubernetesObject),
  creation_date: KruizeTimestamp,
  update_date: KruizeTimestamp
}).annotations({ identifier: "ListedExperiment" })
export type ListedExperiment = typeof ListedExperiment.Type

export const ListExperimentsResponse = Schema.Array(ListedExperiment)

/** What the store knows beyond the definition; results/recommendations only when the query asked for them. */
export interface ListedExperimentExtras {
  readonly experimentId: string
  readonly creationMs: number
  readonly updateMs: number
  /** container name (or the namespace, for namespace experiments) → interval end → results */
  readonly results?: ReadonlyMap<string, Readonly<Record<string, ListedIntervalResults>>>
  /** container name (or the namespace) → the listRecommendations `recommendations` object */
  readonly recommendations?: ReadonlyMap<string, unknown>
}

/** One `GET /listExperiments` element; containers seen only in results are listed too (they are accepted, §2.6). */
export const toListedExperiment = (def: ExperimentDefinition, extras: ListedExperimentExtras): ListedExperiment => {
  const extrasFor = (key: string) => {
    const results = extras.results?.get(key)
    const recommendations = extras.recommendations?.get(key)
    return {
      ...(results === undefined ? {} : { results }),
      ...(recommendations === undefined ? {} : { recommendations })
    }
  }
  const kubernetesObject: ListedKubernetesObject =
    def.target._tag === "WorkloadTarget"
      ? (() => {
          const names = new Map<string, string | undefined>()
          for (const c of def.target.containers) {
            if (c.containerName !== undefined) names.set(c.containerName, c.containerImageName)
          }
          for (const name of extras.results?.keys() ?? []) if (!names.has(name)) names.set(name, undefined)
          return {
            type: def.target.type,
            ...(def.target.name === undefined ? {} : { name: def.target.name }),
            ...(def.target.namespace === undefined ? {} : { namespace: def.target.namespace }),
            containers: Object.fromEntries(
              [...names].map(([name, image]) => [
                name,
                {
                  ...(image === undefined ? {} : { container_image_name: image }),
                  container_name: name,
                  ...extrasFor(name)
                }
              ])
            )
          }
        })()
      : {
          namespace: def.target.namespace,
          containers: {},
          namespaces: { namespace: def.target.namespace, ...extrasFor(def.target.namespace) }
        }
  return {
    ...(def.version === undefined ? {} : { version: def.version }),
    experiment_id: extras.experimentId,
    experiment_name: def.experimentName,
    ...(def.clusterName === undefined ? {} : { cluster_name: def.clusterName }),
    experiment_type: def.experimentType,
    mode: def.mode,
    target_cluster: def.targetCluster,
    status: "IN_PROGRESS",
    performance_profile: def.performanceProfile,
    trial_settings: { measurement_duration: def.measurementDuration },
    recommendation_settings: {
      threshold: def.threshold,
      term_settings: { terms: def.terms },
      model_settings: { models: def.models }
    },
    experiment_usecase_type: { remote_monitoring: true, local_monitoring: false, local_experiment: false },
    validation_data: { success: true, message: KruizeMessages.experimentRegisteredValidation, errorCode: 201 },
    kubernetes_objects: [kubernetesObject],
    creation_date: formatTimestamp(extras.creationMs),
    update_date: formatTimestamp(extras.updateMs)
  }
}
