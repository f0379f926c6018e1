import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Queue, Ref, Schema, Scope } from "effect"
import { type ConsumerOptions, Kafka } from "../../src/services/Kafka.js"
import { collector, consumerUntilClosed, json, kafkaContract, Payload, unique } from "../support/kafkaContract.js"

const onBroker = <A, E>(test: Effect.Effect<A, E, Kafka | Scope.Scope>) =>
  test.pipe(Effect.scoped, Effect.provide(Kafka.layer))

/** A new topic of one partition on the broker. */
const oneLog = (prefix: string) =>
  Effect.flatMap(Kafka, (kafka) => {
    const topic = unique(prefix)
    return kafka.ensureTopics([{ topic, partitions: 1 }]).pipe(Effect.as(topic))
  })

// The live broker of infra/up (KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:29092).
describe("Kafka.layer on the real broker", () => {
  kafkaContract(Kafka.layer)

  // Only the real broker drops a silent member: a handler that outlasts the session must still keep the group's
  // membership, or its commit is refused and the message is handled a second time.
  it.live(
    "keeps its membership while a message takes longer than the session timeout to handle",
    () =>
      onBroker(
        Effect.gen(function* () {
          const kafka = yield* Kafka
          const topic = yield* oneLog("contract-long")
          const groupId = unique("group")
          yield* kafka.send([{ topic, key: "k", value: json(1) }])
          const handled = yield* Ref.make(0)
          const done = yield* Deferred.make<void>()
          const scope = yield* consumerUntilClosed({
            groupId,
            topics: [topic],
            sessionTimeoutMs: 6_000,
            value: Schema.parseJson(Payload),
            handle: () =>
              Ref.updateAndGet(handled, (n) => n + 1).pipe(
                Effect.tap((n) => (n === 1 ? Effect.sleep("10 seconds") : Effect.void)),
                Effect.zipRight(Deferred.succeed(done, undefined))
              )
          })
          yield* Deferred.await(done).pipe(Effect.timeout("30 seconds"))
          // A member dropped during the long message would have it delivered again after the rebalance.
          yield* Effect.sleep("8 seconds")
          yield* Scope.close(scope, Exit.void)
          expect(yield* Ref.get(handled)).toBe(1)
        })
      ),
    60_000
  )

  // The in-memory layer handles one message at a time; only the live consumer runs several keys at once.
  it.live(
    "handles messages of different keys at once, those of one key one after the other and in order",
    () =>
      onBroker(
        Effect.gen(function* () {
          const kafka = yield* Kafka
          const topic = yield* oneLog("keys-concurrent")
          const keys = ["a", "b", "c", "d", "e", "f"]
          // n = 0..23: key keys[n % 6], so each key's messages are n, n + 6, n + 12, n + 18.
          yield* kafka.send(Array.from({ length: 24 }, (_, n) => ({ topic, key: keys[n % 6]!, value: json(n) })))
          const log: Array<{ key: string; n: number; at: "start" | "end" }> = []
          let inFlight = 0
          let mostAtOnce = 0
          const { received, next } = yield* collector
          const scope = yield* consumerUntilClosed({
            groupId: unique("group"),
            topics: [topic],
            concurrentKeys: 4,
            value: Schema.parseJson(Payload),
            handle: (p, message) =>
              Effect.gen(function* () {
                const key = message.key ?? ""
                inFlight += 1
                mostAtOnce = Math.max(mostAtOnce, inFlight)
                log.push({ key, n: p.n, at: "start" })
                yield* Effect.sleep("150 millis")
                log.push({ key, n: p.n, at: "end" })
                inFlight -= 1
                yield* Queue.offer(received, { n: p.n, message })
              })
          })
          const handled = (yield* next(24)).map((h) => h.n)
          yield* Scope.close(scope, Exit.void)
          expect(handled.sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, n) => n))
          expect(mostAtOnce).toBe(4)
          for (const key of keys) {
            const own = log.filter((e) => e.key === key)
            // Started and ended alternately (never two at once) and in the order they were sent.
            expect(own.map((e) => e.at)).toEqual(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? "start" : "end")))
            const sent = keys.indexOf(key)
            expect(own.filter((e) => e.at === "start").map((e) => e.n)).toEqual([sent, sent + 6, sent + 12, sent + 18])
          }
        })
      ),
    60_000
  )

  it.live(
    "commits only the offsets before the first message not handled, however many after it were",
    () =>
      onBroker(
        Effect.gen(function* () {
          const kafka = yield* Kafka
          const topic = yield* oneLog("keys-commit")
          const groupId = unique("group")
          // 0 and 1 are handled; 2 (key "slow") never finishes; 3..9 (key "fast") are handled while it hangs.
          yield* kafka.send([
            { topic, key: "fast", value: json(0) },
            { topic, key: "fast", value: json(1) },
            { topic, key: "slow", value: json(2) },
            ...Array.from({ length: 7 }, (_, i) => ({ topic, key: "fast", value: json(i + 3) }))
          ])
          // Two members of one group, one after the other, differing only in what they do with a message.
          const member = (handle: ConsumerOptions<typeof Payload.Type, never, never>["handle"]) =>
            consumerUntilClosed({
              groupId,
              topics: [topic],
              concurrentKeys: 2,
              value: Schema.parseJson(Payload),
              handle
            })
          const first = yield* collector
          const scope = yield* member((p, message) =>
            p.n === 2 ? Effect.never : Queue.offer(first.received, { n: p.n, message })
          )
          const handled = (yield* first.next(9)).map((h) => h.n)
          expect(handled).toEqual([0, 1, 3, 4, 5, 6, 7, 8, 9])
          // A commit interval passes while 2 still hangs: only 0 and 1 may be committed.
          yield* Effect.sleep("1500 millis")
          // Stopping interrupts 2: it was never handled, so the next member of the group gets it again, and with it
          // everything after it (delivered again, at least once), but nothing before it.
          yield* Scope.close(scope, Exit.void)
          const again = yield* collector
          const second = yield* member((p, message) => Queue.offer(again.received, { n: p.n, message }))
          // Were 2 committed, only 3..9 would come again: the wait for an eighth fails after 30 s.
          const redelivered = (yield* again.next(8)).map((h) => h.n)
          yield* Effect.sleep("1 second")
          yield* Scope.close(second, Exit.void)
          expect(redelivered.sort((x, y) => x - y)).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
          expect(yield* Queue.size(again.received)).toBe(0)
        })
      ),
    90_000
  )
})
