/**
 * The worked test vector of kruize.md §4, as algorithm input: experiment `…|shop|deployment|frontend`, container `app`
 * with 8 intervals (2 pods) and container `istio-proxy` with a single interval.
 */
import type { IntervalResult } from "../../../src/recommender/algorithm/IntervalResult.js"

export const EXPERIMENT_NAME = "7654321|3|9b1c5e2a-1111-4c1e-9f00-5a7c0d2b3e44|shop|deployment|frontend"
export const CLUSTER_NAME = "7654321;9b1c5e2a-1111-4c1e-9f00-5a7c0d2b3e44"
export const INTERVAL_END_TIME_MS = Date.parse("2026-06-01T11:45:00.000Z")

const FIFTEEN_MINUTES = 15 * 60_000
const CPU_MAX = [1.12, 1.25, 1.05, 1.61, 1.35, 1.18, 1.42, 1.2]

export const appIntervals: ReadonlyArray<IntervalResult> = CPU_MAX.map((max, i) => {
  const endMs = Date.parse("2026-06-01T10:00:00.000Z") + i * FIFTEEN_MINUTES
  const avg = 0.6 * max
  return {
    startMs: endMs - FIFTEEN_MINUTES,
    endMs,
    metrics: {
      cpuRequest: { sum: 3.0, avg: 1.5, format: "cores" },
      cpuLimit: { sum: 4.0, avg: 2.0, format: "cores" },
      cpuUsage: { min: 0.05, max, sum: 2 * avg, avg, format: "cores" },
      cpuThrottle: { max: 0.02, sum: 0.02, avg: 0.01, format: "cores" },
      memoryRequest: { sum: 1073741824, avg: 536870912, format: "bytes" },
      memoryLimit: { sum: 2147483648, avg: 1073741824, format: "bytes" },
      memoryUsage: { min: 300e6 + 1e6 * i, max: 420e6 + 2e6 * i, sum: 760e6, avg: 380e6, format: "bytes" },
      memoryRSS: { min: 280e6, max: 400e6 + 2e6 * i, format: "bytes" }
    }
  }
})

export const istioIntervals: ReadonlyArray<IntervalResult> = [
  {
    startMs: INTERVAL_END_TIME_MS - FIFTEEN_MINUTES,
    endMs: INTERVAL_END_TIME_MS,
    metrics: {
      cpuRequest: { sum: 0.2, avg: 0.1, format: "cores" },
      cpuUsage: { min: 0.01, max: 0.03, sum: 0.04, avg: 0.02, format: "cores" },
      memoryRequest: { sum: 268435456, avg: 134217728, format: "bytes" },
      memoryUsage: { min: 60e6, max: 70e6, sum: 130e6, avg: 65e6, format: "bytes" },
      memoryRSS: { min: 50e6, max: 60e6, sum: 110e6, avg: 55e6, format: "bytes" }
    }
  }
]
