/**
 * Metric names and formats accepted by `/updateResults` (kruize.md §2.1, §2.5, §2.6 step 7).
 */
import { Schema } from "effect"

/**
 * Kruize's `AnalyzerConstants.MetricName`, in declaration order (the order `Arrays.toString` prints in the
 * "Metric variable name should be among these values" message).
 */
export const metricNames = [
  "cpuRequest",
  "cpuLimit",
  "cpuUsage",
  "cpuThrottle",
  "memoryRequest",
  "memoryLimit",
  "memoryUsage",
  "memoryRSS",
  "maxDate",
  "namespaceCpuRequest",
  "namespaceCpuLimit",
  "namespaceCpuUsage",
  "namespaceCpuThrottle",
  "namespaceMemoryRequest",
  "namespaceMemoryLimit",
  "namespaceMemoryUsage",
  "namespaceMemoryRSS",
  "namespaceTotalPods",
  "namespaceRunningPods",
  "namespaceMaxDate",
  "acceleratorCoreUsage",
  "acceleratorMemoryUsage",
  "acceleratorFrameBufferUsage",
  "jvmInfo",
  "jvmInfoTotal"
] as const

export const MetricName = Schema.Literal(...metricNames)
export type MetricName = typeof MetricName.Type

export const isMetricName = Schema.is(MetricName)

/** A container record must carry these (§2.6 step 7). */
export const containerMandatoryMetrics = ["cpuUsage", "memoryUsage", "memoryRSS"] as const
/** A namespace record must carry these (§2.6 step 7). */
export const namespaceMandatoryMetrics = ["namespaceCpuUsage", "namespaceMemoryUsage", "namespaceMemoryRSS"] as const

/** Pod counts carry no unit, so their `format` is not checked (`PerformanceProfileUtil.METRICS_WITHOUT_EXPLICIT_FORMAT`). */
export const metricsWithoutFormat: ReadonlySet<string> = new Set(["namespaceTotalPods", "namespaceRunningPods"])

/** `KruizeSupportedTypes.SUPPORTED_FORMATS` (case-sensitive). */
export const supportedFormats: ReadonlySet<string> = new Set([
  "percentage",
  "cores",
  "m",
  "Bytes",
  "bytes",
  "KiB",
  "MiB",
  "GiB",
  "TiB",
  "PiB",
  "EiB",
  "Ki",
  "Mi",
  "Gi",
  "Ti",
  "Pi",
  "Ei",
  "kB",
  "KB",
  "MB",
  "GB",
  "TB",
  "PB",
  "EB",
  "K",
  "k",
  "M",
  "G",
  "T",
  "P",
  "E"
])

/**
 * `SUPPORTED_FORMATS.toString()` as Kruize prints it: a Java `HashSet` of these 31 strings iterates in bucket order
 * (`(h ^ h >>> 16) & 63` of `String.hashCode`), not in declaration order. Reproduced from that rule; a test checks it
 * holds the same set as {@link supportedFormats}.
 */
export const supportedFormatsInJavaOrder =
  "[GiB, Gi, Ei, KiB, E, MiB, G, PiB, K, TiB, M, P, Bytes, cores, T, Ti, MB, percentage, KB, Pi, GB, EB, k, m, TB, PB, bytes, kB, Mi, Ki, EiB]"

/** Numeric `aggregation_info` keys (`MetricAggregationInfoResults`). */
export const aggregateKeys = ["avg", "sum", "min", "max", "count", "median", "mode", "range"] as const
export type AggregateKey = (typeof aggregateKeys)[number]

/**
 * The order Kruize checks `aggregation_info` entries in, stopping at the first bad one: the iteration order of the
 * Java `HashMap` built from the getters (`PerformanceProfileUtil.convertObjectToMap`), `format` included.
 */
export const aggregationInfoCheckOrder = [
  "mode",
  "avg",
  "min",
  "median",
  "max",
  "count",
  "format",
  "range",
  "sum"
] as const satisfies ReadonlyArray<AggregateKey | "format">
