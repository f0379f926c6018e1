import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { heapGrowthLayer } from "../../src/services/HeapGrowth.js"

const applied = (env: Record<string, string>) =>
  Effect.gen(function* () {
    const flags: Array<string> = []
    yield* Layer.build(heapGrowthLayer((f) => flags.push(f))).pipe(
      Effect.scoped,
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env))))
    )
    return flags
  })

describe("HeapGrowth", () => {
  it.effect("sets V8's heap growing factor to 50 % unless told otherwise", () =>
    Effect.gen(function* () {
      expect(yield* applied({})).toEqual(["--heap-growing-percent=50"])
      expect(yield* applied({ RUNNER_HEAP_GROWING_PERCENT: "120" })).toEqual(["--heap-growing-percent=120"])
    })
  )

  it.effect("leaves V8 its own choice for 0", () =>
    Effect.gen(function* () {
      expect(yield* applied({ RUNNER_HEAP_GROWING_PERCENT: "0" })).toEqual([])
    })
  )

  it.effect("refuses a factor that would make V8 collect all the time or never, naming the setting", () =>
    Effect.gen(function* () {
      for (const value of ["5", "1000", "-1", "half"]) {
        const error = yield* Effect.flip(applied({ RUNNER_HEAP_GROWING_PERCENT: value }))
        expect(String(error)).toContain("RUNNER_HEAP_GROWING_PERCENT")
      }
    })
  )

  // What the setting is for: V8 honours the factor set at run time, not only as a command-line option. A process
  // keeps about 80 MB alive and churns through a few GB of garbage; its heap's peak is measured against the live
  // data (on Node 20: about 2.2 times with the factor, 5 times without).
  const peakOverLive = async (setFlags: boolean) => {
    const script = `
      const v8 = require("node:v8")
      if (${setFlags}) v8.setFlagsFromString("--heap-growing-percent=50")
      const live = []
      for (let i = 0; i < 200000; i++) live.push({ text: "x".repeat(400) + i, pair: [i, i + 1] })
      let peak = 0
      for (let round = 0; round < 200; round++) {
        const garbage = []
        for (let i = 0; i < 20000; i++) garbage.push({ text: "y".repeat(200) + i, pair: [i, round] })
        live[(round * 7919) % live.length] = garbage.slice(0, 10)
        peak = Math.max(peak, v8.getHeapStatistics().total_heap_size)
      }
      globalThis.gc()
      console.log(peak / v8.getHeapStatistics().used_heap_size, live.length)
    `
    const { stdout } = await promisify(execFile)(process.execPath, ["--expose-gc", "-e", script])
    return Number(stdout.trim().split(" ")[0])
  }

  it("keeps the heap near its live data when set at run time", { timeout: 60_000 }, async () => {
    const [withFactor, without] = await Promise.all([peakOverLive(true), peakOverLive(false)])
    expect(withFactor).toBeLessThan(3)
    expect(without).toBeGreaterThan(1.5 * withFactor)
  })
})
