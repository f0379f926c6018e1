/**
 * What one file's usage of one experiment writes to the upstream tables (spec ros-ocp-backend §4.1): the
 * workload row, and one workload_metrics row per container per interval (namespace experiments: one per
 * interval, container name ""), holding the metrics exactly as sent to the engine.
 */
import type { ExperimentUsage } from "../../schema/ros/ExperimentUsage.js"
import type { MetricRow, WorkloadRow } from "./WorkloadRepo.js"

export const workloadRowOf = (usage: ExperimentUsage, orgId: string, clusterId: number): WorkloadRow => {
  const container = usage._tag === "ContainerExperimentUsage"
  return {
    orgId,
    clusterId,
    experimentName: usage.experimentName,
    namespace: usage.namespace,
    workloadType: container ? usage.workloadType : "namespace",
    workloadName: container ? usage.workloadName : null,
    containers: container ? usage.containers.map((c) => c.container_name) : null,
    metricsUploadAt: new Date(usage.maxIntervalEnd)
  }
}

export const metricRowsOf = (usage: ExperimentUsage, workloadId: number): ReadonlyArray<MetricRow> => {
  const rows: Array<MetricRow> = []
  const namespace = usage.namespace
  if (usage._tag === "NamespaceExperimentUsage") {
    for (const entry of usage.results) {
      rows.push({
        workloadId,
        kind: "namespace",
        namespace,
        containerName: "",
        intervalStart: new Date(entry.interval_start_time),
        intervalEnd: new Date(entry.interval_end_time),
        usageMetrics: entry.kubernetes_objects[0].namespaces.metrics
      })
    }
    return rows
  }
  for (const entry of usage.results) {
    const intervalStart = new Date(entry.interval_start_time)
    const intervalEnd = new Date(entry.interval_end_time)
    for (const c of entry.kubernetes_objects[0].containers) {
      rows.push({
        workloadId,
        kind: "container",
        namespace,
        containerName: c.container_name,
        intervalStart,
        intervalEnd,
        usageMetrics: c.metrics
      })
    }
  }
  return rows
}
