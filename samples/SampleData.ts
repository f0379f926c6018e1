/**
 * The pure row model behind `samples/cost-mgmt.tar.gz`: one OpenShift cluster, its namespaces, workloads, pods
 * and containers, the operator's 15-minute windows, and the usage curves that fill the ROS CSVs.
 *
 * Every number is a function of (seed, pod, container, window) through a hash, never of a running PRNG, so a test
 * can rebuild any single cell (or the whole file) and get exactly what the generator wrote. Values are rounded to
 * the operator's 6 decimals here, in the model, so `Number(csvCell) === modelValue` holds for every cell.
 *
 * Column lists and formats follow spec/ingress-koku-sources.md B.5–B.7 (kmo:internal/collector/types.go).
 */

// ---------------------------------------------------------------------------------------------------------------
// Columns

/** Operator >= v4.2.0: 49 columns (adds `cpu_throttle_container_min` and the `accelerator_*` columns). */
export const ContainerColumns49 = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "container_name",
  "pod",
  "owner_name",
  "owner_kind",
  "workload",
  "workload_type",
  "namespace",
  "image_name",
  "node",
  "resource_id",
  "cpu_request_container_avg",
  "cpu_request_container_sum",
  "cpu_limit_container_avg",
  "cpu_limit_container_sum",
  "cpu_usage_container_avg",
  "cpu_usage_container_min",
  "cpu_usage_container_max",
  "cpu_usage_container_sum",
  "cpu_throttle_container_avg",
  "cpu_throttle_container_max",
  "cpu_throttle_container_min",
  "cpu_throttle_container_sum",
  "memory_request_container_avg",
  "memory_request_container_sum",
  "memory_limit_container_avg",
  "memory_limit_container_sum",
  "memory_usage_container_avg",
  "memory_usage_container_min",
  "memory_usage_container_max",
  "memory_usage_container_sum",
  "memory_rss_usage_container_avg",
  "memory_rss_usage_container_min",
  "memory_rss_usage_container_max",
  "memory_rss_usage_container_sum",
  "accelerator_model_name",
  "accelerator_profile_name",
  "accelerator_core_usage_percentage_min",
  "accelerator_core_usage_percentage_max",
  "accelerator_core_usage_percentage_avg",
  "accelerator_memory_copy_percentage_min",
  "accelerator_memory_copy_percentage_max",
  "accelerator_memory_copy_percentage_avg",
  "accelerator_frame_buffer_usage_min",
  "accelerator_frame_buffer_usage_max",
  "accelerator_frame_buffer_usage_avg"
] as const

/**
 * Operator < v4.2.0: 37 columns, exactly the set ros-ocp-backend requires (`CSVColumnMapping`), in the
 * operator's order.
 */
export const ContainerColumns37 = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "container_name",
  "pod",
  "owner_name",
  "owner_kind",
  "workload",
  "workload_type",
  "namespace",
  "image_name",
  "node",
  "resource_id",
  "cpu_request_container_avg",
  "cpu_request_container_sum",
  "cpu_limit_container_avg",
  "cpu_limit_container_sum",
  "cpu_usage_container_avg",
  "cpu_usage_container_min",
  "cpu_usage_container_max",
  "cpu_usage_container_sum",
  "cpu_throttle_container_avg",
  "cpu_throttle_container_max",
  "cpu_throttle_container_sum",
  "memory_request_container_avg",
  "memory_request_container_sum",
  "memory_limit_container_avg",
  "memory_limit_container_sum",
  "memory_usage_container_avg",
  "memory_usage_container_min",
  "memory_usage_container_max",
  "memory_usage_container_sum",
  "memory_rss_usage_container_avg",
  "memory_rss_usage_container_min",
  "memory_rss_usage_container_max",
  "memory_rss_usage_container_sum"
] as const

export type ContainerColumn = (typeof ContainerColumns49)[number]

/** The text columns of the container CSV; every other column is a number or empty. */
export const ContainerTextColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "container_name",
  "pod",
  "owner_name",
  "owner_kind",
  "workload",
  "workload_type",
  "namespace",
  "image_name",
  "node",
  "resource_id",
  "accelerator_model_name",
  "accelerator_profile_name"
] as const

export type ContainerTextColumn = (typeof ContainerTextColumns)[number]
export type ContainerNumberColumn = Exclude<ContainerColumn, ContainerTextColumn>

/** The 12 usage columns ros-ocp-backend requires to be >= 0 (spec/ros-ocp-backend.md §2.4). */
export const ContainerUsageColumns = [
  "cpu_usage_container_avg",
  "cpu_usage_container_min",
  "cpu_usage_container_max",
  "cpu_usage_container_sum",
  "memory_usage_container_avg",
  "memory_usage_container_min",
  "memory_usage_container_max",
  "memory_usage_container_sum",
  "memory_rss_usage_container_avg",
  "memory_rss_usage_container_min",
  "memory_rss_usage_container_max",
  "memory_rss_usage_container_sum"
] as const

/** The ROS namespace CSV (operator >= v4.1.0), 25 columns. */
export const NamespaceColumns = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "namespace",
  "cpu_request_namespace_sum",
  "cpu_limit_namespace_sum",
  "cpu_usage_namespace_avg",
  "cpu_usage_namespace_max",
  "cpu_usage_namespace_min",
  "cpu_throttle_namespace_avg",
  "cpu_throttle_namespace_max",
  "cpu_throttle_namespace_min",
  "memory_request_namespace_sum",
  "memory_limit_namespace_sum",
  "memory_usage_namespace_avg",
  "memory_usage_namespace_max",
  "memory_usage_namespace_min",
  "memory_rss_usage_namespace_avg",
  "memory_rss_usage_namespace_max",
  "memory_rss_usage_namespace_min",
  "namespace_running_pods_max",
  "namespace_running_pods_avg",
  "namespace_total_pods_max",
  "namespace_total_pods_avg"
] as const

export type NamespaceColumn = (typeof NamespaceColumns)[number]
export type NamespaceTextColumn =
  | "report_period_start"
  | "report_period_end"
  | "interval_start"
  | "interval_end"
  | "namespace"
export type NamespaceNumberColumn = Exclude<NamespaceColumn, NamespaceTextColumn>

export type ContainerLayout = 37 | 49

export const containerColumns = (layout: ContainerLayout): ReadonlyArray<ContainerColumn> =>
  layout === 37 ? ContainerColumns37 : ContainerColumns49

// ---------------------------------------------------------------------------------------------------------------
// Options

export interface SampleOptions {
  readonly seed: number
  /** First day, `YYYY-MM-DD`, UTC midnight. Fixed by the caller: the model never reads the clock. */
  readonly startDate: string
  readonly days: number
  readonly clusterId: string
  /** Not in the tarball (the operator never writes it); used for the identity that uploads it. */
  readonly orgId: string
  readonly layout: ContainerLayout
  /**
   * How many workloads the cluster runs: the first `workloads` of `workloadCatalog` (the 11 of `Workloads`, then
   * renamed copies of them). Default: `Workloads.length`.
   */
  readonly workloads: number
}

export const DefaultSeed = 1
export const DefaultStartDate = "2026-08-03"
export const DefaultDays = 9
export const DefaultOrgId = "3340851"
export const DefaultLayout: ContainerLayout = 37
/** Upper bound of `workloads`: 10,000 is about 1,200 containers per 15-minute window. */
export const MaxWorkloads = 10_000

/** Builds complete options; the cluster id, when not given, is a UUIDv4 derived from the seed. */
export const sampleOptions = (overrides: Partial<SampleOptions> = {}): SampleOptions => {
  const seed = overrides.seed ?? DefaultSeed
  const options: SampleOptions = {
    seed,
    startDate: overrides.startDate ?? DefaultStartDate,
    days: overrides.days ?? DefaultDays,
    clusterId: overrides.clusterId ?? uuidV4(seed, "cluster"),
    orgId: overrides.orgId ?? DefaultOrgId,
    layout: overrides.layout ?? DefaultLayout,
    workloads: overrides.workloads ?? Workloads.length
  }
  if (!Number.isInteger(options.workloads) || options.workloads < 1 || options.workloads > MaxWorkloads) {
    throw new RangeError(`workloads must be an integer in 1..${MaxWorkloads}, got ${options.workloads}`)
  }
  if (!Number.isInteger(options.days) || options.days < 1 || options.days > 62) {
    throw new RangeError(`days must be an integer in 1..62, got ${options.days}`)
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.startDate) || Number.isNaN(Date.parse(`${options.startDate}T00:00:00Z`))) {
    throw new RangeError(`startDate must be YYYY-MM-DD, got ${options.startDate}`)
  }
  return options
}

// ---------------------------------------------------------------------------------------------------------------
// Deterministic noise

const FNV_OFFSET = 0x811c9dc5

/** FNV-1a of `text`, continuing from `hash` (FNV is a running hash: fnv(a + b) = continue(fnv(a), b)). */
const fnv1aFrom = (hash: number, text: string): number => {
  let h = hash
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** One mulberry32 round: a 32-bit hash to [0, 1). */
const whiten = (hash: number): number => {
  let t = (hash + 0x6d2b79f5) | 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/**
 * A uniform number in [0, 1) named by its parts. FNV-1a spreads the name, one mulberry32 round whitens it. Being
 * stateless is the point: the value of a cell does not depend on which cells were computed before it.
 */
export const unit = (seed: number, ...parts: ReadonlyArray<string | number>): number =>
  whiten(fnv1aFrom(FNV_OFFSET, `${seed}\u0000${parts.join("\u0000")}`))

/**
 * `unit(seed, ...parts, last)` for many `last` values: the hash of the common prefix is computed once.
 * `unitNamer(seed, a, b)(c) === unit(seed, a, b, c)`, exactly.
 */
export const unitNamer = (
  seed: number,
  ...parts: ReadonlyArray<string | number>
): ((last: string | number) => number) => {
  const prefix = fnv1aFrom(FNV_OFFSET, [seed, ...parts].join("\u0000"))
  return (last) => whiten(fnv1aFrom(prefix, `\u0000${last}`))
}

const pick = (alphabet: string, length: number, seed: number, ...parts: ReadonlyArray<string | number>): string => {
  let out = ""
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(unit(seed, ...parts, i) * alphabet.length)]
  return out
}

/** Kubernetes' `rand.SafeEncodeString` alphabet: what pod-template hashes and pod suffixes are made of. */
const KubeAlphabet = "bcdfghjklmnpqrstvwxz2456789"
const Hex = "0123456789abcdef"

export const hex = (length: number, seed: number, ...parts: ReadonlyArray<string | number>): string =>
  pick(Hex, length, seed, ...parts)

/** A random-looking but reproducible UUIDv4 (koku requires `uuid` to be version 4). */
export const uuidV4 = (seed: number, ...parts: ReadonlyArray<string | number>): string => {
  const h = hex(32, seed, "uuid", ...parts).split("")
  h[12] = "4"
  h[16] = "89ab"[Number.parseInt(h[16] ?? "0", 16) % 4] ?? "8"
  const s = h.join("")
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
}

/** Rounds to the operator's 6 decimals; `Number(x.toFixed(6))` is also what a reader gets back from the CSV. */
export const round6 = (x: number): number => Number(x.toFixed(6))
const floor6 = (x: number): number => round6(Math.floor(x * 1e6) / 1e6)
const ceil6 = (x: number): number => round6(Math.ceil(x * 1e6) / 1e6)
const PAGE = 4096
const floorPage = (x: number): number => Math.floor(x / PAGE) * PAGE
const ceilPage = (x: number): number => Math.ceil(x / PAGE) * PAGE

// ---------------------------------------------------------------------------------------------------------------
// Time

export const WINDOW_SECONDS = 900
export const WINDOWS_PER_DAY = 96

export const startMillis = (options: SampleOptions): number => Date.parse(`${options.startDate}T00:00:00Z`)
export const windowCount = (options: SampleOptions): number => options.days * WINDOWS_PER_DAY

const pad = (n: number, width = 2): string => String(n).padStart(width, "0")

/** Go's `time.Time.String()` for a UTC time: `2006-01-02 15:04:05 +0000 UTC`. */
export const goTime = (millis: number): string => {
  const d = new Date(millis)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000 UTC`
  )
}

/** Go's RFC 3339 JSON form of a whole-second UTC time: `2023-08-21T17:59:59Z`. */
export const rfc3339 = (millis: number): string => new Date(millis).toISOString().replace(".000Z", "Z")

/** `YYYYMM` of a time: the operator names its monthly report files with it. */
export const yearMonth = (millis: number): string => {
  const d = new Date(millis)
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}`
}

export interface Window {
  readonly index: number
  /** `H:MM:01`: the operator's windows start one second after the previous one ends. */
  readonly startMillis: number
  readonly endMillis: number
  readonly reportPeriodStart: string
  readonly reportPeriodEnd: string
  readonly intervalStart: string
  readonly intervalEnd: string
  /** Month of the hour being collected: which monthly file the row lands in. */
  readonly month: string
}

export const window = (options: SampleOptions, index: number): Window => {
  const begin = startMillis(options) + index * WINDOW_SECONDS * 1000
  const start = new Date(begin)
  // The report period comes from the window start (kmo `newDates`), so 23:45:01 on the last day of a month still
  // belongs to that month even though the window ends in the next one.
  const periodStart = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1)
  const periodEnd = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1)
  return {
    index,
    startMillis: begin + 1000,
    endMillis: begin + WINDOW_SECONDS * 1000,
    reportPeriodStart: goTime(periodStart),
    reportPeriodEnd: goTime(periodEnd),
    intervalStart: goTime(begin + 1000),
    intervalEnd: goTime(begin + WINDOW_SECONDS * 1000),
    month: yearMonth(begin)
  }
}

/**
 * The period cut into months: windows `from` (inclusive) to `to` (exclusive) of each `YYYYMM`, in order. The
 * operator writes one file per report kind and month. Months change at midnight, so every span is whole days
 * (whole hours: hours `from / 4` to `to / 4`).
 */
export const monthSpans = (
  options: SampleOptions
): ReadonlyArray<{ readonly month: string; readonly from: number; readonly to: number }> => {
  const spans: Array<{ month: string; from: number; to: number }> = []
  for (let day = 0; day < options.days; day++) {
    const month = yearMonth(startMillis(options) + day * 86_400_000)
    const last = spans[spans.length - 1]
    if (last !== undefined && last.month === month) last.to += WINDOWS_PER_DAY
    else spans.push({ month, from: day * WINDOWS_PER_DAY, to: (day + 1) * WINDOWS_PER_DAY })
  }
  return spans
}

// ---------------------------------------------------------------------------------------------------------------
// The cluster

const Mi = 1024 * 1024
const Gi = 1024 * Mi

export interface NodeSpec {
  readonly name: string
  readonly resourceId: string
  readonly zone: string
  readonly cpuCores: number
  readonly memoryBytes: number
}

export const Nodes: ReadonlyArray<NodeSpec> = [
  {
    name: "ip-10-0-131-17.us-east-2.compute.internal",
    resourceId: "i-0a3f5c7e9b1d24680",
    zone: "us-east-2a",
    cpuCores: 8,
    memoryBytes: 32 * Gi
  },
  {
    name: "ip-10-0-152-204.us-east-2.compute.internal",
    resourceId: "i-0b4e6d8f0a2c13579",
    zone: "us-east-2b",
    cpuCores: 8,
    memoryBytes: 32 * Gi
  },
  {
    name: "ip-10-0-177-89.us-east-2.compute.internal",
    resourceId: "i-0c5d7f9a1b3e24681",
    zone: "us-east-2c",
    cpuCores: 16,
    memoryBytes: 64 * Gi
  }
]

export interface Quota {
  readonly cpuRequest: number
  readonly cpuLimit: number
  readonly memoryRequest: number
  readonly memoryLimit: number
}

export interface NamespaceSpec {
  readonly name: string
  /** `kube_resourcequota` hard values; without a quota the namespace CSV's request/limit cells are empty. */
  readonly quota?: Quota
  /** Only namespaces labelled `cost_management_optimizations=true` get ROS rows (spec B.4). */
  readonly optimized: boolean
}

export const Namespaces: ReadonlyArray<NamespaceSpec> = [
  {
    name: "shop-prod",
    optimized: true,
    quota: { cpuRequest: 8, cpuLimit: 16, memoryRequest: 16 * Gi, memoryLimit: 32 * Gi }
  },
  { name: "shop-batch", optimized: true },
  { name: "platform-tools", optimized: true },
  {
    name: "analytics",
    optimized: true,
    quota: { cpuRequest: 6, cpuLimit: 12, memoryRequest: 24 * Gi, memoryLimit: 48 * Gi }
  },
  // In the cost reports only: the operator never collects ROS data for openshift-* namespaces.
  { name: "openshift-monitoring", optimized: false }
]

/** Demand curve: `idle` at 04:00 UTC on a weekend night, `peak` at 16:00 UTC on a weekday. */
export interface Curve {
  readonly idle: number
  readonly peak: number
}

export interface ContainerSpec {
  readonly name: string
  /** `repository:tag` or `repository@sha256:…`, as `kube_pod_container_info` reports it. */
  readonly image: string
  readonly cpuRequest?: number
  readonly cpuLimit?: number
  readonly memoryRequest?: number
  readonly memoryLimit?: number
  /** Cores. */
  readonly cpu: Curve
  /** Working-set bytes. */
  readonly memory: Curve
  /** Working-set growth per day, bytes (a slow leak or a growing cache). */
  readonly memoryGrowthPerDay?: number
  /** RSS as a fraction of the working set. */
  readonly rssRatio: number
}

export type WorkloadKind =
  | "deployment"
  | "deploymentconfig"
  | "statefulset"
  | "daemonset"
  | "replicaset"
  | "job"
  | "pod"

export interface WorkloadSpec {
  readonly namespace: string
  readonly kind: WorkloadKind
  readonly name: string
  readonly replicas: number
  readonly containers: ReadonlyArray<ContainerSpec>
  /** Free text for README and tests: what this workload is there to exercise. */
  readonly purpose: string
  /** The replica (0-based) whose pod is deleted half-way and replaced by a pod with a new name. */
  readonly restartReplica?: number
  /** A rollout at 70% of the period: a new ReplicaSet whose first container runs this image. */
  readonly rolloutImage?: string
  /**
   * What ros-ocp-backend should make of the rows (spec/ros-ocp-backend.md §2.4–2.5): the experiment's
   * (k8s_object_type, k8s_object_name), or undefined when every row is filtered out.
   */
  readonly rosObject: { readonly type: string; readonly name: string } | undefined
  /**
   * A statefulset's volumeClaimTemplate `data`: one PVC `data-<pod>` per replica, in the cost storage report.
   * Replica `r` starts with `used + r * usedPerReplica` bytes and grows by `growthPerDay`.
   */
  readonly volume?: {
    readonly capacity: number
    readonly used: number
    readonly usedPerReplica: number
    readonly growthPerDay: number
  }
}

const sha = (name: string): string => `sha256:${hex(64, 0, "image", name)}`

export const Workloads: ReadonlyArray<WorkloadSpec> = [
  {
    namespace: "shop-prod",
    kind: "deployment",
    name: "frontend",
    replicas: 3,
    purpose: "over-provisioned: requests 1 core / 1 GiB, uses a tenth of it; a small sidecar",
    rosObject: { type: "deployment", name: "frontend" },
    containers: [
      {
        name: "nginx",
        image: "quay.io/acme-shop/frontend:2.14.3",
        cpuRequest: 1,
        cpuLimit: 2,
        memoryRequest: 1 * Gi,
        memoryLimit: 2 * Gi,
        cpu: { idle: 0.015, peak: 0.16 },
        memory: { idle: 88 * Mi, peak: 142 * Mi },
        rssRatio: 0.82
      },
      {
        name: "oauth-proxy",
        image: `registry.redhat.io/openshift4/ose-oauth-proxy@${sha("ose-oauth-proxy")}`,
        cpuRequest: 0.01,
        cpuLimit: 0.1,
        memoryRequest: 32 * Mi,
        memoryLimit: 64 * Mi,
        cpu: { idle: 0.001, peak: 0.011 },
        memory: { idle: 21 * Mi, peak: 29 * Mi },
        rssRatio: 0.9
      }
    ]
  },
  {
    namespace: "shop-prod",
    kind: "deployment",
    name: "checkout-api",
    replicas: 2,
    restartReplica: 1,
    purpose:
      "under-provisioned: CPU limit 0.5 is throttled at peak, memory runs near its 512 MiB limit; one pod restarts",
    rosObject: { type: "deployment", name: "checkout-api" },
    containers: [
      {
        name: "checkout",
        image: "quay.io/acme-shop/checkout-api:5.2.0",
        cpuRequest: 0.25,
        cpuLimit: 0.5,
        memoryRequest: 384 * Mi,
        memoryLimit: 512 * Mi,
        cpu: { idle: 0.09, peak: 0.74 },
        memory: { idle: 402 * Mi, peak: 498 * Mi },
        rssRatio: 0.93
      }
    ]
  },
  {
    namespace: "shop-prod",
    kind: "statefulset",
    name: "postgres",
    replicas: 1,
    purpose: "statefulset with a growing working set and a sidecar without a CPU limit",
    rosObject: { type: "statefulset", name: "postgres" },
    volume: { capacity: 20 * Gi, used: 6.2 * Gi, usedPerReplica: 0, growthPerDay: 0.15 * Gi },
    containers: [
      {
        name: "postgres",
        image: "registry.redhat.io/rhel9/postgresql-16:1-28",
        cpuRequest: 0.5,
        cpuLimit: 2,
        memoryRequest: 2 * Gi,
        memoryLimit: 4 * Gi,
        cpu: { idle: 0.06, peak: 0.62 },
        memory: { idle: 1.4 * Gi, peak: 2.05 * Gi },
        memoryGrowthPerDay: 40 * Mi,
        rssRatio: 0.45
      },
      {
        name: "metrics-exporter",
        image: "quay.io/prometheuscommunity/postgres-exporter:v0.15.0",
        cpuRequest: 0.05,
        memoryRequest: 64 * Mi,
        memoryLimit: 128 * Mi,
        cpu: { idle: 0.003, peak: 0.012 },
        memory: { idle: 29 * Mi, peak: 37 * Mi },
        rssRatio: 0.88
      }
    ]
  },
  {
    namespace: "shop-batch",
    kind: "deployment",
    name: "queue-worker",
    replicas: 2,
    rolloutImage: "quay.io/acme-shop/queue-worker:1.9.0",
    purpose: "no requests or limits at all (empty cells); a rollout changes the image, with one window where both run",
    rosObject: { type: "deployment", name: "queue-worker" },
    containers: [
      {
        name: "worker",
        image: "quay.io/acme-shop/queue-worker:1.8.3",
        cpu: { idle: 0.04, peak: 0.95 },
        memory: { idle: 290 * Mi, peak: 710 * Mi },
        rssRatio: 0.91
      }
    ]
  },
  {
    namespace: "shop-batch",
    kind: "replicaset",
    name: "legacy-cache",
    replicas: 1,
    purpose: "a bare ReplicaSet (no Deployment): ROS names it after the ReplicaSet",
    rosObject: { type: "replicaset", name: "legacy-cache" },
    containers: [
      {
        name: "memcached",
        image: "docker.io/library/memcached:1.6.29",
        cpuRequest: 0.1,
        cpuLimit: 0.2,
        memoryRequest: 256 * Mi,
        memoryLimit: 256 * Mi,
        cpu: { idle: 0.008, peak: 0.05 },
        memory: { idle: 176 * Mi, peak: 238 * Mi },
        rssRatio: 0.97
      }
    ]
  },
  {
    namespace: "shop-batch",
    kind: "job",
    name: "nightly-report",
    replicas: 1,
    purpose: "a CronJob's Job, one pod a day from 02:00 to 03:00; ROS drops job rows",
    rosObject: undefined,
    containers: [
      {
        name: "report",
        image: "quay.io/acme-shop/report-runner:3.1.4",
        cpuRequest: 1,
        cpuLimit: 2,
        memoryRequest: 1 * Gi,
        memoryLimit: 2 * Gi,
        cpu: { idle: 0.85, peak: 1.6 },
        memory: { idle: 610 * Mi, peak: 905 * Mi },
        rssRatio: 0.94
      }
    ]
  },
  {
    namespace: "platform-tools",
    kind: "daemonset",
    name: "node-exporter",
    replicas: 3,
    purpose: "daemonset, one pod per node, two containers",
    rosObject: { type: "daemonset", name: "node-exporter" },
    containers: [
      {
        name: "node-exporter",
        image: "quay.io/prometheus/node-exporter:v1.8.2",
        cpuRequest: 0.008,
        memoryRequest: 32 * Mi,
        cpu: { idle: 0.004, peak: 0.021 },
        memory: { idle: 24 * Mi, peak: 33 * Mi },
        rssRatio: 0.86
      },
      {
        name: "kube-rbac-proxy",
        image: `quay.io/brancz/kube-rbac-proxy@${sha("kube-rbac-proxy")}`,
        cpuRequest: 0.001,
        cpuLimit: 0.02,
        memoryRequest: 15 * Mi,
        memoryLimit: 40 * Mi,
        cpu: { idle: 0.0004, peak: 0.003 },
        memory: { idle: 13 * Mi, peak: 17 * Mi },
        rssRatio: 0.9
      }
    ]
  },
  {
    namespace: "platform-tools",
    kind: "deploymentconfig",
    name: "eap-app",
    replicas: 2,
    purpose: "OpenShift DeploymentConfig (ReplicationController owner); memory request = limit, no CPU settings",
    rosObject: { type: "deploymentconfig", name: "eap-app" },
    containers: [
      {
        name: "eap-app",
        image: `image-registry.openshift-image-registry.svc:5000/platform-tools/eap-app@${sha("eap-app")}`,
        memoryRequest: 1 * Gi,
        memoryLimit: 1 * Gi,
        cpu: { idle: 0.03, peak: 0.26 },
        memory: { idle: 498 * Mi, peak: 622 * Mi },
        rssRatio: 0.95
      }
    ]
  },
  {
    namespace: "platform-tools",
    kind: "pod",
    name: "debug-shell",
    replicas: 1,
    purpose: "a bare pod (owner <none>, empty workload): ROS drops it",
    rosObject: undefined,
    containers: [
      {
        name: "shell",
        image: "docker.io/library/busybox:1.36",
        cpu: { idle: 0, peak: 0.0008 },
        memory: { idle: 1.5 * Mi, peak: 2.2 * Mi },
        rssRatio: 0.07
      }
    ]
  },
  {
    namespace: "analytics",
    kind: "statefulset",
    name: "kafka",
    replicas: 3,
    purpose: "three-replica statefulset with request = limit for memory",
    rosObject: { type: "statefulset", name: "kafka" },
    volume: { capacity: 100 * Gi, used: 38 * Gi, usedPerReplica: 3 * Gi, growthPerDay: 1.1 * Gi },
    containers: [
      {
        name: "kafka",
        image: "quay.io/strimzi/kafka:0.43.0-kafka-3.8.0",
        cpuRequest: 1,
        cpuLimit: 2,
        memoryRequest: 4 * Gi,
        memoryLimit: 4 * Gi,
        cpu: { idle: 0.18, peak: 1.05 },
        memory: { idle: 2.9 * Gi, peak: 3.55 * Gi },
        rssRatio: 0.62
      }
    ]
  },
  {
    namespace: "analytics",
    kind: "deployment",
    name: "jupyter",
    replicas: 1,
    purpose: "memory-bound notebook pinned just under its 1 GiB limit, plus a git-sync sidecar",
    rosObject: { type: "deployment", name: "jupyter" },
    containers: [
      {
        name: "notebook",
        image: "quay.io/jupyter/scipy-notebook:2024-07-29",
        cpuRequest: 0.5,
        cpuLimit: 1,
        memoryRequest: 1 * Gi,
        memoryLimit: 1 * Gi,
        cpu: { idle: 0.02, peak: 0.58 },
        memory: { idle: 0.86 * Gi, peak: 1.08 * Gi },
        rssRatio: 0.92
      },
      {
        name: "git-sync",
        image: "registry.k8s.io/git-sync/git-sync:v4.2.4",
        cpuRequest: 0.01,
        cpuLimit: 0.05,
        memoryRequest: 16 * Mi,
        memoryLimit: 32 * Mi,
        cpu: { idle: 0.0005, peak: 0.004 },
        memory: { idle: 11 * Mi, peak: 14 * Mi },
        rssRatio: 0.8
      }
    ]
  }
]

// ---------------------------------------------------------------------------------------------------------------
// Scaling the catalogue: M workloads

/**
 * How many copies of a catalogue workload share its namespace before the next copies open a new namespace:
 * copies 1–4 of `frontend` run in `shop-prod`, copies 5–8 in `shop-prod-2`, and so on.
 */
export const CopiesPerNamespace = 4

/** Copy `copy` (1-based) of a catalogue workload: `<name>-<copy>` from the second copy on. */
const copyOf = (base: WorkloadSpec, copy: number): WorkloadSpec => {
  if (copy === 1) return base
  const group = Math.floor((copy - 1) / CopiesPerNamespace)
  const name = `${base.name}-${copy}`
  return {
    ...base,
    name,
    namespace: group === 0 ? base.namespace : `${base.namespace}-${group + 1}`,
    rosObject: base.rosObject === undefined ? undefined : { ...base.rosObject, name }
  }
}

/**
 * The first `count` workloads of the endless catalogue: `Workloads` itself, then `Workloads` again as copy 2
 * (`frontend-2`, `checkout-api-2`, …), copy 3, and so on. Every copy keeps its original's kind, replicas,
 * containers, requests, limits, curves, restart, rollout and purpose, so the mix of patterns (and of rows ROS must
 * drop: the Jobs and the bare pod) is the same at any size. With `count` <= 11 it is the first `count` workloads.
 */
export const workloadCatalog = (count: number): ReadonlyArray<WorkloadSpec> =>
  count === Workloads.length
    ? Workloads
    : Array.from({ length: count }, (_, i) =>
        copyOf(Workloads[i % Workloads.length]!, Math.floor(i / Workloads.length) + 1)
      )

/** The workloads of a sample, in catalogue order. */
export const sampleWorkloads = (options: SampleOptions): ReadonlyArray<WorkloadSpec> =>
  workloadCatalog(options.workloads)

const scaleQuota = (quota: Quota, factor: number): Quota => ({
  cpuRequest: quota.cpuRequest * factor,
  cpuLimit: quota.cpuLimit * factor,
  memoryRequest: quota.memoryRequest * factor,
  memoryLimit: quota.memoryLimit * factor
})

/**
 * The namespaces of a sample: the optimized namespaces that hold at least one of its workloads, in order of first
 * appearance (for the default sample: `Namespaces`' four), then the non-optimized ones of `Namespaces`. A copied
 * namespace (`shop-prod-2`) inherits its original's ResourceQuota; a quota grows with the copies it holds, so
 * that the requests still fit.
 */
export const sampleNamespaces = (options: SampleOptions): ReadonlyArray<NamespaceSpec> => {
  const held = new Map<string, { readonly original: NamespaceSpec | undefined; readonly copies: Set<number> }>()
  sampleWorkloads(options).forEach((w, i) => {
    const copy = Math.floor(i / Workloads.length) + 1
    const entry = held.get(w.namespace)
    if (entry !== undefined) entry.copies.add(copy)
    else {
      const originalName = Workloads[i % Workloads.length]?.namespace
      held.set(w.namespace, { original: Namespaces.find((n) => n.name === originalName), copies: new Set([copy]) })
    }
  })
  const optimized = [...held].map(([name, { original, copies }]): NamespaceSpec => {
    if (original !== undefined && original.name === name && copies.size === 1) return original
    const quota = original?.quota
    return quota === undefined
      ? { name, optimized: true }
      : { name, optimized: true, quota: scaleQuota(quota, copies.size) }
  })
  return [...optimized, ...Namespaces.filter((n) => !n.optimized)]
}

// ---------------------------------------------------------------------------------------------------------------
// Pods

export interface PodInstance {
  readonly workload: WorkloadSpec
  readonly namespace: string
  readonly pod: string
  readonly ownerName: string
  readonly ownerKind: string
  /** Value of the `workload` column. */
  readonly workloadName: string
  /** Value of the `workload_type` column. */
  readonly workloadType: string
  readonly node: NodeSpec
  /** Image per container, index-aligned with `workload.containers`. */
  readonly images: ReadonlyArray<string>
  /** First window (inclusive) and last window (exclusive) with metrics. */
  readonly from: number
  readonly to: number
  /** `pod_labels` of the cost report. */
  readonly labels: string
}

/** Window at which `restartReplica` is replaced: mid-period, 13:30 on a day of 9. */
export const restartWindow = (options: SampleOptions): number => Math.floor(windowCount(options) / 2) + 6
/** Window at which `rolloutImage` takes over; the old pods still report in this one window. */
export const rolloutWindow = (options: SampleOptions): number => Math.floor(windowCount(options) * 0.7)
/** The CronJob runs daily from 02:00 to 03:00 UTC. */
export const JOB_FIRST_WINDOW_OF_DAY = 8
export const JOB_WINDOWS = 4

const nodeFor = (seed: number, ...parts: ReadonlyArray<string | number>): NodeSpec =>
  Nodes[Math.floor(unit(seed, "node", ...parts) * Nodes.length)] ?? Nodes[0]!

const suffix = (seed: number, ...parts: ReadonlyArray<string | number>): string =>
  pick(KubeAlphabet, 5, seed, "pod", ...parts)

const replicaPods = (options: SampleOptions, w: WorkloadSpec): ReadonlyArray<PodInstance> => {
  const { seed } = options
  const n = windowCount(options)
  const images = w.containers.map((c) => c.image)
  const base = {
    workload: w,
    namespace: w.namespace,
    images
  }
  switch (w.kind) {
    case "deployment": {
      const revisions =
        w.rolloutImage === undefined
          ? [{ hash: pick(KubeAlphabet, 9, seed, "rs", w.name, 1), from: 0, to: n, images }]
          : [
              // The old ReplicaSet reports through the rollout window itself: for one window both images run.
              { hash: pick(KubeAlphabet, 9, seed, "rs", w.name, 1), from: 0, to: rolloutWindow(options) + 1, images },
              {
                hash: pick(KubeAlphabet, 10, seed, "rs", w.name, 2),
                from: rolloutWindow(options),
                to: n,
                images: [w.rolloutImage, ...images.slice(1)]
              }
            ]
      return revisions.flatMap((rev) =>
        Array.from({ length: w.replicas }, (_, r): ReadonlyArray<PodInstance> => {
          const owner = `${w.name}-${rev.hash}`
          const pod = (generation: number): PodInstance => ({
            ...base,
            images: rev.images,
            pod: `${owner}-${suffix(seed, owner, r, generation)}`,
            ownerName: owner,
            ownerKind: "ReplicaSet",
            workloadName: w.name,
            workloadType: "deployment",
            node: nodeFor(seed, owner, r, generation),
            from: rev.from,
            to: rev.to,
            labels: `label_app:${w.name}|label_pod_template_hash:${rev.hash}`
          })
          if (w.restartReplica !== r) return [pod(0)]
          // The replaced pod is gone for one window while its successor is scheduled and starts.
          const at = restartWindow(options)
          return [
            { ...pod(0), to: Math.min(at, rev.to) },
            { ...pod(1), from: Math.max(at + 1, rev.from) }
          ]
        }).flat()
      )
    }
    case "deploymentconfig": {
      const owner = `${w.name}-3`
      return Array.from({ length: w.replicas }, (_, r) => ({
        ...base,
        pod: `${owner}-${suffix(seed, owner, r)}`,
        ownerName: owner,
        ownerKind: "ReplicationController",
        workloadName: w.name,
        workloadType: "deploymentconfig",
        node: nodeFor(seed, owner, r),
        from: 0,
        to: n,
        labels: `label_deployment:${owner}|label_deploymentconfig:${w.name}|label_app:${w.name}`
      }))
    }
    case "statefulset":
      return Array.from({ length: w.replicas }, (_, r) => ({
        ...base,
        pod: `${w.name}-${r}`,
        ownerName: w.name,
        ownerKind: "StatefulSet",
        workloadName: w.name,
        workloadType: "statefulset",
        node: nodeFor(seed, w.name, r),
        from: 0,
        to: n,
        labels:
          `label_app:${w.name}|label_controller_revision_hash:${w.name}-${pick(KubeAlphabet, 10, seed, "sts", w.name)}` +
          `|label_statefulset_kubernetes_io_pod_name:${w.name}-${r}`
      }))
    case "daemonset":
      return Nodes.map((node) => ({
        ...base,
        pod: `${w.name}-${suffix(seed, w.name, node.name)}`,
        ownerName: w.name,
        ownerKind: "DaemonSet",
        workloadName: w.name,
        workloadType: "daemonset",
        node,
        from: 0,
        to: n,
        labels: `label_app_kubernetes_io_name:${w.name}|label_controller_revision_hash:${pick(KubeAlphabet, 10, seed, "ds", w.name)}`
      }))
    case "replicaset":
      return Array.from({ length: w.replicas }, (_, r) => ({
        ...base,
        pod: `${w.name}-${suffix(seed, w.name, r)}`,
        ownerName: w.name,
        ownerKind: "ReplicaSet",
        // No Deployment above the ReplicaSet, so the workload relabel finds nothing (spec §2.5's bare-ReplicaSet case).
        workloadName: "<none>",
        workloadType: "replicaset",
        node: nodeFor(seed, w.name, r),
        from: 0,
        to: n,
        labels: `label_app:${w.name}`
      }))
    case "job":
      return Array.from({ length: options.days }, (_, day) => {
        // CronJob controllers name each Job after its scheduled time in minutes since the epoch.
        const scheduled = (startMillis(options) + day * 86_400_000 + JOB_FIRST_WINDOW_OF_DAY * 900_000) / 60_000
        const job = `${w.name}-${scheduled}`
        const from = day * WINDOWS_PER_DAY + JOB_FIRST_WINDOW_OF_DAY
        return {
          ...base,
          pod: `${job}-${suffix(seed, job)}`,
          ownerName: job,
          ownerKind: "Job",
          workloadName: job,
          workloadType: "job",
          node: nodeFor(seed, job),
          from,
          to: from + JOB_WINDOWS,
          labels: `label_batch_kubernetes_io_job_name:${job}|label_job_name:${job}|label_app:${w.name}`
        }
      })
    case "pod":
      return [
        {
          ...base,
          pod: w.name,
          ownerName: "<none>",
          ownerKind: "<none>",
          workloadName: "",
          workloadType: "",
          node: nodeFor(seed, w.name),
          from: 0,
          to: n,
          labels: `label_run:${w.name}`
        }
      ]
  }
}

/** Every pod of the sample, in catalog order. */
export const podInstances = (options: SampleOptions): ReadonlyArray<PodInstance> =>
  sampleWorkloads(options).flatMap((w) => replicaPods(options, w))

// ---------------------------------------------------------------------------------------------------------------
// Usage curves

const dayOfWeek = (options: SampleOptions, windowIndex: number): number =>
  new Date(startMillis(options) + Math.floor(windowIndex / WINDOWS_PER_DAY) * 86_400_000).getUTCDay()

/**
 * Load in [0, 1]: 0 at 04:00 UTC, 1 at 16:00 UTC, sharpened so nights are long and flat; weekends run at 55%.
 */
export const diurnalLoad = (options: SampleOptions, windowIndex: number): number => {
  const hour = ((windowIndex % WINDOWS_PER_DAY) + 0.5) / 4
  const wave = 0.5 - 0.5 * Math.cos((2 * Math.PI * (hour - 4)) / 24)
  const weekday = dayOfWeek(options, windowIndex)
  const weekend = weekday === 0 || weekday === 6 ? 0.55 : 1
  return wave ** 1.5 * weekend
}

export interface ContainerUsage {
  readonly cpuAvg: number
  readonly cpuMin: number
  readonly cpuMax: number
  /** Undefined without a CPU limit: no CFS quota, no throttling metric. */
  readonly throttleAvg: number | undefined
  readonly throttleMin: number | undefined
  readonly throttleMax: number | undefined
  readonly memoryAvg: number
  readonly memoryMin: number
  readonly memoryMax: number
  readonly rssAvg: number
  readonly rssMin: number
  readonly rssMax: number
}

/** One container instance in one window. Pure: the same arguments always give the same numbers. */
export const containerUsage = (
  options: SampleOptions,
  pod: PodInstance,
  container: ContainerSpec,
  windowIndex: number
): ContainerUsage => {
  const u = unitNamer(options.seed, pod.pod, container.name, windowIndex)
  const load = diurnalLoad(options, windowIndex)

  // CPU: demand follows the curve with ±10% noise and a rare burst; a limit caps what the container gets and the
  // shortfall shows up as throttling.
  const spike = u("spike") < 0.01 ? 1.6 : 1
  const demand =
    (container.cpu.idle + (container.cpu.peak - container.cpu.idle) * load) * (0.9 + 0.2 * u("cpu")) * spike
  const limit = container.cpuLimit
  const cpuAvg = round6(limit === undefined ? demand : Math.min(demand, limit * 0.97))
  const cpuMin = floor6(cpuAvg * (0.55 + 0.35 * u("cpuMin")))
  const cpuMax = ceil6(
    Math.min(limit ?? Number.POSITIVE_INFINITY, Math.max(cpuAvg, demand * (1.15 + 0.45 * u("cpuMax"))))
  )
  let throttleAvg: number | undefined
  let throttleMin: number | undefined
  let throttleMax: number | undefined
  if (limit !== undefined) {
    const pressure = demand / limit
    throttleAvg = round6(pressure > 0.6 ? (pressure - 0.6) ** 2 * limit * 0.8 : 0)
    throttleMin = floor6(throttleAvg * 0.4 * u("thrMin"))
    throttleMax = ceil6(throttleAvg * (1.3 + 1.2 * u("thrMax")))
  }

  // Memory: the working set breathes with the load, grows slowly where configured, and stays under its limit (the
  // kernel would OOM-kill it otherwise). min/max are page multiples, avg is a mean over 30 samples.
  const grown = (container.memoryGrowthPerDay ?? 0) * (windowIndex / WINDOWS_PER_DAY)
  const raw =
    (container.memory.idle + (container.memory.peak - container.memory.idle) * Math.sqrt(load) + grown) *
    (0.98 + 0.04 * u("mem"))
  const memLimit = container.memoryLimit
  const memoryAvg = round6(memLimit === undefined ? raw : Math.min(raw, memLimit * 0.985))
  const memoryMin = floorPage(memoryAvg * (1 - 0.03 * u("memMin")))
  const memoryMax = Math.min(memLimit ?? Number.POSITIVE_INFINITY, ceilPage(memoryAvg * (1 + 0.03 * u("memMax"))))
  const rssAvg = round6(memoryAvg * container.rssRatio * (0.99 + 0.02 * u("rss")))
  const rssMin = floorPage(rssAvg * (1 - 0.02 * u("rssMin")))
  const rssMax = ceilPage(rssAvg * (1 + 0.02 * u("rssMax")))
  return {
    cpuAvg,
    cpuMin,
    cpuMax,
    throttleAvg,
    throttleMin,
    throttleMax,
    memoryAvg,
    memoryMin,
    memoryMax,
    rssAvg,
    rssMin,
    rssMax
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Rows

export type ContainerRow = { readonly [K in ContainerTextColumn]: string } & {
  readonly [K in ContainerNumberColumn]: number | undefined
}

export type NamespaceRow = { readonly [K in NamespaceTextColumn]: string } & {
  readonly [K in NamespaceNumberColumn]: number | undefined
}

const round6OrUndefined = (x: number | undefined): number | undefined => (x === undefined ? undefined : round6(x))

export const containerRow = (
  options: SampleOptions,
  pod: PodInstance,
  containerIndex: number,
  windowIndex: number,
  w: Window = window(options, windowIndex)
): ContainerRow => {
  const container = pod.workload.containers[containerIndex]
  if (container === undefined) throw new RangeError(`${pod.pod} has no container #${containerIndex}`)
  const use = containerUsage(options, pod, container, windowIndex)
  const cpuRequest = round6OrUndefined(container.cpuRequest)
  const cpuLimit = round6OrUndefined(container.cpuLimit)
  return {
    report_period_start: w.reportPeriodStart,
    report_period_end: w.reportPeriodEnd,
    interval_start: w.intervalStart,
    interval_end: w.intervalEnd,
    container_name: container.name,
    pod: pod.pod,
    owner_name: pod.ownerName,
    owner_kind: pod.ownerKind,
    workload: pod.workloadName,
    workload_type: pod.workloadType,
    namespace: pod.namespace,
    image_name: pod.images[containerIndex] ?? container.image,
    node: pod.node.name,
    resource_id: pod.node.resourceId,
    // One series per row, so the operator's avg and sum aggregations agree (spec B.5).
    cpu_request_container_avg: cpuRequest,
    cpu_request_container_sum: cpuRequest,
    cpu_limit_container_avg: cpuLimit,
    cpu_limit_container_sum: cpuLimit,
    cpu_usage_container_avg: use.cpuAvg,
    cpu_usage_container_min: use.cpuMin,
    cpu_usage_container_max: use.cpuMax,
    cpu_usage_container_sum: use.cpuAvg,
    cpu_throttle_container_avg: use.throttleAvg,
    cpu_throttle_container_max: use.throttleMax,
    cpu_throttle_container_min: use.throttleMin,
    cpu_throttle_container_sum: use.throttleAvg,
    memory_request_container_avg: container.memoryRequest,
    memory_request_container_sum: container.memoryRequest,
    memory_limit_container_avg: container.memoryLimit,
    memory_limit_container_sum: container.memoryLimit,
    memory_usage_container_avg: use.memoryAvg,
    memory_usage_container_min: use.memoryMin,
    memory_usage_container_max: use.memoryMax,
    memory_usage_container_sum: use.memoryAvg,
    memory_rss_usage_container_avg: use.rssAvg,
    memory_rss_usage_container_min: use.rssMin,
    memory_rss_usage_container_max: use.rssMax,
    memory_rss_usage_container_sum: use.rssAvg,
    // No GPUs in this cluster: the 49-column layout leaves the accelerator cells empty.
    accelerator_model_name: "",
    accelerator_profile_name: "",
    accelerator_core_usage_percentage_min: undefined,
    accelerator_core_usage_percentage_max: undefined,
    accelerator_core_usage_percentage_avg: undefined,
    accelerator_memory_copy_percentage_min: undefined,
    accelerator_memory_copy_percentage_max: undefined,
    accelerator_memory_copy_percentage_avg: undefined,
    accelerator_frame_buffer_usage_min: undefined,
    accelerator_frame_buffer_usage_max: undefined,
    accelerator_frame_buffer_usage_avg: undefined
  }
}

/** Pods reporting in a window, in catalog order. */
export const podsInWindow = (pods: ReadonlyArray<PodInstance>, windowIndex: number): ReadonlyArray<PodInstance> =>
  pods.filter((p) => p.from <= windowIndex && windowIndex < p.to)

/**
 * One window's ROS container rows in file order: pods in catalog order, then containers. `pods` is
 * `podInstances(options)`, passed in so that a caller walking many windows builds it once.
 */
export const containerRowsOfWindow = (
  options: SampleOptions,
  pods: ReadonlyArray<PodInstance>,
  windowIndex: number,
  w: Window = window(options, windowIndex)
): Array<ContainerRow> => {
  const rows: Array<ContainerRow> = []
  for (const pod of podsInWindow(pods, windowIndex)) {
    for (let c = 0; c < pod.workload.containers.length; c++) rows.push(containerRow(options, pod, c, windowIndex, w))
  }
  return rows
}

/**
 * Every ROS container row in file order: window by window (the operator queries one window at a time), then pods
 * in catalog order, then containers.
 */
export const containerRows = (options: SampleOptions): ReadonlyArray<ContainerRow> => {
  const pods = podInstances(options)
  const rows: Array<ContainerRow> = []
  for (let i = 0; i < windowCount(options); i++) {
    for (const row of containerRowsOfWindow(options, pods, i)) rows.push(row)
  }
  return rows
}

const sumDefined = (values: ReadonlyArray<number | undefined>): number | undefined => {
  const present = values.filter((v): v is number => v !== undefined)
  return present.length === 0 ? undefined : round6(present.reduce((a, b) => a + b, 0))
}

/** How many of the CronJob's finished pods are kept (`successfulJobsHistoryLimit`, default 3). */
const JOB_HISTORY = 3

/** Daily Job runs that have completed before window `i` starts. */
const jobsFinishedBefore = (i: number): number => {
  const firstDone = JOB_FIRST_WINDOW_OF_DAY + JOB_WINDOWS
  return i < firstDone ? 0 : Math.floor((i - firstDone) / WINDOWS_PER_DAY) + 1
}

/**
 * The namespace rows of one window, given that window's container rows (in file order): one row per optimized
 * namespace of the sample. Usage columns are sums over the namespace's containers of the per-container avg/min/max
 * (an upper bound of the true namespace max, close enough for a sample); request and limit come from the
 * ResourceQuota; pod counts count distinct pods, plus each CronJob's kept finished Job pods for the total.
 */
export const namespaceRowMaker = (
  options: SampleOptions
): ((windowIndex: number, rowsOfWindow: ReadonlyArray<ContainerRow>, w?: Window) => Array<NamespaceRow>) => {
  const namespaces = sampleNamespaces(options).filter((ns) => ns.optimized)
  const cronJobs = new Map<string, number>()
  for (const wl of sampleWorkloads(options)) {
    if (wl.kind === "job") cronJobs.set(wl.namespace, (cronJobs.get(wl.namespace) ?? 0) + 1)
  }
  return (i, rowsOfWindow, w = window(options, i)) => {
    const byNamespace = new Map<string, Array<ContainerRow>>()
    for (const row of rowsOfWindow) {
      const list = byNamespace.get(row.namespace)
      if (list === undefined) byNamespace.set(row.namespace, [row])
      else list.push(row)
    }
    return namespaces.map((ns): NamespaceRow => {
      const group = byNamespace.get(ns.name) ?? []
      const running = new Set(group.map((r) => r.pod)).size
      const finishedJobs = (cronJobs.get(ns.name) ?? 0) * Math.min(JOB_HISTORY, jobsFinishedBefore(i))
      const total = running + finishedJobs
      return {
        report_period_start: w.reportPeriodStart,
        report_period_end: w.reportPeriodEnd,
        interval_start: w.intervalStart,
        interval_end: w.intervalEnd,
        namespace: ns.name,
        cpu_request_namespace_sum: round6OrUndefined(ns.quota?.cpuRequest),
        cpu_limit_namespace_sum: round6OrUndefined(ns.quota?.cpuLimit),
        cpu_usage_namespace_avg: sumDefined(group.map((r) => r.cpu_usage_container_avg)) ?? 0,
        cpu_usage_namespace_max: sumDefined(group.map((r) => r.cpu_usage_container_max)) ?? 0,
        cpu_usage_namespace_min: sumDefined(group.map((r) => r.cpu_usage_container_min)) ?? 0,
        cpu_throttle_namespace_avg: sumDefined(group.map((r) => r.cpu_throttle_container_avg)),
        cpu_throttle_namespace_max: sumDefined(group.map((r) => r.cpu_throttle_container_max)),
        cpu_throttle_namespace_min: sumDefined(group.map((r) => r.cpu_throttle_container_min)),
        memory_request_namespace_sum: ns.quota?.memoryRequest,
        memory_limit_namespace_sum: ns.quota?.memoryLimit,
        memory_usage_namespace_avg: sumDefined(group.map((r) => r.memory_usage_container_avg)) ?? 0,
        memory_usage_namespace_max: sumDefined(group.map((r) => r.memory_usage_container_max)) ?? 0,
        memory_usage_namespace_min: sumDefined(group.map((r) => r.memory_usage_container_min)) ?? 0,
        memory_rss_usage_namespace_avg: sumDefined(group.map((r) => r.memory_rss_usage_container_avg)) ?? 0,
        memory_rss_usage_namespace_max: sumDefined(group.map((r) => r.memory_rss_usage_container_max)) ?? 0,
        memory_rss_usage_namespace_min: sumDefined(group.map((r) => r.memory_rss_usage_container_min)) ?? 0,
        namespace_running_pods_max: running,
        namespace_running_pods_avg: running,
        namespace_total_pods_max: total,
        namespace_total_pods_avg: total
      }
    })
  }
}

/** Every namespace row in file order: window by window, namespaces in `sampleNamespaces` order. */
export const namespaceRows = (
  options: SampleOptions,
  rows: ReadonlyArray<ContainerRow> = containerRows(options)
): ReadonlyArray<NamespaceRow> => {
  const byWindow = new Map<string, Array<ContainerRow>>()
  for (const row of rows) {
    const list = byWindow.get(row.interval_end)
    if (list === undefined) byWindow.set(row.interval_end, [row])
    else list.push(row)
  }
  const rowsOf = namespaceRowMaker(options)
  const out: Array<NamespaceRow> = []
  for (let i = 0; i < windowCount(options); i++) {
    const w = window(options, i)
    for (const row of rowsOf(i, byWindow.get(w.intervalEnd) ?? [], w)) out.push(row)
  }
  return out
}

// ---------------------------------------------------------------------------------------------------------------
// CSV text

/** Quotes a field the way Go's `encoding/csv` does: only when it holds a comma, quote, CR/LF or a leading space. */
export const csvField = (value: string): string =>
  /[",\r\n]/.test(value) || value.startsWith(" ") ? `"${value.replaceAll('"', '""')}"` : value

/**
 * The operator's number format: `strconv.FormatFloat(v, 'f', 6, 64)`; a missing metric is an empty cell. Whole
 * numbers (the byte counts: requests, limits, page-rounded min/max) skip `toFixed`, whose result they would equal.
 */
export const csvNumber = (value: number | undefined): string =>
  value === undefined ? "" : Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}.000000` : value.toFixed(6)

export const csvLine = (cells: ReadonlyArray<string>): string => `${cells.map(csvField).join(",")}\n`

const isTextContainerColumn = (column: ContainerColumn): column is ContainerTextColumn =>
  (ContainerTextColumns as ReadonlyArray<string>).includes(column)

/**
 * A row's cells in a column order, text cells quoted as needed, number cells formatted (they never need quoting),
 * built in one pass: the hot loop of a large sample.
 */
const lineOf = <R>(columns: ReadonlyArray<readonly [keyof R, boolean]>, row: R): string => {
  let line = ""
  for (let k = 0; k < columns.length; k++) {
    const [column, text] = columns[k]!
    const value = row[column]
    const cell = text ? csvField(value as string) : csvNumber(value as number | undefined)
    line = k === 0 ? cell : `${line},${cell}`
  }
  return `${line}\n`
}

const containerLineColumns = {
  37: ContainerColumns37.map((c) => [c, isTextContainerColumn(c)] as const),
  49: ContainerColumns49.map((c) => [c, isTextContainerColumn(c)] as const)
}

/** `csvLine` of the row's cells in the layout's column order. */
export const containerCsvLine = (row: ContainerRow, layout: ContainerLayout): string =>
  lineOf(containerLineColumns[layout], row)

const NamespaceTextColumns: ReadonlyArray<string> = [
  "report_period_start",
  "report_period_end",
  "interval_start",
  "interval_end",
  "namespace"
] satisfies ReadonlyArray<NamespaceTextColumn>

const isTextNamespaceColumn = (column: NamespaceColumn): column is NamespaceTextColumn =>
  NamespaceTextColumns.includes(column)

const namespaceLineColumns = NamespaceColumns.map((c) => [c, isTextNamespaceColumn(c)] as const)

export const namespaceCsvLine = (row: NamespaceRow): string => lineOf(namespaceLineColumns, row)

/** `YYYYMM` of the monthly file a row belongs to: the month of the hour it was collected in. */
export const rowMonth = (row: { readonly report_period_start: string }): string =>
  `${row.report_period_start.slice(0, 4)}${row.report_period_start.slice(5, 7)}`
