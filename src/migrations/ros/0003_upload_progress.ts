/**
 * What the pipeline still owes each upload, so a stage is reported done exactly when its last piece is: the
 * files of the hccm.ros.events message, the experiments they fed, and the stage milestones already reported.
 * Not an upstream table (design.md §7: every upload has a visible status).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE upload_progress (
      request_id text PRIMARY KEY,
      files_expected integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )
  `
  yield* sql`
    CREATE TABLE upload_files (
      request_id text NOT NULL REFERENCES upload_progress (request_id) ON DELETE CASCADE,
      file_key text NOT NULL,
      outcome text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}',
      PRIMARY KEY (request_id, file_key)
    )
  `
  yield* sql`
    CREATE TABLE upload_experiments (
      request_id text NOT NULL REFERENCES upload_progress (request_id) ON DELETE CASCADE,
      experiment_name text NOT NULL,
      results text NOT NULL DEFAULT 'pending',
      recommendation text NOT NULL DEFAULT 'pending',
      detail text,
      PRIMARY KEY (request_id, experiment_name)
    )
  `
  yield* sql`
    CREATE TABLE upload_milestones (
      request_id text NOT NULL REFERENCES upload_progress (request_id) ON DELETE CASCADE,
      stage text NOT NULL,
      PRIMARY KEY (request_id, stage)
    )
  `
})
