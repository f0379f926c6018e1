/**
 * One engine object (`recommendation_engines.cost` / `.performance`) of a term (kruize.md §3.7,
 * `RecommendationEngine.populateRecommendation`): config, variation, optimisation threshold, pods and notifications.
 *
 * Deliberate deviation (design.md §7, quirk §3.14 #4): requests and limits are separate objects, so when the threshold
 * snaps the CPU request to the current request the CPU limit keeps its own value (and vice versa).
 *
 * Not emitted because unreachable here: Kruize re-validates the current items (223002/223004, already filtered by
 * CurrentConfig) and the term hours (221003/221004, terms are fixed at 1/7/15 days).
 */
import type {
  EngineRecommendation,
  RecommendationConfigItem,
  ResourceConfig,
  ResourceItems
} from "../../../schema/kruize/Recommendation.js"
import { type NotificationCode, notificationMap } from "./Notifications.js"

export interface EngineInput {
  /** recommended CPU amount, undefined when the model suppressed it (323001/323002 in `notices`) */
  readonly cpu: number | undefined
  /** `getFormatValue` of the CPU usage metric over the term (see IntervalSeries.formatOf) */
  readonly cpuFormat: string | undefined
  readonly memory: number | undefined
  readonly memoryFormat: string | undefined
  /** notices raised while computing the amounts (323001, 323002, 324001) */
  readonly notices: ReadonlyArray<NotificationCode>
  /** the validated current configuration of the timestamp (every amount > 0) */
  readonly current: ResourceConfig
  readonly podsCount: number
  /** optimisation threshold in percent (> 0) */
  readonly threshold: number
}

interface Mutable {
  amount: number
  format: string
}

/** Kruize's `CommonUtils.getPercentage(new, old)` made absolute. */
const percentChange = (recommended: number, current: number): number =>
  Math.abs(((recommended - current) / current) * 100)

const resourceItems = (cpu: Mutable | undefined, memory: Mutable | undefined): ResourceItems | undefined => {
  if (cpu === undefined && memory === undefined) return undefined
  const items: { cpu?: RecommendationConfigItem; memory?: RecommendationConfigItem } = {}
  if (cpu !== undefined) items.cpu = cpu
  if (memory !== undefined) items.memory = memory
  return items
}

const resourceConfig = (requests: ResourceItems | undefined, limits: ResourceItems | undefined): ResourceConfig => {
  const config: { requests?: ResourceItems; limits?: ResourceItems } = {}
  if (requests !== undefined) config.requests = requests
  if (limits !== undefined) config.limits = limits
  return config
}

interface Resource {
  readonly config: { readonly request: Mutable | undefined; readonly limit: Mutable | undefined }
  readonly variation: { readonly request: Mutable | undefined; readonly limit: Mutable | undefined }
}

/**
 * Config and variation entries of one resource. An amount ≤ 0 is dropped silently; a missing or empty format drops
 * the config entries with `formatMissing`, yet an empty (non-null) format still yields variation entries, as in Kruize.
 */
const resource = (
  amount: number | undefined,
  format: string | undefined,
  currentRequest: number | undefined,
  currentLimit: number | undefined,
  formatMissing: NotificationCode,
  notices: Array<NotificationCode>
): Resource => {
  if (amount === undefined || amount <= 0) {
    return { config: { request: undefined, limit: undefined }, variation: { request: undefined, limit: undefined } }
  }
  const available = format !== undefined && format !== ""
  if (!available) notices.push(formatMissing)
  const entry = (value: number): Mutable | undefined => (format === undefined ? undefined : { amount: value, format })
  return {
    config: {
      request: available ? { amount, format } : undefined,
      limit: available ? { amount, format } : undefined
    },
    variation: {
      request: entry(amount - (currentRequest ?? 0)),
      limit: entry(amount - (currentLimit ?? 0))
    }
  }
}

/** Snap one config entry to its current value when within the threshold (percent). */
const optimise = (
  config: Mutable | undefined,
  variation: Mutable | undefined,
  current: number | undefined,
  threshold: number,
  notice: NotificationCode,
  notices: Array<NotificationCode>
): void => {
  if (config === undefined || current === undefined || !(current > 0)) return
  if (percentChange(config.amount, current) <= threshold) {
    config.amount = current
    if (variation !== undefined) variation.amount = 0
    notices.push(notice)
  }
}

export const engineRecommendation = (input: EngineInput): EngineRecommendation => {
  const notices: Array<NotificationCode> = [...input.notices]
  const currentCpuRequest = input.current.requests?.cpu?.amount
  const currentCpuLimit = input.current.limits?.cpu?.amount
  const currentMemoryRequest = input.current.requests?.memory?.amount
  const currentMemoryLimit = input.current.limits?.memory?.amount

  const cpu = resource(input.cpu, input.cpuFormat, currentCpuRequest, currentCpuLimit, 223003, notices)
  const memory = resource(input.memory, input.memoryFormat, currentMemoryRequest, currentMemoryLimit, 224003, notices)

  if (input.podsCount === 0) notices.push(221001)
  else if (input.podsCount < 0) notices.push(221002)

  optimise(cpu.config.request, cpu.variation.request, currentCpuRequest, input.threshold, 323004, notices)
  optimise(cpu.config.limit, cpu.variation.limit, currentCpuLimit, input.threshold, 323005, notices)
  optimise(memory.config.request, memory.variation.request, currentMemoryRequest, input.threshold, 324003, notices)
  optimise(memory.config.limit, memory.variation.limit, currentMemoryLimit, input.threshold, 324004, notices)

  return {
    pods_count: input.podsCount,
    confidence_level: 0,
    config: resourceConfig(
      resourceItems(cpu.config.request, memory.config.request),
      resourceItems(cpu.config.limit, memory.config.limit)
    ),
    variation: resourceConfig(
      resourceItems(cpu.variation.request, memory.variation.request),
      resourceItems(cpu.variation.limit, memory.variation.limit)
    ),
    notifications: notificationMap(notices)
  }
}
