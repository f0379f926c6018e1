/**
 * A day's results are kept as the parts they arrived in, one row per updateResults chunk, so storing a chunk is an
 * insert of its own. Appending to the day's row made PostgreSQL read the day's compressed text, join the new
 * results to it and compress the whole again: a day sent in four files was written as 24, 48, 72 and 96 results,
 * and the 1,964 experiments of the full-size upload left 214 MB of table behind against 94 MB as parts (1.6–2.1
 * against 3.1–3.6 CPU s of the backend, measured alone). Reading an experiment joins its parts in day and arrival
 * order, which is the order the results were accepted in.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Each stored day becomes part 0 through a constant default, which PostgreSQL records without rewriting the
  // table (an identity column added in one step would rewrite every row and its compressed results); new parts
  // then come from the identity, from 1 on.
  yield* sql`ALTER TABLE kruize_result_days ADD COLUMN part bigint NOT NULL DEFAULT 0`
  yield* sql`ALTER TABLE kruize_result_days ALTER COLUMN part DROP DEFAULT`
  yield* sql`ALTER TABLE kruize_result_days ALTER COLUMN part ADD GENERATED ALWAYS AS IDENTITY (START WITH 1)`
  yield* sql`ALTER TABLE kruize_result_days DROP CONSTRAINT kruize_result_days_pkey`
  yield* sql`ALTER TABLE kruize_result_days ADD PRIMARY KEY (experiment_name, day, part)`
})
