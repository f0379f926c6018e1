import { describe, expect, it } from "@effect/vitest"
import { ResultWindow } from "../../../src/recommender/ResultWindow.js"

const q = 15 * 60_000
const usage = (cpu: number) => ({
  cpuUsage: { avg: cpu, max: cpu, format: "cores" },
  memoryUsage: { max: 100, format: "bytes" },
  memoryRSS: { max: 90, format: "bytes" },
  acceleratorCoreUsage: { max: 1 }
})

describe("ResultWindow", () => {
  it("holds intervals per container by interval end and answers range queries inclusively", () => {
    const w = new ResultWindow()
    for (let i = 0; i < 4; i++) w.add(i * q, (i + 1) * q, [{ name: "app", image: "img:1", metrics: usage(i) }])
    expect(w.size).toBe(4)
    expect(w.latestEndMs).toBe(4 * q)
    expect(w.has(q, 2 * q)).toBe(true)
    expect(w.has(q + 1, 2 * q)).toBe(false)
    expect(w.intervals("app", 2 * q, 3 * q).map((r) => r.endMs)).toEqual([2 * q, 3 * q])
    expect(w.intervals("nope", 0, 10 * q)).toEqual([])
    expect(w.containers()).toEqual([{ name: "app", image: "img:1" }])
  })

  it("keeps only the metrics the algorithm reads", () => {
    const w = new ResultWindow()
    w.add(0, q, [{ name: "app", metrics: usage(1) }])
    const [interval] = w.intervals("app", 0, q)
    expect(Object.keys(interval?.metrics ?? {}).sort()).toEqual(["cpuUsage", "memoryRSS", "memoryUsage"])
  })

  it("replaces a container's interval when a later record ends at the same time", () => {
    const w = new ResultWindow()
    w.add(0, q, [{ name: "app", metrics: usage(1) }])
    w.add(30_000, q, [{ name: "app", metrics: usage(2) }])
    const held = w.intervals("app", 0, q)
    expect(held.map((r) => [r.startMs, r.metrics.cpuUsage?.avg])).toEqual([[30_000, 2]])
    // Both primary keys are known, so either one sent again is a duplicate.
    expect(w.has(0, q) && w.has(30_000, q)).toBe(true)
  })

  it("evicts what ends before the cut and keeps what ends on it", () => {
    const w = new ResultWindow()
    for (let i = 0; i < 5; i++) w.add(i * q, (i + 1) * q, [{ name: "app", metrics: usage(i) }])
    expect(w.evictBefore(3 * q)).toBe(2)
    expect(w.evictBefore(3 * q)).toBe(0)
    expect(w.intervals("app", 0, 10 * q).map((r) => r.endMs)).toEqual([3 * q, 4 * q, 5 * q])
    expect(w.has(0, q)).toBe(false)
    expect(w.size).toBe(3)
  })

  it("forgets everything on clear", () => {
    const w = new ResultWindow()
    w.add(0, q, [{ name: "app", metrics: usage(1) }])
    w.clear()
    expect([w.size, w.latestEndMs, w.containers().length]).toEqual([0, undefined, 0])
  })

  it("can keep only the keys: duplicates and retention still work, intervals come back after clear", () => {
    const w = new ResultWindow()
    w.add(0, q, [{ name: "app", metrics: usage(1) }])
    w.keysOnly()
    expect(w.holdsIntervals).toBe(false)
    for (let i = 1; i < 4; i++) w.add(i * q, (i + 1) * q, [{ name: "app", metrics: usage(i) }])
    expect([w.size, w.latestEndMs, w.has(q, 2 * q), w.containers()]).toEqual([4, 4 * q, true, []])
    expect(w.evictBefore(2 * q)).toBe(1)
    expect(w.has(0, q)).toBe(false)
    w.clear()
    expect(w.holdsIntervals).toBe(true)
    w.add(0, q, [{ name: "app", metrics: usage(1) }])
    expect(w.intervals("app", 0, q)).toHaveLength(1)
  })
})
