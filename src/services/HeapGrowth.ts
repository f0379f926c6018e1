/**
 * Keeps a runner's memory near what it holds alive. Uncapped, V8 let a runner's heap grow to three times its live
 * data before collecting (743–854 MiB peak RSS for about 200 MB live in the ingest benchmark); a fixed cap ends
 * the process once the live data outgrows it. A growing factor bounds the heap relative to what the last full
 * collection kept, so it follows the live data instead. The flag is read at every heap-limit computation, so it
 * takes effect when set at start (checked on Node 20: the same peak as the command-line option).
 */
import { setFlagsFromString } from "node:v8"
import { Effect, Layer } from "effect"
import { RunnerHeapSettings } from "./Settings.js"

/** The V8 option for a setting, or nothing when V8 keeps its own choice. */
export const heapGrowingFlag = (growingPercent: number): string | undefined =>
  growingPercent === 0 ? undefined : `--heap-growing-percent=${growingPercent}`

/** `setFlags` is V8's by default; tests pass a recorder. */
export const heapGrowthLayer = (setFlags: (flags: string) => void = setFlagsFromString) =>
  Layer.effectDiscard(
    Effect.gen(function* () {
      const { growingPercent } = yield* RunnerHeapSettings
      const flag = heapGrowingFlag(growingPercent)
      if (flag === undefined) return
      yield* Effect.sync(() => setFlags(flag))
      yield* Effect.logDebug(`heap grows at most ${growingPercent} % past its live data`)
    })
  )

export const HeapGrowthLive = heapGrowthLayer()
