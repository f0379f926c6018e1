/**
 * The latest interval end each experiment share sent to the engine, so a recommendation settles only the shares
 * whose data it covers (a refresh after the first file of an upload must not stand for the one after its last).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE upload_experiments ADD COLUMN results_max_end timestamptz`
})
