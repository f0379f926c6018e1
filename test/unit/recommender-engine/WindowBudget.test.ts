import { describe, expect, it } from "@effect/vitest"
import { ResultWindow } from "../../../src/recommender/ResultWindow.js"
import { WindowBudget } from "../../../src/recommender/WindowBudget.js"

const q = 15 * 60_000
const metrics = { cpuUsage: { avg: 1, max: 1 }, memoryUsage: { max: 1 }, memoryRSS: { max: 1 } }

/** A window holding `n` intervals of one container. */
const windowOf = (n: number) => {
  const w = new ResultWindow()
  for (let i = 0; i < n; i++) w.add(i * q, (i + 1) * q, [{ name: "app", metrics }])
  return w
}

describe("WindowBudget", () => {
  it("drops the intervals of the least recently used windows beyond its limit, keeping their keys", () => {
    const budget = new WindowBudget(10)
    const [a, b, c] = [windowOf(4), windowOf(4), windowOf(4)]
    budget.use(a)
    budget.use(b)
    budget.use(a)
    expect(budget.intervals).toBe(8)
    budget.use(c)
    // b was the least recent: it keeps its keys only; a and c keep their intervals.
    expect([a.holdsIntervals, b.holdsIntervals, c.holdsIntervals]).toEqual([true, false, true])
    expect([b.size, b.has(0, q), b.intervalCount]).toEqual([4, true, 0])
    expect(budget.intervals).toBe(8)
  })

  it("never drops the window being used, and forgets windows that hold nothing", () => {
    const budget = new WindowBudget(3)
    const big = windowOf(5)
    budget.use(big)
    expect([big.holdsIntervals, budget.intervals]).toEqual([true, 5])
    const keys = windowOf(2)
    keys.keysOnly()
    budget.use(keys)
    expect(budget.intervals).toBe(5)
    budget.forget(big)
    expect(budget.intervals).toBe(0)
  })

  it("takes a window's new size on each use", () => {
    const budget = new WindowBudget(100)
    const w = windowOf(2)
    budget.use(w)
    w.add(10 * q, 11 * q, [{ name: "app", metrics }])
    budget.use(w)
    expect(budget.intervals).toBe(3)
    w.evictBefore(11 * q)
    budget.use(w)
    expect(budget.intervals).toBe(1)
  })

  it("sizes itself from the heap", () => {
    expect(WindowBudget.ofHeap().limit).toBeGreaterThan(100_000)
  })
})
