/**
 * An experiment can take intervals from several files of one upload (the operator splits large reports), so
 * its results are pending per file: the upload's experiments are updated only when every file's share is sent.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE upload_experiments ADD COLUMN file_key text NOT NULL DEFAULT ''`
  yield* sql`ALTER TABLE upload_experiments DROP CONSTRAINT upload_experiments_pkey`
  yield* sql`ALTER TABLE upload_experiments ADD PRIMARY KEY (request_id, experiment_name, file_key)`
})
