/**
 * Latency of `recommend` for one container holding 15 days of 15-minute results (1,440 intervals, every term
 * available), and the heap cost of keeping such a window in memory. Figures only, no assertions.
 *
 *   node --import tsx bench/algorithm.ts [iterations]
 */
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { encodeListRecommendations } from "../schema/kruize/RecommendationJson.js"
import type { IntervalResult } from "../src/recommender/algorithm/IntervalResult.js"
import { containerExperimentEntry } from "../src/recommender/algorithm/ListRecommendationsEntry.js"
import { recommend } from "../src/recommender/algorithm/Recommend.js"
import { recordFigure } from "./figures.js"

const ITERATIONS = Number(process.argv[2] ?? 2000)
const WARMUP = 200
const INTERVALS = 15 * 96
const END = Date.parse("2026-06-15T12:00:00.000Z")
const STEP = 15 * 60_000

/** mulberry32: deterministic figures from run to run */
const prng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

const window = (seed: number): Array<IntervalResult> => {
  const random = prng(seed)
  return Array.from({ length: INTERVALS }, (_, i) => {
    const endMs = END - (INTERVALS - 1 - i) * STEP
    const pods = 1 + Math.floor(random() * 3)
    const cpuMax = 0.2 + random() * 1.6
    const cpuAvg = cpuMax * (0.5 + random() * 0.5)
    const memMax = Math.round(3e8 + random() * 2e8)
    const memMin = Math.round(memMax * (0.7 + random() * 0.3))
    const memAvg = Math.round((memMax + memMin) / 2)
    return {
      startMs: endMs - STEP,
      endMs,
      metrics: {
        cpuRequest: { sum: pods, avg: 1, format: "cores" },
        cpuLimit: { sum: 2 * pods, avg: 2, format: "cores" },
        cpuUsage: { min: cpuAvg / 2, max: cpuMax, sum: cpuAvg * pods, avg: cpuAvg, format: "cores" },
        cpuThrottle: { max: 0.02, sum: 0.01 * pods, avg: 0.01, format: "cores" },
        memoryRequest: { sum: 536870912 * pods, avg: 536870912, format: "bytes" },
        memoryLimit: { sum: 1073741824 * pods, avg: 1073741824, format: "bytes" },
        memoryUsage: { min: memMin, max: memMax, sum: memAvg * pods, avg: memAvg, format: "bytes" },
        memoryRSS: {
          min: memMin * 0.9,
          max: memMax * 0.95,
          sum: memAvg * 0.9 * pods,
          avg: memAvg * 0.9,
          format: "bytes"
        }
      }
    }
  })
}

const percentileOf = (sorted: ReadonlyArray<number>, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!

const print = (line: string) => process.stdout.write(`${line}\n`)

const time = (label: string, f: () => unknown) => {
  for (let i = 0; i < WARMUP; i++) f()
  const samples: Array<number> = []
  const started = performance.now()
  for (let i = 0; i < ITERATIONS; i++) {
    const t0 = performance.now()
    f()
    samples.push(performance.now() - t0)
  }
  const total = performance.now() - started
  samples.sort((a, b) => a - b)
  const size = `${INTERVALS} intervals`
  recordFigure("algorithm", { name: `${label} p50`, value: percentileOf(samples, 50), unit: "ms", dataSize: size })
  recordFigure("algorithm", { name: `${label} p99`, value: percentileOf(samples, 99), unit: "ms", dataSize: size })
  print(
    `${label}: p50 ${percentileOf(samples, 50).toFixed(3)} ms, p99 ${percentileOf(samples, 99).toFixed(3)} ms, ` +
      `mean ${(total / ITERATIONS).toFixed(3)} ms, ${Math.round((ITERATIONS * INTERVALS) / (total / 1000)).toLocaleString("en-US")} intervals/s`
  )
}

const intervals = window(1)
const input = { experimentType: "container" as const, intervalEndTimeMs: END, intervals, threshold: 0.1 }
const sample = recommend(input)
const terms = Object.values(sample.recommendations.data)[0]?.recommendation_terms ?? {}

print(`node ${process.version}, ${INTERVALS} intervals per container, ${ITERATIONS} iterations after ${WARMUP} warm-up`)
print(
  `terms with engines: ${Object.entries(terms)
    .filter(([, t]) => t?.recommendation_engines !== undefined)
    .map(([name]) => name)
    .join(", ")}`
)
time("recommend", () => recommend(input))
time("recommend, plots off", () => recommend({ ...input, plots: false }))
time("recommend + encode JSON body", () =>
  encodeListRecommendations([
    containerExperimentEntry({
      experimentName: "bench",
      clusterName: "bench",
      kubernetesObjects: [
        {
          type: "deployment",
          name: "w",
          namespace: "ns",
          containers: [
            { containerImageName: "img", containerName: "app", recommendations: recommend(input).recommendations }
          ]
        }
      ]
    })
  ])
)

// heap held by 15-day windows, as an entity would keep them (interval objects only, format strings shared)
setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void
const WINDOWS = 100
gc()
const before = process.memoryUsage().heapUsed
const held = Array.from({ length: WINDOWS }, (_, i) => window(i + 2))
gc()
const perWindow = (process.memoryUsage().heapUsed - before) / WINDOWS
print(
  `heap per 15-day window: ${(perWindow / 1024).toFixed(0)} KiB (${Math.round(perWindow / INTERVALS)} bytes per interval, ${held.length} windows measured)`
)
