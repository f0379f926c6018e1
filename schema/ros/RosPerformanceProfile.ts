/**
 * The performance profile ROS registers with the engine (`resource_optimization_openshift.json`, spec
 * ros-ocp-backend §3.2): name `resource-optimization-openshift`, k8s_type openshift, SLO resource_usage /
 * minimize, and one function variable per metric ROS sends. In remote monitoring the engine uses only the
 * variables' names (the metrics /updateResults accepts) and their aggregation function names; the queries
 * are kept for Kruize's validation, which requires one per function.
 */
import { PERFORMANCE_PROFILE_NAME } from "./CreateExperiment.js"

type Functions = ReadonlyArray<"avg" | "sum" | "min" | "max">

const container: ReadonlyArray<readonly [string, Functions]> = [
  ["cpuRequest", ["avg", "sum"]],
  ["cpuLimit", ["avg", "sum"]],
  ["cpuUsage", ["avg", "min", "max", "sum"]],
  ["cpuThrottle", ["avg", "max", "sum"]],
  ["memoryRequest", ["avg", "sum"]],
  ["memoryLimit", ["avg", "sum"]],
  ["memoryUsage", ["avg", "min", "max", "sum"]],
  ["memoryRSS", ["avg", "min", "max", "sum"]]
]

const namespace: ReadonlyArray<readonly [string, Functions]> = [
  ["namespaceCpuRequest", ["sum"]],
  ["namespaceCpuLimit", ["sum"]],
  ["namespaceMemoryRequest", ["sum"]],
  ["namespaceMemoryLimit", ["sum"]],
  ["namespaceCpuUsage", ["avg", "min", "max"]],
  ["namespaceCpuThrottle", ["avg", "min", "max"]],
  ["namespaceMemoryUsage", ["avg", "min", "max"]],
  ["namespaceMemoryRSS", ["avg", "min", "max"]],
  ["namespaceTotalPods", ["avg", "max"]],
  ["namespaceRunningPods", ["avg", "max"]],
  ["namespaceMaxDate", ["max"]]
]

const variable =
  (kubernetesObject: string) =>
  ([name, functions]: readonly [string, Functions]) => ({
    name,
    datasource: "prometheus",
    value_type: "double",
    kubernetes_object: kubernetesObject,
    aggregation_functions: functions.map((fn) => ({ function: fn, query: `${fn}(${name})` }))
  })

/** The profile body for /createPerformanceProfile and /updatePerformanceProfile. */
export const rosPerformanceProfile = (version: number) => ({
  name: PERFORMANCE_PROFILE_NAME,
  profile_version: version,
  k8s_type: "openshift",
  slo: {
    slo_class: "resource_usage",
    direction: "minimize",
    objective_function: { function_type: "source" },
    function_variables: [...container.map(variable("container")), ...namespace.map(variable("namespace"))]
  }
})
