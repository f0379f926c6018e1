/**
 * `coalesced`: calls made while a run is in flight go together in the next run (at most `max`), each caller is
 * answered with the outcome of the run that carried its item, and callers still waiting when the scope closes are
 * answered `closing`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Scope } from "effect"
import { coalesced } from "../../src/services/Coalesced.js"

/** A runner whose runs are recorded and held until the test lets the first one go. */
const recorder = Effect.gen(function* () {
  const runs: Array<ReadonlyArray<number>> = []
  const firstMayEnd = yield* Deferred.make<void>()
  const run = (items: ReadonlyArray<number>) =>
    Effect.gen(function* () {
      runs.push(items)
      if (runs.length === 1) yield* Deferred.await(firstMayEnd)
      if (items.includes(13)) return yield* Effect.fail(`run with 13 refused`)
    })
  return { runs, run, releaseFirst: Deferred.succeed(firstMayEnd, undefined) }
})

describe("coalesced", () => {
  it.scoped("calls made while a run is in flight share the next run, up to max per run", () =>
    Effect.gen(function* () {
      const { runs, run, releaseFirst } = yield* recorder
      const call = yield* coalesced({ max: 3, run, closing: "closing" })
      const first = yield* Effect.fork(call(1))
      yield* Effect.yieldNow()
      const later = yield* Effect.forEach([2, 3, 4, 5, 6], (n) => Effect.fork(call(n)))
      yield* Effect.yieldNow()
      expect(runs).toEqual([[1]])
      yield* releaseFirst
      yield* Fiber.join(first)
      yield* Effect.forEach(later, Fiber.join)
      expect(runs).toEqual([[1], [2, 3, 4], [5, 6]])
    })
  )

  it.scoped("a failed run fails its own callers only", () =>
    Effect.gen(function* () {
      const { run, releaseFirst } = yield* recorder
      const call = yield* coalesced({ max: 2, run, closing: "closing" })
      const first = yield* Effect.fork(call(1))
      yield* Effect.yieldNow()
      const [a, b, c] = yield* Effect.forEach([12, 13, 14], (n) => Effect.fork(call(n)))
      yield* releaseFirst
      expect(Exit.isSuccess(yield* Fiber.await(first))).toBe(true)
      expect(yield* Fiber.await(a!)).toEqual(Exit.fail("run with 13 refused"))
      expect(yield* Fiber.await(b!)).toEqual(Exit.fail("run with 13 refused"))
      expect(Exit.isSuccess(yield* Fiber.await(c!))).toBe(true)
    })
  )

  it.effect("callers still waiting when the scope closes are answered `closing`", () =>
    Effect.gen(function* () {
      const { run } = yield* recorder
      const scope = yield* Scope.make()
      const call = yield* coalesced({ max: 5, run, closing: "closing" }).pipe(Scope.extend(scope))
      const inFlight = yield* Effect.fork(call(1))
      yield* Effect.yieldNow()
      const waiting = yield* Effect.fork(call(2))
      yield* Effect.yieldNow()
      yield* Scope.close(scope, Exit.void)
      expect(yield* Fiber.await(inFlight)).toEqual(Exit.fail("closing"))
      expect(yield* Fiber.await(waiting)).toEqual(Exit.fail("closing"))
    })
  )
})
