/**
 * Minimum-data check of a term (kruize.md §3.4, `Terms.checkIfMinDataAvailableForTerm`; identical for namespaces).
 *
 * Walks back from the monitoring end time E in steps of one measurement duration while the cursor is after E − days;
 * a step "has data" when a result ends within ±30 s of the cursor, and each hit counts one measurement duration. The
 * term passes when the counted minutes reach `minDatapoints × duration − 0.5`, i.e. ≥ 2 / 192 / 768 hits.
 *
 * Kruize quirk kept on purpose (§3.14 #5) so borderline experiments get the same verdict: a hit that is Δ whole seconds
 * off its slot (Δ = cursor − end, truncated) lengthens every later step by Δ. With aligned data Δ = 0 and this is the
 * plain count of distinct end times in (E − days, E].
 */
import { MEASUREMENT_DURATION_BUFFER_IN_MINS, MEASUREMENT_DURATION_THRESHOLD_MS, MS_PER_DAY } from "./Constants.js"
import { firstAtOrAfter } from "./IntervalSeries.js"

/**
 * Whole seconds from the matching end time to `cursor` (Java long division truncates towards zero), or undefined when
 * no end time is within ±30 s. Kruize takes the first match of a HashSet walk; we take the nearest, which is the same
 * whenever results are more than 30 s apart (always, after updateResults validation).
 */
const driftToMatch = (endMs: Float64Array, cursor: number): number | undefined => {
  const at = firstAtOrAfter(endMs, cursor)
  let best: number | undefined
  if (at < endMs.length) best = cursor - endMs[at]!
  if (at > 0) {
    const before = cursor - endMs[at - 1]!
    if (best === undefined || Math.abs(before) < Math.abs(best)) best = before
  }
  if (best === undefined || Math.abs(best) > MEASUREMENT_DURATION_THRESHOLD_MS) return undefined
  return Math.trunc(best / 1000)
}

/** Number of slots of the walk that found a result (exported for tests of the boundaries). */
export const matchedSlots = (
  endMs: Float64Array,
  monitoringEndMs: number,
  days: number,
  measurementDurationMinutes: number
): number => {
  const startMs = monitoringEndMs - days * MS_PER_DAY
  let stepSeconds = measurementDurationMinutes * 60
  let hits = 0
  for (let cursor = monitoringEndMs; cursor > startMs; cursor -= Math.trunc(stepSeconds) * 1000) {
    const drift = driftToMatch(endMs, cursor)
    if (drift !== undefined) {
      stepSeconds += drift
      hits++
    }
    // Kruize would loop forever on a non-positive step; stop instead.
    if (Math.trunc(stepSeconds) <= 0) break
  }
  return hits
}

export const hasMinimumData = (
  endMs: Float64Array,
  monitoringEndMs: number,
  term: { readonly days: number; readonly minDatapoints: number },
  measurementDurationMinutes: number
): boolean => {
  if (endMs.length === 0) return false
  const sum = matchedSlots(endMs, monitoringEndMs, term.days, measurementDurationMinutes) * measurementDurationMinutes
  const thresholdInDays = (measurementDurationMinutes * term.minDatapoints) / 1440
  const lowerBound = thresholdInDays * 24 * 60 - MEASUREMENT_DURATION_BUFFER_IN_MINS
  return sum >= lowerBound
}
