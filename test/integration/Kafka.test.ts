import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Ref, Schema, Scope } from "effect"
import { Kafka } from "../../src/services/Kafka.js"
import { json, kafkaContract, Payload, unique } from "../support/kafkaContract.js"

// The live broker of infra/up (KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:29092).
describe("Kafka.layer on the real broker", () => {
  kafkaContract(Kafka.layer)

  // Only the real broker drops a silent member: a handler that outlasts the session must still keep the group's
  // membership, or its commit is refused and the message is handled a second time.
  it.live(
    "keeps its membership while a message takes longer than the session timeout to handle",
    () =>
      Effect.gen(function* () {
        const kafka = yield* Kafka
        const topic = unique("contract-long")
        const groupId = unique("group")
        yield* kafka.ensureTopics([{ topic, partitions: 1 }])
        yield* kafka.send([{ topic, key: "k", value: json(1) }])
        const handled = yield* Ref.make(0)
        const done = yield* Deferred.make<void>()
        const scope = yield* Scope.make()
        yield* kafka
          .consume({
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
          .pipe(Scope.extend(scope))
        yield* Deferred.await(done).pipe(Effect.timeout("30 seconds"))
        // A member dropped during the long message would have it delivered again after the rebalance.
        yield* Effect.sleep("8 seconds")
        yield* Scope.close(scope, Exit.void)
        expect(yield* Ref.get(handled)).toBe(1)
      }).pipe(Effect.scoped, Effect.provide(Kafka.layer)),
    60_000
  )
})
