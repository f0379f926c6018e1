/**
 * The `/createExperiment` body for an experiment found in a usage CSV (ros-ocp-backend.md §3.3, §3.4). ROS sends it
 * on every upload, before the results, and takes "already exists" as success.
 */
import {
  type CreateContainerExperiment,
  type CreateExperimentRequest,
  type CreateNamespaceExperiment,
  PERFORMANCE_PROFILE_NAME
} from "../../../schema/ros/CreateExperiment.js"
import type {
  ContainerExperimentUsage,
  ExperimentUsage,
  NamespaceExperimentUsage
} from "../../../schema/ros/ExperimentUsage.js"
import { KRUIZE_PAYLOAD_VERSION } from "../../../schema/ros/UpdateResultsEntry.js"

const settings = {
  trial_settings: { measurement_duration: "15min" },
  recommendation_settings: { threshold: "0.1" }
} as const

const envelope = (usage: ExperimentUsage) =>
  ({
    version: KRUIZE_PAYLOAD_VERSION,
    experiment_name: usage.experimentName,
    cluster_name: usage.clusterName,
    performance_profile: PERFORMANCE_PROFILE_NAME,
    mode: "monitor",
    target_cluster: "remote"
  }) as const

const containerExperiment = (usage: ContainerExperimentUsage): CreateContainerExperiment => ({
  ...envelope(usage),
  kubernetes_objects: [
    {
      type: usage.workloadType,
      name: usage.workloadName,
      namespace: usage.namespace,
      containers: usage.containers.map((c) => ({ ...c, recommendations: {} }))
    }
  ],
  ...settings
})

const namespaceExperiment = (usage: NamespaceExperimentUsage): CreateNamespaceExperiment => ({
  ...envelope(usage),
  experiment_type: "namespace",
  kubernetes_objects: [{ namespaces: { namespace: usage.namespace, recommendations: {} } }],
  ...settings
})

export const createExperimentRequest = (usage: ExperimentUsage): CreateExperimentRequest => [
  usage._tag === "ContainerExperimentUsage" ? containerExperiment(usage) : namespaceExperiment(usage)
]
