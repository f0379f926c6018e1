/**
 * Whether a `rosocp.kruize.recommendations` message should ask the engine for fresh recommendations (spec
 * ros-ocp-backend §3.8 step 3), exactly as upstream's poller decides it (`PollForRecommendations`,
 * `utils.NeedRecommOnFirstOfMonth`), in UTC:
 * - nothing stored for the workload: "new";
 * - stored `monitoring_end_time` T is Go's zero time (0001-01-01T00:00:00Z): "zero_time" (upstream commits the
 *   message and logs a warning, and never refreshes that workload again);
 * - whole hours from T to Max_endtime_report ≥ RECOMMENDATION_POLL_INTERVAL_HOURS, or Max_endtime_report is on the
 *   1st of a month and its date is after T's date: "update";
 * - otherwise "not_due" (commit and skip).
 */
import { Option } from "effect"

export type RefreshDecision = "new" | "update" | "not_due" | "zero_time"

/** RECOMMENDATION_POLL_INTERVAL_HOURS upstream default. */
export const DEFAULT_POLL_INTERVAL_HOURS = 24

/** Go's zero `time.Time`, as epoch ms. */
export const GO_ZERO_TIME_MS = Date.parse("0001-01-01T00:00:00.000Z")

const MS_PER_HOUR = 3_600_000
// A Go time.Duration saturates at ±(2^63 − 1) ns, i.e. ±2562047 whole hours.
const MAX_DURATION_HOURS = 2_562_047

/**
 * `int(max.Sub(t).Hours())`: whole hours from `from` to `to`, truncated toward zero (not floored), so −1.5 h is −1.
 */
export const wholeHoursBetween = (from: Date, to: Date): number => {
  const ms = to.getTime() - from.getTime()
  // integer arithmetic: the remainder keeps the dividend's sign, so this truncates toward zero
  const hours = (ms - (ms % MS_PER_HOUR)) / MS_PER_HOUR
  return Math.max(-MAX_DURATION_HOURS, Math.min(MAX_DURATION_HOURS, hours))
}

const MS_PER_DAY = 86_400_000
// The UTC calendar day as a day number (Date.UTC would map years 0–99 to the 1900s).
const utcDay = (d: Date) => Math.floor(d.getTime() / MS_PER_DAY)

/** `NeedRecommOnFirstOfMonth(T, max)`: max falls on the 1st of a month and on a later calendar day than T. */
export const needRecommendationOnFirstOfMonth = (storedEndTime: Date, maxEndtimeReport: Date): boolean =>
  maxEndtimeReport.getUTCDate() === 1 && utcDay(maxEndtimeReport) > utcDay(storedEndTime)

export const refreshDue = (
  maxEndtimeReport: Date,
  storedMonitoringEndTime: Option.Option<Date>,
  pollIntervalHours: number = DEFAULT_POLL_INTERVAL_HOURS
): RefreshDecision => {
  if (Option.isNone(storedMonitoringEndTime)) return "new"
  const stored = storedMonitoringEndTime.value
  if (stored.getTime() === GO_ZERO_TIME_MS) return "zero_time"
  return wholeHoursBetween(stored, maxEndtimeReport) >= pollIntervalHours ||
    needRecommendationOnFirstOfMonth(stored, maxEndtimeReport)
    ? "update"
    : "not_due"
}
