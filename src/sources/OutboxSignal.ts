/**
 * Wakes the event publisher when a write has committed new events, so they leave at once instead of at
 * the next poll. Holds at most one pending wake-up: the publisher drains everything each time it wakes.
 */
import { Effect, Queue } from "effect"

export class OutboxSignal extends Effect.Service<OutboxSignal>()("ros/sources/OutboxSignal", {
  effect: Effect.gen(function* () {
    const wakeUps = yield* Queue.sliding<void>(1)
    return {
      /** Called after a commit that added events. */
      notify: Queue.offer(wakeUps, undefined).pipe(Effect.asVoid),
      /** Resolves at the next wake-up (one that came before this call counts). */
      wait: Queue.take(wakeUps)
    } as const
  })
}) {}
