/**
 * `kruize_results.extended_data` is written 1,440 times per experiment and read back whole, never queried
 * inside: `json` stores the text as sent, sparing PostgreSQL the jsonb conversion on every insert.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE kruize_results ALTER COLUMN extended_data TYPE json USING extended_data::json`
})
