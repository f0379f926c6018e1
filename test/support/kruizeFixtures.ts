/**
 * Shared inputs for the validation tests: the ROS performance profile, ROS-shaped createExperiment and updateResults
 * bodies (values as strings, like ROS sends them), and an in-memory store implementing every view.
 */
import { Either, Option } from "effect"
import type { ExperimentDefinition } from "../../schema/kruize/Experiment.js"
import { formatTimestamp } from "../../schema/kruize/KruizeTimestamp.js"
import type { PerformanceProfile } from "../../schema/kruize/PerformanceProfile.js"
import { validateCreateExperiment } from "../../src/recommender/validation/CreateExperimentValidation.js"
import { validateCreatePerformanceProfile } from "../../src/recommender/validation/PerformanceProfileValidation.js"
import type { UpdateResultsView } from "../../src/recommender/validation/UpdateResultsValidation.js"

export const right = <R, L>(either: Either.Either<R, L>): R => {
  if (Either.isLeft(either)) throw new Error(`expected Right, got Left: ${String(either.left)}`)
  return either.right
}

export const left = <R, L>(either: Either.Either<R, L>): L => {
  if (Either.isRight(either)) throw new Error(`expected Left, got Right: ${JSON.stringify(either.right)}`)
  return either.left
}

const containerMetricNames = [
  "cpuRequest",
  "cpuLimit",
  "cpuUsage",
  "cpuThrottle",
  "memoryRequest",
  "memoryLimit",
  "memoryUsage",
  "memoryRSS"
]
const namespaceMetricNames = [
  "namespaceCpuRequest",
  "namespaceCpuLimit",
  "namespaceMemoryRequest",
  "namespaceMemoryLimit",
  "namespaceCpuUsage",
  "namespaceCpuThrottle",
  "namespaceMemoryUsage",
  "namespaceMemoryRSS",
  "namespaceTotalPods",
  "namespaceRunningPods",
  "namespaceMaxDate"
]

const variable = (name: string, kubernetesObject: string) => ({
  name,
  datasource: "prometheus",
  value_type: "double",
  kubernetes_object: kubernetesObject,
  aggregation_functions: [
    { function: "avg", query: `avg(${name})` },
    { function: "sum", query: `sum(${name})` }
  ]
})

/** `ros:resource_optimization_openshift.json`, trimmed to what matters (v2.0, container + namespace metrics). */
export const rosProfileJson = {
  name: "resource-optimization-openshift",
  profile_version: 2.0,
  k8s_type: "openshift",
  slo: {
    slo_class: "resource_usage",
    direction: "minimize",
    objective_function: { function_type: "source" },
    function_variables: [
      ...containerMetricNames.map((n) => variable(n, "container")),
      ...namespaceMetricNames.map((n) => variable(n, "namespace"))
    ]
  }
}

export const rosProfile: PerformanceProfile = right(
  validateCreatePerformanceProfile(JSON.stringify(rosProfileJson), { performanceProfile: () => Option.none() })
)

export const containerExperimentName = "7654321|3|9b1c5e2a|shop|deployment|frontend"
export const namespaceExperimentName = "7654321|3|9b1c5e2a|namespace|shop"

/** ROS's container createExperiment body (ros-ocp-backend.md §3.3). */
export const containerExperimentJson = (overrides: Record<string, unknown> = {}) => ({
  version: "1.0",
  experiment_name: containerExperimentName,
  cluster_name: "7654321;9b1c5e2a",
  performance_profile: "resource-optimization-openshift",
  mode: "monitor",
  target_cluster: "remote",
  kubernetes_objects: [
    {
      type: "deployment",
      name: "frontend",
      namespace: "shop",
      containers: [{ container_image_name: "quay.io/acme/frontend:1.4", container_name: "app", recommendations: {} }]
    }
  ],
  trial_settings: { measurement_duration: "15min" },
  recommendation_settings: { threshold: "0.1" },
  ...overrides
})

/** ROS's namespace createExperiment body (ros-ocp-backend.md §3.4). */
export const namespaceExperimentJson = (overrides: Record<string, unknown> = {}) => ({
  version: "1.0",
  experiment_name: namespaceExperimentName,
  cluster_name: "7654321;9b1c5e2a",
  performance_profile: "resource-optimization-openshift",
  mode: "monitor",
  target_cluster: "remote",
  experiment_type: "namespace",
  kubernetes_objects: [{ namespaces: { namespace: "shop", recommendations: {} } }],
  trial_settings: { measurement_duration: "15min" },
  recommendation_settings: { threshold: "0.1" },
  ...overrides
})

const noState = { experimentExists: () => false, performanceProfileExists: () => true }
export const containerExperiment: ExperimentDefinition = right(
  validateCreateExperiment(JSON.stringify([containerExperimentJson()]), noState)
)
export const namespaceExperiment: ExperimentDefinition = right(
  validateCreateExperiment(JSON.stringify([namespaceExperimentJson()]), noState)
)

export const t0 = Date.parse("2026-06-01T10:00:00.000Z")
export const minutes = (n: number) => n * 60_000
export const iso = (ms: number) => formatTimestamp(ms)

type Metric = { name: string; results: { aggregation_info: Record<string, unknown> } }

export const metric = (name: string, aggregates: Record<string, unknown>): Metric => ({
  name,
  results: { aggregation_info: aggregates }
})

/** The eight container metrics as ROS sends them: strings, cores and bytes. */
export const containerMetrics = (): Array<Metric> => [
  metric("cpuRequest", { sum: "3", avg: "1.5", format: "cores" }),
  metric("cpuLimit", { sum: "4", avg: "2", format: "cores" }),
  metric("cpuUsage", { min: "0.05", max: "1.2", sum: "1.44", avg: "0.72", format: "cores" }),
  metric("cpuThrottle", { max: "0.02", sum: "0.02", avg: "0.01", format: "cores" }),
  metric("memoryRequest", { sum: "1073741824", avg: "536870912", format: "bytes" }),
  metric("memoryLimit", { sum: "2147483648", avg: "1073741824", format: "bytes" }),
  metric("memoryUsage", { min: "307000000", max: "434000000", sum: "760000000", avg: "380000000", format: "bytes" }),
  metric("memoryRSS", { min: "280000000", max: "414000000", sum: "700000000", avg: "350000000", format: "bytes" })
]

/** A valid 15-minute container record ending at `t0 + 15 min × (i + 1)`. */
export const containerRecord = (i = 0, overrides: Record<string, unknown> = {}) => ({
  version: "1.0",
  experiment_name: containerExperimentName,
  interval_start_time: iso(t0 + minutes(15 * i)),
  interval_end_time: iso(t0 + minutes(15 * (i + 1))),
  kubernetes_objects: [
    {
      type: "deployment",
      name: "frontend",
      namespace: "shop",
      containers: [
        {
          container_image_name: "quay.io/acme/frontend:1.4",
          container_name: "app",
          recommendations: {},
          metrics: containerMetrics()
        }
      ]
    }
  ],
  ...overrides
})

/** ROS's namespace metrics (ros-ocp-backend.md §3.6). */
export const namespaceMetrics = (): Array<Metric> => [
  metric("namespaceCpuRequest", { sum: "2", format: "cores" }),
  metric("namespaceCpuLimit", { sum: "4", format: "cores" }),
  metric("namespaceCpuUsage", { avg: "0.5", min: "0.1", max: "0.9", format: "cores" }),
  metric("namespaceCpuThrottle", { avg: "0", min: "0", max: "0.01", format: "cores" }),
  metric("namespaceMemoryRequest", { sum: "1073741824", format: "bytes" }),
  metric("namespaceMemoryLimit", { sum: "2147483648", format: "bytes" }),
  metric("namespaceMemoryUsage", { avg: "300000000", min: "200000000", max: "400000000", format: "bytes" }),
  metric("namespaceMemoryRSS", { avg: "250000000", min: "150000000", max: "350000000", format: "bytes" }),
  metric("namespaceTotalPods", { avg: "3", max: "4" }),
  metric("namespaceRunningPods", { avg: "3", max: "3" })
]

export const namespaceRecord = (i = 0, overrides: Record<string, unknown> = {}) => ({
  version: "1.0",
  experiment_name: namespaceExperimentName,
  interval_start_time: iso(t0 + minutes(15 * i)),
  interval_end_time: iso(t0 + minutes(15 * (i + 1))),
  kubernetes_objects: [{ namespaces: { namespace: "shop", metrics: namespaceMetrics() } }],
  ...overrides
})

/** An in-memory store behind every view the validators take. */
export const memoryStore = (
  init: {
    readonly experiments?: ReadonlyArray<ExperimentDefinition>
    readonly profiles?: ReadonlyArray<PerformanceProfile>
    readonly results?: ReadonlyArray<readonly [string, number, number]>
  } = {}
) => {
  const experiments = new Map(
    (init.experiments ?? [containerExperiment, namespaceExperiment]).map((e) => [e.experimentName, e])
  )
  const profiles = new Map((init.profiles ?? [rosProfile]).map((p) => [p.name, p]))
  const results = new Set((init.results ?? []).map((key) => JSON.stringify(key)))
  const view: UpdateResultsView & {
    experimentExists: (name: string) => boolean
    performanceProfileExists: (name: string) => boolean
  } = {
    experiment: (name) => Option.fromNullable(experiments.get(name)),
    experimentExists: (name) => experiments.has(name),
    performanceProfile: (name) => Option.fromNullable(profiles.get(name)),
    performanceProfileExists: (name) => profiles.has(name),
    resultExists: (name, startMs, endMs) => results.has(JSON.stringify([name, startMs, endMs]))
  }
  return view
}
