/**
 * The per-experiment object of the listRecommendations / updateRecommendations array (kruize.md §4 container,
 * §3.12 namespace), assembled from the `recommendations` that `recommend` produced for each container.
 */
import type {
  ContainerRecommendations,
  ListRecommendationsEntry,
  Recommendations
} from "../../../schema/kruize/Recommendation.js"
import { LIST_RECOMMENDATIONS_VERSION } from "./Constants.js"

export interface ContainerEntryInput {
  readonly containerImageName: string
  readonly containerName: string
  readonly recommendations: Recommendations
}

export interface ContainerExperimentInput {
  readonly experimentName: string
  readonly clusterName: string
  readonly kubernetesObjects: ReadonlyArray<{
    readonly type: string
    readonly name: string
    readonly namespace: string
    readonly containers: ReadonlyArray<ContainerEntryInput>
  }>
}

export interface NamespaceExperimentInput {
  readonly experimentName: string
  readonly clusterName: string
  readonly namespace: string
  readonly recommendations: Recommendations
}

const containerEntry = (c: ContainerEntryInput): ContainerRecommendations => ({
  container_image_name: c.containerImageName,
  container_name: c.containerName,
  recommendations: c.recommendations
})

export const containerExperimentEntry = (input: ContainerExperimentInput): ListRecommendationsEntry => ({
  cluster_name: input.clusterName,
  experiment_type: "container",
  kubernetes_objects: input.kubernetesObjects.map((k8s) => ({
    type: k8s.type,
    name: k8s.name,
    namespace: k8s.namespace,
    containers: k8s.containers.map((c) => containerEntry(c))
  })),
  version: LIST_RECOMMENDATIONS_VERSION,
  experiment_name: input.experimentName
})

export const namespaceExperimentEntry = (input: NamespaceExperimentInput): ListRecommendationsEntry => ({
  cluster_name: input.clusterName,
  experiment_type: "namespace",
  kubernetes_objects: [
    {
      namespace: input.namespace,
      containers: [],
      namespaces: { namespace: input.namespace, recommendations: input.recommendations }
    }
  ],
  version: LIST_RECOMMENDATIONS_VERSION,
  experiment_name: input.experimentName
})
