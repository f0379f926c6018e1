/**
 * CPU request (= CPU limit) of one model for one term (kruize.md §3.5, `getCPURequestRecommendation`).
 */
import { CPU_ONE_CORE, CPU_ONE_MILLICORE } from "./Constants.js"
import type { NotificationCode } from "./Notifications.js"
import { percentile } from "./Percentile.js"

export type CpuRecommendation =
  | { readonly _tag: "Recommended"; readonly amount: number }
  | { readonly _tag: "Suppressed"; readonly notice: NotificationCode }

/**
 * `sortedCpu`: the term's per-interval CPU figures x_i, ascending, non-empty. When even the peak interval stays below
 * one core the recommendation is that peak for every model (so cost == performance, quirk §3.14 #8); otherwise the
 * model's percentile (60 cost, 98 performance).
 */
export const cpuRecommendation = (sortedCpu: Float64Array, cpuPercentile: number): CpuRecommendation => {
  const peak = sortedCpu[sortedCpu.length - 1]!
  const cpu = CPU_ONE_CORE > peak ? peak : percentile(sortedCpu, cpuPercentile)
  // Kruize compares with Double.equals, for which −0.0 is not zero (it then falls into the millicore branch).
  if (Object.is(cpu, 0)) return { _tag: "Suppressed", notice: 323002 }
  if (CPU_ONE_MILLICORE >= cpu) return { _tag: "Suppressed", notice: 323001 }
  return { _tag: "Recommended", amount: cpu }
}
