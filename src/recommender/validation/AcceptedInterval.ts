/**
 * One accepted `/updateResults` record → compact per-container (or per-namespace) interval records: epoch-ms bounds and,
 * per metric, only the aggregates that were sent (numeric strings already numbers, null aggregates absent, never
 * zero-filled). This is the shape the experiment's in-memory window keeps and the algorithm's input is mapped from.
 *
 * Validation guarantees what the types promise: the mandatory usage metrics are present, every number is finite and
 * ≥ 0, container names are non-blank. Metrics the algorithm never reads (maxDate, jvm*, accelerator metadata) are
 * dropped; a container listed twice in one record keeps its last entry, as Kruize's map by container name does.
 */
import { type AggregateKey, aggregateKeys } from "../../../schema/kruize/MetricName.js"
import type { ResultMetric } from "../../../schema/kruize/Results.js"
import type { AcceptedResult } from "./UpdateResultsValidation.js"

/** `aggregation_info` of one metric in one interval; absent aggregates are absent. */
export type Aggregates = { readonly [K in AggregateKey]?: number } & { readonly format?: string }

export const optionalContainerMetrics = [
  "cpuRequest",
  "cpuLimit",
  "cpuThrottle",
  "memoryRequest",
  "memoryLimit",
  "acceleratorCoreUsage",
  "acceleratorMemoryUsage",
  "acceleratorFrameBufferUsage"
] as const
export type OptionalContainerMetric = (typeof optionalContainerMetrics)[number]

/** Usage metrics are mandatory in every accepted container record; requests, limits and throttle are optional. */
export type ContainerMetrics = {
  readonly cpuUsage: Aggregates
  readonly memoryUsage: Aggregates
  readonly memoryRSS: Aggregates
} & { readonly [K in OptionalContainerMetric]?: Aggregates }

export const optionalNamespaceMetrics = [
  "namespaceCpuRequest",
  "namespaceCpuLimit",
  "namespaceCpuThrottle",
  "namespaceMemoryRequest",
  "namespaceMemoryLimit",
  "namespaceTotalPods",
  "namespaceRunningPods"
] as const
export type OptionalNamespaceMetric = (typeof optionalNamespaceMetrics)[number]

export type NamespaceMetrics = {
  readonly namespaceCpuUsage: Aggregates
  readonly namespaceMemoryUsage: Aggregates
  readonly namespaceMemoryRSS: Aggregates
} & { readonly [K in OptionalNamespaceMetric]?: Aggregates }

export interface ContainerInterval {
  readonly _tag: "ContainerInterval"
  readonly experimentName: string
  readonly containerName: string
  readonly containerImageName?: string
  /** interval_start_time, epoch ms */
  readonly startMs: number
  /** interval_end_time, epoch ms: the interval's key */
  readonly endMs: number
  readonly metrics: ContainerMetrics
}

export interface NamespaceInterval {
  readonly _tag: "NamespaceInterval"
  readonly experimentName: string
  readonly namespace: string
  readonly startMs: number
  readonly endMs: number
  readonly metrics: NamespaceMetrics
}

export type AcceptedInterval = ContainerInterval | NamespaceInterval

const toAggregates = (metric: ResultMetric): Aggregates => {
  const info = metric.results?.aggregation_info
  const out: { -readonly [K in AggregateKey]?: number } & { format?: string } = {}
  if (info === undefined) return out
  for (const key of aggregateKeys) {
    const value = info[key]
    if (value !== undefined) out[key] = value
  }
  if (info.format !== undefined) out.format = info.format
  return out
}

const byName = (metrics: ReadonlyArray<ResultMetric> | undefined): ReadonlyMap<string, Aggregates> =>
  new Map((metrics ?? []).flatMap((m) => (m.name === undefined ? [] : [[m.name, toAggregates(m)] as const])))

const pick = <K extends string>(
  aggregates: ReadonlyMap<string, Aggregates>,
  names: ReadonlyArray<K>
): { readonly [P in K]?: Aggregates } => {
  const out: { [P in K]?: Aggregates } = {}
  for (const name of names) {
    const value = aggregates.get(name)
    if (value !== undefined) out[name] = value
  }
  return out
}

/** The interval records of one accepted result: one per container, or one for the namespace. */
export const toAcceptedIntervals = (result: AcceptedResult): ReadonlyArray<AcceptedInterval> => {
  const { experimentName, startMs, endMs, kubernetesObject } = result
  if (result.experimentType === "namespace") {
    const ns = kubernetesObject.namespaces
    if (ns === undefined || ns.namespace === undefined) return []
    const aggregates = byName(ns.metrics)
    return [
      {
        _tag: "NamespaceInterval",
        experimentName,
        namespace: ns.namespace,
        startMs,
        endMs,
        metrics: {
          namespaceCpuUsage: aggregates.get("namespaceCpuUsage") ?? {},
          namespaceMemoryUsage: aggregates.get("namespaceMemoryUsage") ?? {},
          namespaceMemoryRSS: aggregates.get("namespaceMemoryRSS") ?? {},
          ...pick(aggregates, optionalNamespaceMetrics)
        }
      }
    ]
  }
  const containers = new Map<string, ContainerInterval>()
  for (const container of kubernetesObject.containers ?? []) {
    const containerName = container.container_name
    if (containerName === undefined) continue
    const aggregates = byName(container.metrics)
    containers.set(containerName, {
      _tag: "ContainerInterval",
      experimentName,
      containerName,
      ...(container.container_image_name === undefined ? {} : { containerImageName: container.container_image_name }),
      startMs,
      endMs,
      metrics: {
        cpuUsage: aggregates.get("cpuUsage") ?? {},
        memoryUsage: aggregates.get("memoryUsage") ?? {},
        memoryRSS: aggregates.get("memoryRSS") ?? {},
        ...pick(aggregates, optionalContainerMetrics)
      }
    })
  }
  return [...containers.values()]
}
