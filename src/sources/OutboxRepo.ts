/**
 * The SQL of the event outbox (table `event_outbox`). `append` runs inside the transaction of the write that
 * raised the events; `claim` and `remove` run inside the publisher's transaction, which holds a
 * transaction-scoped advisory lock so that only one publisher (of any process) sends at a time and the
 * events leave in the order they were written.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import type { OutgoingMessage } from "../services/Kafka.js"

export const OutboxRow = Schema.Struct({
  id: Schema.String,
  topic: Schema.String,
  message_key: Schema.NullOr(Schema.String),
  headers: Schema.Record({ key: Schema.String, value: Schema.String }),
  value: Schema.String
})
export type OutboxRow = typeof OutboxRow.Type

/** The advisory lock every publisher of this database takes before sending. */
const PUBLISHER_LOCK = "ros-ocp/sources/event_outbox"

export class OutboxRepo extends Effect.Service<OutboxRepo>()("ros/sources/OutboxRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /** Adds the messages, in order, to be sent once the surrounding transaction commits. */
    const append = Effect.fn("OutboxRepo.append")(function* (messages: ReadonlyArray<OutgoingMessage>) {
      if (messages.length === 0) return
      yield* sql`INSERT INTO event_outbox ${sql.insert(
        messages.map((m) => ({
          topic: m.topic,
          message_key: m.key ?? null,
          headers: JSON.stringify(m.headers ?? {}),
          value: typeof m.value === "string" ? m.value : new TextDecoder().decode(m.value)
        }))
      )}`
    })

    /**
     * The oldest `limit` messages, or None when another publisher holds the lock. Must run inside a
     * transaction: the lock is released when it ends.
     */
    const claim = Effect.fn("OutboxRepo.claim")(function* (limit: number) {
      const [locked] = yield* sql<{
        locked: boolean
      }>`SELECT pg_try_advisory_xact_lock(hashtext(${PUBLISHER_LOCK})) AS locked`
      if (locked?.locked !== true) return Option.none<ReadonlyArray<OutboxRow>>()
      const rows =
        yield* sql`SELECT id, topic, message_key, headers, value FROM event_outbox ORDER BY id LIMIT ${limit}`
      return Option.some(yield* Schema.decodeUnknown(Schema.Array(OutboxRow))(rows).pipe(Effect.orDie))
    })

    /** Deletes what Kafka acknowledged. */
    const remove = Effect.fn("OutboxRepo.remove")(function* (ids: ReadonlyArray<string>) {
      if (ids.length === 0) return
      yield* sql`DELETE FROM event_outbox WHERE ${sql.in("id", ids)}`
    })

    /** Messages not sent yet. */
    const pending = Effect.fn("OutboxRepo.pending")(function* () {
      const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM event_outbox`
      return row?.n ?? 0
    })

    return { append, claim, remove, pending } as const
  })
}) {}

/** The Kafka message a row holds. */
export const toOutgoing = (row: OutboxRow): OutgoingMessage => ({
  topic: row.topic,
  key: row.message_key,
  value: row.value,
  headers: row.headers
})
