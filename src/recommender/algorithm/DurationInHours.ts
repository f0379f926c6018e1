/**
 * `duration_in_hours` of a term (kruize.md §3.9, `Terms.setDurationBasedOnTerm`): the summed length of **all** loaded
 * intervals of the container (the whole 15-day window, not the term window: quirk §3.14 #6, kept because ROS stores
 * and shows it), capped at the term's maximum, in hours.
 */
import { plainDecimal } from "../../../schema/kruize/RecommendationJson.js"
import { MS_PER_MINUTE } from "./Constants.js"
import type { ExperimentType, IntervalResult } from "./IntervalResult.js"

/**
 * Java's `Double.parseDouble(String.format("%.Nf", x))`: Formatter rounds HALF_UP on the shortest decimal digits of
 * `x` (not on its exact binary value), so 2.675 → 2.68 and 0.15 → 0.2 at one digit.
 */
export const roundHalfUp = (x: number, digits: number): number => {
  const text = plainDecimal(Math.abs(x))
  const dot = text.indexOf(".")
  if (dot < 0 || text.length - dot - 1 <= digits) return x
  const kept = text.slice(0, dot) + text.slice(dot + 1, dot + 1 + digits)
  const roundUp = text.charCodeAt(dot + 1 + digits) >= 53 // "5"
  const scaled = (BigInt(kept) + (roundUp ? 1n : 0n)).toString().padStart(digits + 1, "0")
  const rounded = Number(`${scaled.slice(0, scaled.length - digits)}.${scaled.slice(scaled.length - digits)}`)
  return x < 0 ? -rounded : rounded
}

/** Σ (end − start) in fractional minutes over the loaded intervals. */
export const totalDurationMinutes = (intervals: ReadonlyArray<IntervalResult>): number => {
  let sum = 0
  for (const interval of intervals) sum += (interval.endMs - interval.startMs) / MS_PER_MINUTE
  return sum
}

/**
 * Containers: cap, divide, round to 2 decimals half-up. Namespaces (`setDurationBasedOnTermNamespace`): minutes
 * rounded to 1 decimal before the cap, hours not rounded (kruize.md §3.9).
 */
export const durationInHours = (type: ExperimentType, totalMinutes: number, maxHours: number): number => {
  const maxMinutes = maxHours * 60
  if (type === "namespace") {
    const minutes = roundHalfUp(totalMinutes, 1)
    return Math.min(minutes, maxMinutes) / 60
  }
  return roundHalfUp(Math.min(totalMinutes, maxMinutes) / 60, 2)
}
