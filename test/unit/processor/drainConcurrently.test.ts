import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Ref, Stream } from "effect"
import { drainConcurrently } from "../../../src/processor/drainConcurrently.js"

/** A stream of 1..n handed out one element at a time, counting how many were pulled. */
const counted = (n: number) =>
  Effect.map(Ref.make(0), (pulled) => ({
    pulled,
    stream: Stream.range(1, n).pipe(
      Stream.rechunk(1),
      Stream.tap(() => Ref.update(pulled, (p) => p + 1))
    )
  }))

describe("drainConcurrently", () => {
  it.effect("runs every element once, never more than `concurrency` at a time, several at once", () =>
    Effect.gen(function* () {
      const { stream } = yield* counted(200)
      const seen: Array<number> = []
      const running = yield* Ref.make(0)
      const most = yield* Ref.make(0)
      yield* drainConcurrently(stream, 4, (n) =>
        Effect.gen(function* () {
          const now = yield* Ref.updateAndGet(running, (r) => r + 1)
          yield* Ref.update(most, (m) => Math.max(m, now))
          yield* Effect.yieldNow()
          seen.push(n)
          yield* Ref.update(running, (r) => r - 1)
        })
      )
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1))
      expect(yield* Ref.get(most)).toBe(4)
    })
  )

  it.effect("completes at once for an empty stream", () =>
    Effect.gen(function* () {
      let calls = 0
      yield* drainConcurrently(Stream.empty, 8, () => Effect.sync(() => calls++))
      expect(calls).toBe(0)
    })
  )

  it.effect("pulls no further ahead of the work than the pool and its queue", () =>
    Effect.gen(function* () {
      const { pulled, stream } = yield* counted(1000)
      const gate = yield* Deferred.make<void>()
      const fiber = yield* Effect.fork(drainConcurrently(stream, 4, () => Deferred.await(gate)))
      for (let i = 0; i < 50; i++) yield* Effect.yieldNow()
      // four in the workers, four waiting in the queue, one offered and waiting for room
      expect(yield* Ref.get(pulled)).toBeLessThanOrEqual(9)
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(pulled)).toBe(1000)
    })
  )

  it.effect("fails with the first failure and starts nothing after it", () =>
    Effect.gen(function* () {
      const { pulled, stream } = yield* counted(1000)
      const started: Array<number> = []
      const error = yield* Effect.flip(
        drainConcurrently(stream, 2, (n) =>
          Effect.sync(() => started.push(n)).pipe(
            Effect.zipRight(n === 10 ? Effect.fail(`element ${n} refused`) : Effect.yieldNow())
          )
        )
      )
      expect(error).toBe("element 10 refused")
      expect(Math.max(...started)).toBeLessThanOrEqual(12)
      expect(yield* Ref.get(pulled)).toBeLessThan(20)
    })
  )

  it.effect("fails when the stream fails, interrupting the work in progress", () =>
    Effect.gen(function* () {
      const interrupted = yield* Ref.make(0)
      const stream = Stream.concat(Stream.make(1, 2, 3), Stream.fail("the file went away"))
      const error = yield* Effect.flip(
        drainConcurrently(stream, 4, () =>
          Effect.never.pipe(Effect.onInterrupt(() => Ref.update(interrupted, (i) => i + 1)))
        )
      )
      expect(error).toBe("the file went away")
      expect(yield* Ref.get(interrupted)).toBe(3)
    })
  )
})
