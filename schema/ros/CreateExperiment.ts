/**
 * The `/createExperiment` bodies ROS sends (ros-ocp-backend.md §3.3, §3.4): a one-element array per experiment,
 * re-sent on every upload ("already exists" counts as success). Field order follows upstream's Go structs.
 */
import { Schema } from "effect"
import { KRUIZE_PAYLOAD_VERSION } from "./UpdateResultsEntry.js"
import { WorkloadType } from "./WorkloadType.js"

export const PERFORMANCE_PROFILE_NAME = "resource-optimization-openshift"

const envelope = {
  version: Schema.Literal(KRUIZE_PAYLOAD_VERSION),
  experiment_name: Schema.String,
  cluster_name: Schema.String,
  performance_profile: Schema.Literal(PERFORMANCE_PROFILE_NAME),
  mode: Schema.Literal("monitor"),
  target_cluster: Schema.Literal("remote")
}

const settings = {
  trial_settings: Schema.Struct({ measurement_duration: Schema.Literal("15min") }),
  recommendation_settings: Schema.Struct({ threshold: Schema.Literal("0.1") })
}

export const CreateContainerExperiment = Schema.Struct({
  ...envelope,
  kubernetes_objects: Schema.Tuple(
    Schema.Struct({
      type: WorkloadType,
      name: Schema.String,
      namespace: Schema.String,
      containers: Schema.Array(
        Schema.Struct({
          container_image_name: Schema.String,
          container_name: Schema.String,
          recommendations: Schema.Struct({})
        })
      )
    })
  ),
  ...settings
}).annotations({ identifier: "RosCreateContainerExperiment" })
export type CreateContainerExperiment = typeof CreateContainerExperiment.Type

export const CreateNamespaceExperiment = Schema.Struct({
  ...envelope,
  experiment_type: Schema.Literal("namespace"),
  kubernetes_objects: Schema.Tuple(
    Schema.Struct({
      namespaces: Schema.Struct({ namespace: Schema.String, recommendations: Schema.Struct({}) })
    })
  ),
  ...settings
}).annotations({ identifier: "RosCreateNamespaceExperiment" })
export type CreateNamespaceExperiment = typeof CreateNamespaceExperiment.Type

export const CreateExperimentRequest = Schema.Tuple(Schema.Union(CreateContainerExperiment, CreateNamespaceExperiment))
export type CreateExperimentRequest = typeof CreateExperimentRequest.Type
