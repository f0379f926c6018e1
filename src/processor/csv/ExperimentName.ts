/**
 * Kruize experiment and cluster names (ros-ocp-backend.md §3.1; upstream `GenerateExperimentName`,
 * `GenerateNamespaceExperimentName`). The experiment name is also the Experiment entity id and the Kafka key of
 * the recommendations topic, so it must be byte-identical to upstream's.
 */
import type { ExperimentScope } from "../../../schema/ros/ExperimentScope.js"

/** `org|source|cluster_uuid|namespace|type|name` */
export const containerExperimentName = (
  scope: ExperimentScope,
  namespace: string,
  workloadType: string,
  workloadName: string
): string => `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}|${namespace}|${workloadType}|${workloadName}`

/** `org|source|cluster_uuid|namespace|<namespace>` */
export const namespaceExperimentName = (scope: ExperimentScope, namespace: string): string =>
  `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}|namespace|${namespace}`

/** `org;cluster_uuid` */
export const clusterName = (scope: ExperimentScope): string => `${scope.orgId};${scope.clusterUuid}`
