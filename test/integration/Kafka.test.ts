import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Queue, Ref, Schema, Scope } from "effect"
import { Kafka } from "../../src/services/Kafka.js"
import { kafkaContract } from "../support/kafkaContract.js"

// The live broker of infra/up (KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:29092).
describe("Kafka.layer on the real broker", () => {
  kafkaContract(Kafka.layer)
})

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
const Payload = Schema.Struct({ n: Schema.Number })
const json = (n: number) => JSON.stringify({ n })

// Only the live consumer overlaps keys; the in-memory one handles a message at a time, which the option allows.
describe("Kafka.layer keysConcurrently, on the real broker", () => {
  it.live(
    "overlaps the keys of one partition, keeps each key in order, and commits no further than the oldest unfinished message",
    () =>
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("keys-at-once")
        const groupId = unique("group")
        yield* kafka.ensureTopics([{ topic, partitions: 1 }])
        // n = 0 is held until the three "fast" messages after it are handled, which only overlapping allows.
        yield* kafka.send([
          { topic, key: "slow", value: json(0) },
          { topic, key: "fast", value: json(1) },
          { topic, key: "fast", value: json(2) },
          { topic, key: "fast", value: json(3) },
          { topic, key: "slow", value: json(4) }
        ])
        const fastDone = yield* Ref.make<Array<number>>([])
        const allFast = yield* Deferred.make<void>()
        const handled = yield* Queue.unbounded<number>()
        const first = yield* Scope.make()
        yield* kafka
          .consume({
            groupId,
            topics: [topic],
            value: Schema.parseJson(Payload),
            keysConcurrently: 4,
            handle: ({ n }) =>
              n === 0
                ? Deferred.await(allFast).pipe(Effect.zipRight(Queue.offer(handled, n)))
                : n === 4
                  ? Queue.offer(handled, n).pipe(Effect.zipRight(Effect.never))
                  : Ref.updateAndGet(fastDone, (done) => [...done, n]).pipe(
                      Effect.tap((done) => (done.length === 3 ? Deferred.succeed(allFast, undefined) : Effect.void)),
                      Effect.zipRight(Queue.offer(handled, n))
                    )
          })
          .pipe(Scope.extend(first))
        const order = yield* Effect.all(Array.from({ length: 5 }, () => Queue.take(handled))).pipe(
          Effect.timeout("30 seconds")
        )
        expect(order.slice(0, 3)).toEqual([1, 2, 3])
        expect(order.slice(3)).toEqual([0, 4])
        // n = 4 never finishes: stopping commits 0-3 and leaves 4 to be delivered again.
        yield* Scope.close(first, Exit.void)

        const again = yield* Queue.unbounded<number>()
        yield* kafka.consume({
          groupId,
          topics: [topic],
          value: Schema.parseJson(Payload),
          keysConcurrently: 4,
          handle: ({ n }) => Queue.offer(again, n)
        })
        expect(yield* Queue.take(again).pipe(Effect.timeout("30 seconds"))).toBe(4)
        yield* Effect.sleep("1 second")
        expect(yield* Queue.size(again)).toBe(0)
      }).pipe(Effect.scoped, Effect.provide(Kafka.layer))
  )

  it.live("an unfinished message holds back the commit of the other keys' messages after it", () =>
    Effect.gen(function* () {
      const kafka = yield* Kafka
      const topic = unique("keys-commit")
      const groupId = unique("group")
      yield* kafka.ensureTopics([{ topic, partitions: 1 }])
      yield* kafka.send([
        { topic, key: "stuck", value: json(0) },
        { topic, key: "other", value: json(1) },
        { topic, key: "other", value: json(2) }
      ])
      const handled = yield* Queue.unbounded<number>()
      const first = yield* Scope.make()
      yield* kafka
        .consume({
          groupId,
          topics: [topic],
          value: Schema.parseJson(Payload),
          keysConcurrently: 4,
          handle: ({ n }) => (n === 0 ? Effect.never : Queue.offer(handled, n))
        })
        .pipe(Scope.extend(first))
      expect(yield* Effect.all([Queue.take(handled), Queue.take(handled)]).pipe(Effect.timeout("30 seconds"))).toEqual([
        1, 2
      ])
      yield* Scope.close(first, Exit.void)

      // 1 and 2 were handled, but 0 was not: nothing is committed, so all three come again.
      const again = yield* Queue.unbounded<number>()
      yield* kafka.consume({
        groupId,
        topics: [topic],
        value: Schema.parseJson(Payload),
        handle: ({ n }) => Queue.offer(again, n)
      })
      const redelivered = yield* Effect.all(Array.from({ length: 3 }, () => Queue.take(again))).pipe(
        Effect.timeout("30 seconds")
      )
      expect(redelivered).toEqual([0, 1, 2])
    }).pipe(Effect.scoped, Effect.provide(Kafka.layer))
  )
})
