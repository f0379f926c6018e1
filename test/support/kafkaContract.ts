/**
 * Behaviours every Kafka implementation must show, run against the live broker in
 * test/integration and against the in-memory layer in test/unit, so the two cannot drift apart.
 */
import { expect, it } from "@effect/vitest"
import { Chunk, Deferred, Effect, Exit, type Layer, Queue, Ref, Schedule, Schema, Scope } from "effect"
import {
  type ConsumerOptions,
  type IncomingMessage,
  Kafka,
  type KafkaError,
  PoisonMessage
} from "../../src/services/Kafka.js"

/** A topic or group name no earlier run used. */
export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

export const Payload = Schema.Struct({ n: Schema.Number })
export const json = (n: number) => JSON.stringify({ n })

/** Starts a member that consumes until the returned scope is closed (closing it stops the member). */
export const consumerUntilClosed = <A, E, R>(options: ConsumerOptions<A, E, R>) =>
  Effect.gen(function* () {
    const kafka = yield* Kafka
    const scope = yield* Scope.make()
    yield* kafka.consume(options).pipe(Scope.extend(scope))
    return scope
  })

/** Collects handled messages into a queue; the test reads them with a bound so a bug cannot hang it. */
export const collector = Effect.gen(function* () {
  const received = yield* Queue.unbounded<{ n: number; message: IncomingMessage }>()
  const takeN = (count: number) =>
    Queue.takeBetween(received, count, count).pipe(
      Effect.repeat({ until: (c) => c.length === count }),
      Effect.map(Chunk.toArray)
    )
  const next = (count: number) =>
    Effect.gen(function* () {
      const out: Array<{ n: number; message: IncomingMessage }> = []
      while (out.length < count) out.push(yield* Queue.take(received))
      return out
    }).pipe(Effect.timeoutFail({ duration: "30 seconds", onTimeout: () => new Error(`expected ${count} messages`) }))
  return { received, takeN, next }
})

export const kafkaContract = (layer: Layer.Layer<Kafka, unknown>) => {
  const run = <A, E>(effect: Effect.Effect<A, E, Kafka | Scope.Scope>) =>
    effect.pipe(Effect.scoped, Effect.provide(layer))

  it.live("publishes with keys and headers and consumes in key order, committing what was handled", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-order")
        const groupId = unique("group")
        yield* kafka.ensureTopics([{ topic, partitions: 3 }])
        yield* kafka.send(
          Array.from({ length: 30 }, (_, i) => ({
            topic,
            key: `cluster-${i % 3}`,
            value: json(i),
            headers: { service: "hccm" }
          }))
        )
        const { received, next } = yield* collector
        const scope = yield* consumerUntilClosed({
          groupId,
          topics: [topic],
          value: Schema.parseJson(Payload),
          handle: (p, message) => Queue.offer(received, { n: p.n, message })
        })
        const got = yield* next(30)
        yield* Scope.close(scope, Exit.void)

        expect(got.map((g) => g.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i))
        for (const key of ["cluster-0", "cluster-1", "cluster-2"]) {
          const ofKey = got.filter((g) => g.message.key === key)
          expect(ofKey.map((g) => g.n)).toEqual([...ofKey.map((g) => g.n)].sort((a, b) => a - b))
          expect(new Set(ofKey.map((g) => g.message.partition)).size).toBe(1)
        }
        expect(got.every((g) => g.message.headers.service === "hccm")).toBe(true)

        // Everything was committed: a new member of the group sees only what comes after.
        yield* kafka.send([{ topic, key: "cluster-0", value: json(99) }])
        yield* kafka.consume({
          groupId,
          topics: [topic],
          value: Schema.parseJson(Payload),
          handle: (p, message) => Queue.offer(received, { n: p.n, message })
        })
        const after = yield* next(1)
        expect(after.map((g) => g.n)).toEqual([99])
      })
    )
  )

  it.live("delivers an uncommitted message again after the consumer restarts", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-redeliver")
        const groupId = unique("group")
        yield* kafka.ensureTopics([{ topic, partitions: 1 }])
        yield* kafka.send([
          { topic, key: "k", value: json(1) },
          { topic, key: "k", value: json(2) }
        ])
        const started = yield* Deferred.make<number>()
        const first = yield* consumerUntilClosed({
          groupId,
          topics: [topic],
          value: Schema.parseJson(Payload),
          // The first message is handled; the second one never finishes before shutdown.
          handle: (p) => (p.n === 1 ? Effect.void : Deferred.succeed(started, p.n).pipe(Effect.zipRight(Effect.never)))
        })
        expect(yield* Deferred.await(started).pipe(Effect.timeout("30 seconds"))).toBe(2)
        yield* Scope.close(first, Exit.void)

        const { received, next } = yield* collector
        yield* kafka.consume({
          groupId,
          topics: [topic],
          value: Schema.parseJson(Payload),
          handle: (p, message) => Queue.offer(received, { n: p.n, message })
        })
        const again = yield* next(1)
        expect(again.map((g) => g.n)).toEqual([2])
      })
    )
  )

  it.live("splits the partitions of a topic between two members of one group", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-split")
        const groupId = unique("group")
        yield* kafka.ensureTopics([{ topic, partitions: 4 }])
        const { received, next } = yield* collector
        const member = (name: string) =>
          kafka.consume({
            groupId,
            topics: [topic],
            value: Schema.parseJson(Payload),
            handle: (p, message) => Queue.offer(received, { n: p.n, message: { ...message, key: name } })
          })
        yield* member("a")
        yield* member("b")
        yield* kafka.send(Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i}`, value: json(i) })))
        const got = yield* next(40)
        const byMember = (name: string) => got.filter((g) => g.message.key === name)
        expect(byMember("a").length).toBeGreaterThan(0)
        expect(byMember("b").length).toBeGreaterThan(0)
        // A partition belongs to one member at a time.
        const partitionsOf = (name: string) => new Set(byMember(name).map((g) => g.message.partition))
        for (const p of partitionsOf("a")) expect(partitionsOf("b").has(p)).toBe(false)
        expect(new Set(got.map((g) => g.n)).size).toBe(40)
      })
    )
  )

  it.live("commits a poison message without effect and goes on with the next one", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-poison")
        yield* kafka.ensureTopics([{ topic, partitions: 1 }])
        yield* kafka.send([
          { topic, key: "k", value: "{not json" },
          { topic, key: "k", value: json(-1) },
          { topic, key: "k", value: json(7) }
        ])
        const { received, next } = yield* collector
        yield* kafka.consume({
          groupId: unique("group"),
          topics: [topic],
          value: Schema.parseJson(Payload),
          // A negative number is a permanent failure of the handler: poison too.
          handle: (p, message) =>
            p.n < 0
              ? Effect.fail(new PoisonMessage({ reason: "negative" }))
              : Queue.offer(received, { n: p.n, message }),
          isRetryable: (e) => !(e instanceof PoisonMessage)
        })
        const got = yield* next(1)
        expect(got.map((g) => g.n)).toEqual([7])
        expect(got[0]?.message.offset).toBe("2")
      })
    )
  )

  it.live("retries a passing failure and handles the message once it succeeds", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-retry")
        yield* kafka.ensureTopics([{ topic, partitions: 1 }])
        yield* kafka.send([{ topic, key: "k", value: json(5) }])
        const attempts = yield* Ref.make(0)
        const { received, next } = yield* collector
        yield* kafka.consume({
          groupId: unique("group"),
          topics: [topic],
          value: Schema.parseJson(Payload),
          handle: (p, message) =>
            Ref.updateAndGet(attempts, (n) => n + 1).pipe(
              Effect.flatMap((n) =>
                n < 3 ? Effect.fail("database unavailable" as const) : Queue.offer(received, { n: p.n, message })
              )
            ),
          retry: Schedule.spaced("20 millis")
        })
        const got = yield* next(1)
        expect(got.map((g) => g.n)).toEqual([5])
        expect(yield* Ref.get(attempts)).toBe(3)
      })
    )
  )

  it.live("answers 300 concurrent sends each once its messages are published; every message arrives once", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-concurrent")
        yield* kafka.ensureTopics([{ topic, partitions: 3 }])
        // Sends made while another is in flight may share a produce request: each must still be answered.
        const answered = yield* Effect.forEach(
          Array.from({ length: 300 }, (_, i) => i),
          (i) => kafka.send([{ topic, key: `experiment-${i}`, value: json(i) }]).pipe(Effect.as(i)),
          { concurrency: "unbounded" }
        )
        expect(answered).toHaveLength(300)
        const { received, next } = yield* collector
        yield* kafka.consume({
          groupId: unique("group"),
          topics: [topic],
          value: Schema.parseJson(Payload),
          handle: (p, message) => Queue.offer(received, { n: p.n, message })
        })
        const got = yield* next(300)
        expect(got.map((g) => g.n).sort((a, b) => a - b)).toEqual(answered)
        expect(got.every((g) => g.message.key === `experiment-${g.n}`)).toBe(true)
      })
    )
  )

  it.live("refuses to publish to a topic that does not exist", () =>
    run(
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const error: KafkaError = yield* kafka
          .send([{ topic: unique("contract-missing"), value: "x" }])
          .pipe(Effect.flip, Effect.timeout("60 seconds"))
        expect(["KafkaFailure", "KafkaUnavailable"]).toContain(error._tag)
      })
    )
  )
}
