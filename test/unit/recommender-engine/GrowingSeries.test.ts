import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import type { ExperimentType } from "../../../src/recommender/algorithm/IntervalResult.js"
import { intervalSeries } from "../../../src/recommender/algorithm/IntervalSeries.js"
import { ResultWindow } from "../../../src/recommender/ResultWindow.js"

const q = 15 * 60_000

const metricsOf = (type: ExperimentType, cpu: number, pods: number, memory: number) =>
  type === "namespace"
    ? {
        namespaceCpuUsage: { avg: cpu / pods, max: cpu, min: cpu / 3, sum: cpu * 2, format: "cores" },
        namespaceMemoryUsage: { max: memory, min: memory / 2, avg: memory / 1.5, format: "bytes" },
        namespaceMemoryRSS: { max: memory * 0.9, min: memory / 3, format: "bytes" },
        namespaceTotalPods: { avg: pods, max: pods }
      }
    : {
        cpuUsage: { avg: cpu / pods, max: cpu, min: cpu / 4, sum: cpu, format: "cores" },
        cpuThrottle: { avg: 0.01, max: 0.02, sum: 0.01 * pods, format: "cores" },
        memoryUsage: { avg: memory / pods, max: memory, min: memory / 2, sum: memory, format: "bytes" },
        memoryRSS: { max: memory * 0.8, min: memory / 4, format: "bytes" }
      }

type Op =
  | {
      readonly _tag: "add"
      readonly slot: number
      readonly shiftSeconds: number
      readonly cpu: number
      readonly pods: number
    }
  | { readonly _tag: "evict"; readonly slot: number }
  | { readonly _tag: "view"; readonly from: number; readonly to: number }

const op: FastCheck.Arbitrary<Op> = FastCheck.oneof(
  // mostly in order, sometimes back in time or onto an end already held
  FastCheck.record({
    _tag: FastCheck.constant("add" as const),
    slot: FastCheck.integer({ min: 0, max: 80 }),
    shiftSeconds: FastCheck.constantFrom(0, 0, 0, 20),
    cpu: FastCheck.double({ min: 0, max: 3, noNaN: true }),
    pods: FastCheck.integer({ min: 1, max: 4 })
  }),
  FastCheck.record({ _tag: FastCheck.constant("evict" as const), slot: FastCheck.integer({ min: 0, max: 80 }) }),
  FastCheck.record({
    _tag: FastCheck.constant("view" as const),
    from: FastCheck.integer({ min: 0, max: 80 }),
    to: FastCheck.integer({ min: 0, max: 80 })
  })
)

/** Runs the operations on a window; every view must equal the series built from scratch of the same intervals. */
const check = (type: ExperimentType, ops: ReadonlyArray<Op>, inOrderFrom: number) => {
  const w = new ResultWindow()
  let next = inOrderFrom
  for (const o of ops) {
    if (o._tag === "add") {
      // half of the additions continue the time line, as a live cluster's results do
      const slot = o.slot % 2 === 0 ? next++ : o.slot
      const endMs = slot * q + o.shiftSeconds * 1000
      w.add(endMs - q, endMs, [{ name: "c", metrics: metricsOf(type, o.cpu, o.pods, 1e8 + o.cpu * 1e7) }])
    } else if (o._tag === "evict") {
      w.evictBefore(o.slot * q)
    } else {
      const from = Math.min(o.from, o.to) * q
      const to = Math.max(o.from, o.to) * q + q * 40
      const kept = w.seriesOf("c", type, from, to)
      const fresh = intervalSeries(type, w.intervals("c", from, to))
      expect(kept.intervals).toEqual(fresh.intervals)
      for (const column of ["endMs", "cpu", "cpuMin", "memory", "memoryMin", "spike", "pods"] as const) {
        expect(Array.from(kept[column])).toEqual(Array.from(fresh[column]))
      }
    }
  }
}

describe("GrowingSeries (the window's series kept up to date)", () => {
  it("equals the series built from scratch after any additions, replacements and retention, for containers", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.array(op, { maxLength: 120 }), FastCheck.integer({ min: 0, max: 40 }), (ops, from) =>
        check("container", ops, from)
      ),
      { numRuns: 300 }
    )
  })

  it("equals the series built from scratch for namespaces", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.array(op, { maxLength: 120 }), FastCheck.integer({ min: 0, max: 40 }), (ops, from) =>
        check("namespace", ops, from)
      ),
      { numRuns: 200 }
    )
  })

  it("follows a live time line: one interval in, the oldest out, past the initial capacity", () => {
    const w = new ResultWindow()
    const day = 96
    for (let i = 1; i <= 3 * day; i++) {
      w.add((i - 1) * q, i * q, [{ name: "c", metrics: metricsOf("container", (i % 7) / 3, 1 + (i % 3), 1e8 + i) }])
      w.evictBefore((i - day) * q)
      const series = w.seriesOf("c", "container", (i - day) * q, i * q)
      const fresh = intervalSeries("container", w.intervals("c", (i - day) * q, i * q))
      expect(Array.from(series.cpu)).toEqual(Array.from(fresh.cpu))
      expect(Array.from(series.endMs)).toEqual(Array.from(fresh.endMs))
    }
  })
})
