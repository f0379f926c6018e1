/**
 * The decoded intervals of the experiments a runner holds, within a memory budget. An experiment keeps its
 * window's intervals (about 1.2 kB each, 1,440 per container) from its last recommendation until it is
 * passivated; asked for many experiments in a row, a runner would otherwise hold every window of the last
 * idle period and run out of heap. Beyond the budget, the windows used least recently drop their
 * intervals and keep only their keys; they are read back from the database when next asked for a
 * recommendation.
 *
 * One budget per runner, shared by its EngineExperiment entities. Its methods are synchronous on purpose:
 * an entity checks that its window holds intervals and computes from them with no yield in between, so a
 * window dropped by another entity's `use` is never read half-way.
 */
import { getHeapStatistics } from "node:v8"
import type { ResultWindow } from "./ResultWindow.js"

/** Bytes of heap per interval held, as measured on ROS-shaped results (8 metrics, 2–4 aggregates each). */
const bytesPerInterval = 1_200
/** Share of the heap the windows may take. */
const heapShare = 0.35

export class WindowBudget {
  // Least recently used first; sizes in intervals.
  private readonly held = new Map<ResultWindow, number>()
  private total = 0

  /** `limit`: intervals the windows may hold together. */
  constructor(readonly limit: number) {}

  /** A budget of a fixed share of this process's heap limit. */
  static ofHeap(): WindowBudget {
    return new WindowBudget(Math.floor((getHeapStatistics().heap_size_limit * heapShare) / bytesPerInterval))
  }

  /** Intervals held by the windows that hold some. */
  get intervals(): number {
    return this.total
  }

  /**
   * `window` was just used: if it holds intervals it becomes the most recent, and the least recent others
   * drop theirs while the total is over the limit.
   */
  use(window: ResultWindow): void {
    this.forget(window)
    if (!window.holdsIntervals) return
    const size = window.intervalCount
    this.held.set(window, size)
    this.total += size
    for (const [other] of this.held) {
      if (this.total <= this.limit) break
      if (other === window) continue
      this.forget(other)
      other.keysOnly()
    }
  }

  /** `window` holds no intervals any more, or is gone. */
  forget(window: ResultWindow): void {
    const size = this.held.get(window)
    if (size === undefined) return
    this.held.delete(window)
    this.total -= size
  }
}
