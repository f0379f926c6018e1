/**
 * Runs an effect for every element of a stream, a few at a time, in any order, failing as soon as one fails:
 * `Stream.mapEffect` with `concurrency`, at a fraction of its cost. That costs about 500 fiber operations per
 * element (a fiber, a deferred and a queue round each); this pool of `concurrency` fibers taking from one queue
 * costs a few dozen. It matters where each element is itself small work, such as an experiment's hand-off.
 */
import { Chunk, Effect, Option, Queue, Stream } from "effect"

export const drainConcurrently = <A, E, R, E2, R2>(
  stream: Stream.Stream<A, E, R>,
  concurrency: number,
  f: (a: A) => Effect.Effect<unknown, E2, R2>
): Effect.Effect<void, E | E2, R | R2> =>
  Effect.gen(function* () {
    // As small as the pool: what waits here has left the stream, whose own buffering stays the bound.
    const queue = yield* Queue.bounded<Option.Option<A>>(concurrency)
    const worker = Effect.gen(function* () {
      while (true) {
        const next = yield* Queue.take(queue)
        if (Option.isNone(next)) return
        yield* f(next.value)
      }
    })
    const feed = Stream.runForEachChunk(stream, (chunk) =>
      Effect.forEach(Chunk.toReadonlyArray(chunk), (a) => Queue.offer(queue, Option.some(a)), { discard: true })
    ).pipe(
      // One end mark per worker: each stops at the first it takes, after the elements before it.
      Effect.zipRight(
        Effect.forEach(Array.from({ length: concurrency }), () => Queue.offer(queue, Option.none()), {
          discard: true
        })
      )
    )
    const workers = Effect.all(
      Array.from({ length: concurrency }, () => worker),
      { concurrency: "unbounded", discard: true }
    )
    // Either side failing interrupts the other.
    yield* Effect.all([feed, workers], { concurrency: 2, discard: true })
  })
