/**
 * Every settled piece of an upload asks "is anything still pending?" while holding the upload's lock, thousands of
 * times per upload: partial indexes answer it from the few pending rows instead of scanning all of the upload's.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX upload_experiments_results_pending ON upload_experiments (request_id)
    WHERE results = 'pending'`
  yield* sql`CREATE INDEX upload_experiments_recommendation_pending ON upload_experiments (request_id)
    WHERE results = 'sent' AND recommendation = 'pending'`
})
