/**
 * Memory request (= memory limit) of one model for one term (kruize.md §3.6, `getMemoryRequestRecommendation`):
 * peak working set + min(20 % of it, 105 % of the largest in-interval spread of usage or RSS). Same operation order
 * as Kruize so the binary64 result is identical.
 */
import { MEM_SPIKE_BUFFER_DECIMAL, MEM_USAGE_BUFFER_DECIMAL } from "./Constants.js"
import type { NotificationCode } from "./Notifications.js"

export type MemoryRecommendation =
  | { readonly _tag: "Recommended"; readonly amount: number }
  | { readonly _tag: "Suppressed"; readonly notice: NotificationCode }

/** `usage` = percentile of the y_i, `spike` = percentile of the spike_i (both p100 for every model). */
export const memoryRecommendation = (usage: number, spike: number): MemoryRecommendation => {
  const usageBuffered = usage + usage * MEM_USAGE_BUFFER_DECIMAL
  const spikeBuffered = spike + spike * MEM_SPIKE_BUFFER_DECIMAL
  const memory = Math.min(usageBuffered, usage + spikeBuffered)
  if (memory === 0) return { _tag: "Suppressed", notice: 324001 }
  return { _tag: "Recommended", amount: memory }
}
