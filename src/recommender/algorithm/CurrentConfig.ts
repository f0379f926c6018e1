/**
 * `current` of a timestamp (kruize.md §3.3): the requests and limits of the interval ending at E, each validated the
 * way `RecommendationUtils.getCurrentValue` + `validateConfigItem` do, with the timestamp-level notifications they
 * raise. Containers read `aggregation_info.avg` (per pod), namespaces `sum`.
 */
import type { RecommendationConfigItem, ResourceConfig, ResourceItems } from "../../../schema/kruize/Recommendation.js"
import type { ExperimentMetrics } from "./ExperimentMetrics.js"
import type { IntervalResult, MetricName } from "./IntervalResult.js"
import type { NotificationCode } from "./Notifications.js"

export interface CurrentConfig {
  readonly current: ResourceConfig
  readonly notifications: ReadonlyArray<NotificationCode>
}

interface Check {
  /** metric absent, or its amount aggregate absent: "…Not Set" + "Amount field is missing…" */
  readonly notSet: readonly [NotificationCode, NotificationCode]
  readonly formatMissing: NotificationCode
  readonly invalidAmount: NotificationCode
  readonly invalidFormat: NotificationCode
}

const cpuChecks = (notSet: NotificationCode): Check => ({
  notSet: [notSet, 223001],
  formatMissing: 223003,
  invalidAmount: 223002,
  invalidFormat: 223004
})

const memoryChecks = (notSet: NotificationCode): Check => ({
  notSet: [notSet, 224001],
  formatMissing: 224003,
  invalidAmount: 224002,
  invalidFormat: 224004
})

/** Java's `Character.isWhitespace`: unlike JS `trim`, the no-break spaces U+00A0, U+2007 and U+202F are not blank. */
const isJavaWhitespace = (c: number): boolean =>
  (c >= 0x09 && c <= 0x0d) ||
  (c >= 0x1c && c <= 0x20) ||
  c === 0x1680 ||
  (c >= 0x2000 && c <= 0x2006) ||
  (c >= 0x2008 && c <= 0x200a) ||
  c === 0x2028 ||
  c === 0x2029 ||
  c === 0x205f ||
  c === 0x3000

/** Java's `String.isBlank` (true for ""). */
export const isJavaBlank = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (!isJavaWhitespace(s.charCodeAt(i))) return false
  return true
}

const item = (
  interval: IntervalResult,
  metric: MetricName,
  aggregate: "avg" | "sum",
  check: Check,
  notifications: Array<NotificationCode>
): RecommendationConfigItem | undefined => {
  const aggregates = interval.metrics[metric]
  const amount = aggregates?.[aggregate]
  if (amount === undefined) {
    notifications.push(...check.notSet)
    return undefined
  }
  const format = aggregates?.format
  if (format === undefined) {
    notifications.push(check.formatMissing)
    return undefined
  }
  if (amount <= 0) {
    notifications.push(check.invalidAmount)
    return undefined
  }
  if (isJavaBlank(format)) {
    notifications.push(check.invalidFormat)
    return undefined
  }
  return { amount, format }
}

const items = (cpu: RecommendationConfigItem | undefined, memory: RecommendationConfigItem | undefined) => {
  if (cpu === undefined && memory === undefined) return undefined
  const result: { cpu?: RecommendationConfigItem; memory?: RecommendationConfigItem } = {}
  if (cpu !== undefined) result.cpu = cpu
  if (memory !== undefined) result.memory = memory
  return result satisfies ResourceItems
}

/** `interval` is the one whose end is the monitoring end time E. */
export const currentConfig = (interval: IntervalResult, metrics: ExperimentMetrics): CurrentConfig => {
  const notifications: Array<NotificationCode> = []
  const aggregate = metrics.currentAggregate
  const cpuRequest = item(interval, metrics.cpuRequest, aggregate, cpuChecks(523001), notifications)
  const memoryRequest = item(interval, metrics.memoryRequest, aggregate, memoryChecks(524001), notifications)
  const cpuLimit = item(interval, metrics.cpuLimit, aggregate, cpuChecks(423001), notifications)
  const memoryLimit = item(interval, metrics.memoryLimit, aggregate, memoryChecks(524002), notifications)
  const requests = items(cpuRequest, memoryRequest)
  const limits = items(cpuLimit, memoryLimit)
  const current: { requests?: ResourceItems; limits?: ResourceItems } = {}
  if (requests !== undefined) current.requests = requests
  if (limits !== undefined) current.limits = limits
  return { current, notifications }
}
