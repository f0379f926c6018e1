/**
 * Calls that arrive while one is running go together in the next run, at most `max` of them: many fibers each
 * sending one small thing (a Kafka message of an Experiment entity) would otherwise make as many requests, each a
 * round trip and a write of its own. It pays only where concurrent calls cannot share a round trip by themselves
 * (PostgreSQL's group commit already overlaps concurrent transactions, so upload settles gained nothing from it).
 * Each caller is answered with the outcome of the run that carried its item; callers still waiting when the scope
 * closes are answered `closing`.
 */
import { Chunk, Deferred, Effect, Queue, type Scope } from "effect"

interface Pending<I, E> {
  readonly item: I
  readonly done: Deferred.Deferred<void, E>
}

export const coalesced = <I, E>(options: {
  readonly max: number
  readonly run: (items: ReadonlyArray<I>) => Effect.Effect<void, E>
  readonly closing: E
}): Effect.Effect<(item: I) => Effect.Effect<void, E>, never, Scope.Scope> =>
  Effect.gen(function* () {
    const answerClosing = (waiting: Iterable<Pending<I, E>>) =>
      Effect.forEach(waiting, (p) => Deferred.fail(p.done, options.closing), { discard: true })
    const queue = yield* Effect.acquireRelease(Queue.unbounded<Pending<I, E>>(), (q) =>
      Queue.takeAll(q).pipe(Effect.flatMap(answerClosing), Effect.zipRight(Queue.shutdown(q)))
    )
    yield* Queue.takeBetween(queue, 1, options.max).pipe(
      Effect.flatMap((taken) => {
        const batch = Chunk.toReadonlyArray(taken)
        return options.run(batch.map((p) => p.item)).pipe(
          Effect.exit,
          Effect.flatMap((exit) => Effect.forEach(batch, (p) => Deferred.done(p.done, exit), { discard: true })),
          Effect.onInterrupt(() => answerClosing(batch))
        )
      }),
      Effect.forever,
      Effect.forkScoped
    )
    return (item: I) =>
      Deferred.make<void, E>().pipe(
        Effect.tap((done) => Queue.offer(queue, { item, done })),
        Effect.flatMap(Deferred.await)
      )
  })
