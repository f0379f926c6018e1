/**
 * The transactional outbox of platform.sources.event-stream: each write to sources or applications adds its
 * ready-to-send Kafka messages here in the same transaction, and the publisher deletes them once Kafka has
 * acknowledged them, so an event is never lost to a Kafka outage and never sent for a rolled-back write.
 * Rows are sent in id order. `headers` is `json`, not `jsonb`, because jsonb reorders keys and the headers
 * must reach Kafka in sources-api-go's order.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE event_outbox (
      id bigserial PRIMARY KEY,
      topic text NOT NULL,
      message_key text,
      headers json NOT NULL,
      value text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `
})
