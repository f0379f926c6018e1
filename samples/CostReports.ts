/**
 * The ordinary cost-management reports the operator packs next to the ROS CSVs (pod, storage, node and namespace
 * usage, hourly). koku archives them and ROS never reads them, so they only need to be plausible and consistent
 * with the ROS model: same pods, nodes, namespaces and usage. Headers follow kmo:internal/collector/types.go.
 */
import {
  type ContainerSpec,
  containerUsage,
  goTime,
  hex,
  type NodeSpec,
  Nodes,
  type PodInstance,
  podInstances,
  round6,
  type SampleOptions,
  sampleNamespaces,
  sampleWorkloads,
  startMillis,
  unit,
  uuidV4,
  yearMonth
} from "./SampleData.js"

export const PodUsageColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "node",
  "namespace",
  "pod",
  "pod_usage_cpu_core_seconds",
  "pod_request_cpu_core_seconds",
  "pod_limit_cpu_core_seconds",
  "pod_usage_memory_byte_seconds",
  "pod_request_memory_byte_seconds",
  "pod_limit_memory_byte_seconds",
  "node_capacity_cpu_cores",
  "node_capacity_cpu_core_seconds",
  "node_capacity_memory_bytes",
  "node_capacity_memory_byte_seconds",
  "node_role",
  "resource_id",
  "pod_labels"
] as const

export const StorageUsageColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "namespace",
  "pod",
  "node",
  "persistentvolumeclaim",
  "persistentvolume",
  "storageclass",
  "csi_driver",
  "csi_volume_handle",
  "persistentvolumeclaim_capacity_bytes",
  "persistentvolumeclaim_capacity_byte_seconds",
  "volume_request_storage_byte_seconds",
  "persistentvolumeclaim_usage_byte_seconds",
  "persistentvolume_labels",
  "persistentvolumeclaim_labels"
] as const

/** The "node labels" report. */
export const NodeUsageColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "node",
  "node_labels"
] as const

/** The "namespace labels" report. */
export const NamespaceUsageColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "namespace",
  "namespace_labels"
] as const

/** A report row as text cells, plus the month of the monthly file it goes to. */
export interface CostRow {
  readonly month: string
  readonly cells: ReadonlyArray<string>
}

const HOUR = 3_600_000
const Gi = 1024 * 1024 * 1024

const num = (x: number | undefined): string => (x === undefined ? "" : round6(x).toFixed(6))

interface Hour {
  readonly index: number
  readonly month: string
  readonly dates: ReadonlyArray<string>
}

/** Cost reports are hourly: `H:00:00` to `H:59:59`, report period from the first of the month. */
const hour = (options: SampleOptions, index: number): Hour => {
  const begin = startMillis(options) + index * HOUR
  const d = new Date(begin)
  return {
    index,
    month: yearMonth(begin),
    dates: [
      goTime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)),
      goTime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)),
      goTime(begin),
      goTime(begin + HOUR - 1000)
    ]
  }
}

/**
 * Hours `from` (inclusive) to `to` (exclusive), the whole period by default. Every report below is a generator
 * over an hour range, so a month's file can be produced row by row without holding the others.
 */
function* hours(options: SampleOptions, from = 0, to = options.days * 24): Generator<Hour> {
  for (let index = from; index < to; index++) yield hour(options, index)
}

/** Row generator of one report over an hour range. */
export type CostRowsIn = (options: SampleOptions, fromHour?: number, toHour?: number) => Iterable<CostRow>

const nodeCells = (node: NodeSpec): ReadonlyArray<string> => [
  num(node.cpuCores),
  num(node.cpuCores * 3600),
  num(node.memoryBytes),
  num(node.memoryBytes * 3600),
  "worker",
  node.resourceId
]

/** Platform pods outside the optimized namespaces: in the cost reports, never in the ROS ones. */
const PlatformPods = [
  { pod: "prometheus-k8s-0", node: 0, cpu: 0.31, memory: 2.6 * Gi },
  { pod: "prometheus-k8s-1", node: 1, cpu: 0.29, memory: 2.5 * Gi }
] as const

const platformNode = (pod: string): NodeSpec => Nodes[PlatformPods.find((p) => p.pod === pod)?.node ?? 0] ?? Nodes[0]!

const sumOrUndefined = (values: ReadonlyArray<number | undefined>, complete: boolean): number | undefined =>
  complete ? values.reduce<number>((a, b) => a + (b ?? 0), 0) : undefined

/** Pod usage per pod per hour, summed over the hour's 15-minute windows in which the pod ran. */
export const podUsageRowsIn: CostRowsIn = function* (options, fromHour, toHour) {
  const pods = podInstances(options)
  for (const hour of hours(options, fromHour, toHour)) {
    const windows = [0, 1, 2, 3].map((q) => hour.index * 4 + q)
    for (const pod of pods) {
      const active = windows.filter((i) => pod.from <= i && i < pod.to)
      if (active.length === 0) continue
      yield { month: hour.month, cells: [...hour.dates, ...podUsageCells(options, pod, active)] }
    }
    for (const p of PlatformPods) {
      const node = platformNode(p.pod)
      const wobble = 0.9 + 0.2 * unit(options.seed, p.pod, hour.index)
      yield {
        month: hour.month,
        cells: [
          ...hour.dates,
          node.name,
          "openshift-monitoring",
          p.pod,
          num(p.cpu * wobble * 3600),
          num(0.07 * 3600),
          "",
          num(p.memory * wobble * 3600),
          num(1 * Gi * 3600),
          "",
          ...nodeCells(node),
          `label_app_kubernetes_io_name:prometheus|label_prometheus:k8s|label_statefulset_kubernetes_io_pod_name:${p.pod}`
        ]
      }
    }
  }
}

export const podUsageRows = (options: SampleOptions): ReadonlyArray<CostRow> => [...podUsageRowsIn(options)]

const podUsageCells = (
  options: SampleOptions,
  pod: PodInstance,
  active: ReadonlyArray<number>
): ReadonlyArray<string> => {
  const containers: ReadonlyArray<ContainerSpec> = pod.workload.containers
  const seconds = active.length * 900
  const usage = active.flatMap((i) => containers.map((c) => containerUsage(options, pod, c, i)))
  const cpuUsage = usage.reduce((a, u) => a + u.cpuAvg * 900, 0)
  const memoryUsage = usage.reduce((a, u) => a + u.memoryAvg * 900, 0)
  // A pod-level limit exists only when every container sets one; requests add up over the containers that set one.
  const perSecond = (values: ReadonlyArray<number | undefined>, complete: boolean): number | undefined => {
    const total = sumOrUndefined(values, complete)
    return total === undefined ? undefined : total * seconds
  }
  const anyOrAll = (values: ReadonlyArray<number | undefined>, all: boolean): boolean =>
    all ? values.every((v) => v !== undefined) : values.some((v) => v !== undefined)
  const cpuRequests = containers.map((c) => c.cpuRequest)
  const cpuLimits = containers.map((c) => c.cpuLimit)
  const memoryRequests = containers.map((c) => c.memoryRequest)
  const memoryLimits = containers.map((c) => c.memoryLimit)
  return [
    pod.node.name,
    pod.namespace,
    pod.pod,
    num(cpuUsage),
    num(perSecond(cpuRequests, anyOrAll(cpuRequests, false))),
    num(perSecond(cpuLimits, anyOrAll(cpuLimits, true))),
    num(memoryUsage),
    num(perSecond(memoryRequests, anyOrAll(memoryRequests, false))),
    num(perSecond(memoryLimits, anyOrAll(memoryLimits, true))),
    ...nodeCells(pod.node),
    pod.labels
  ]
}

interface Claim {
  readonly namespace: string
  readonly pod: string
  readonly claim: string
  readonly capacity: number
  readonly used: number
  readonly growthPerDay: number
  readonly app: string
}

/** Prometheus' own claims: in the cost reports only, like its pods. */
const PlatformClaims: ReadonlyArray<Claim> = [0, 1].map((r) => ({
  namespace: "openshift-monitoring",
  pod: `prometheus-k8s-${r}`,
  claim: `prometheus-k8s-db-prometheus-k8s-${r}`,
  capacity: 100 * Gi,
  used: 27 * Gi,
  growthPerDay: 0.4 * Gi,
  app: "prometheus"
}))

/** The sample's claims: one `data-<pod>` per replica of each statefulset with a volume, then Prometheus'. */
const claims = (options: SampleOptions): ReadonlyArray<Claim> => [
  ...sampleWorkloads(options).flatMap((w) => {
    const volume = w.volume
    if (volume === undefined || w.kind !== "statefulset") return []
    return Array.from({ length: w.replicas }, (_, r) => ({
      namespace: w.namespace,
      pod: `${w.name}-${r}`,
      claim: `data-${w.name}-${r}`,
      capacity: volume.capacity,
      used: volume.used + r * volume.usedPerReplica,
      growthPerDay: volume.growthPerDay,
      app: w.name
    }))
  }),
  ...PlatformClaims
]

/** Storage usage per persistent volume claim per hour. */
export const storageUsageRowsIn: CostRowsIn = function* (options, fromHour, toHour) {
  const { seed } = options
  const pods = new Map<string, PodInstance>()
  for (const p of podInstances(options)) if (!pods.has(p.pod)) pods.set(p.pod, p)
  const volumes = claims(options).map((c) => ({
    ...c,
    node: pods.get(c.pod)?.node ?? platformNode(c.pod),
    volume: `pvc-${uuidV4(seed, "pv", c.claim)}`,
    handle: `vol-0${hex(16, seed, "vol", c.claim)}`
  }))
  for (const hour of hours(options, fromHour, toHour)) {
    for (const c of volumes) {
      const node = c.node
      const used = Math.min(c.capacity, c.used + (c.growthPerDay * hour.index) / 24)
      yield {
        month: hour.month,
        cells: [
          ...hour.dates,
          c.namespace,
          c.pod,
          node.name,
          c.claim,
          c.volume,
          "gp3-csi",
          "ebs.csi.aws.com",
          c.handle,
          num(c.capacity),
          num(c.capacity * 3600),
          num(c.capacity * 3600),
          num(used * 3600),
          `label_topology_kubernetes_io_region:us-east-2|label_topology_kubernetes_io_zone:${node.zone}`,
          `label_app:${c.app}`
        ]
      }
    }
  }
}

export const storageUsageRows = (options: SampleOptions): ReadonlyArray<CostRow> => [...storageUsageRowsIn(options)]

/** Node labels per node per hour. */
export const nodeUsageRowsIn: CostRowsIn = function* (options, fromHour, toHour) {
  for (const hour of hours(options, fromHour, toHour)) {
    for (const node of Nodes) {
      yield {
        month: hour.month,
        cells: [
          ...hour.dates,
          node.name,
          `label_beta_kubernetes_io_instance_type:${node.cpuCores === 16 ? "m6i.4xlarge" : "m6i.2xlarge"}` +
            `|label_kubernetes_io_hostname:${node.name.split(".")[0]}` +
            `|label_node_role_kubernetes_io_worker:|label_topology_kubernetes_io_zone:${node.zone}`
        ]
      }
    }
  }
}

export const nodeUsageRows = (options: SampleOptions): ReadonlyArray<CostRow> => [...nodeUsageRowsIn(options)]

/** Namespace labels per namespace per hour: where `cost_management_optimizations=true` shows up. */
export const namespaceUsageRowsIn: CostRowsIn = function* (options, fromHour, toHour) {
  const namespaces = sampleNamespaces(options)
  for (const hour of hours(options, fromHour, toHour)) {
    for (const ns of namespaces) {
      yield {
        month: hour.month,
        cells: [
          ...hour.dates,
          ns.name,
          ns.optimized
            ? `label_cost_management_optimizations:true|label_kubernetes_io_metadata_name:${ns.name}`
            : `label_kubernetes_io_metadata_name:${ns.name}|label_openshift_io_cluster_monitoring:true`
        ]
      }
    }
  }
}

export const namespaceUsageRows = (options: SampleOptions): ReadonlyArray<CostRow> => [...namespaceUsageRowsIn(options)]
