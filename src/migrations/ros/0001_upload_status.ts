/**
 * Upload tracking (design.md §7): one row per upload with its current state, and the events every stage
 * appends. Not an upstream table; the upstream ROS tables come in their own migrations.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE upload_status (
      request_id text PRIMARY KEY,
      org_id text NOT NULL,
      account text,
      cluster_uuid text,
      status text NOT NULL DEFAULT 'in_progress',
      stage text NOT NULL,
      error_stage text,
      error text,
      created_at timestamptz(3) NOT NULL DEFAULT now(),
      updated_at timestamptz(3) NOT NULL DEFAULT now()
    )
  `
  yield* sql`CREATE INDEX upload_status_org_created ON upload_status (org_id, created_at DESC)`
  yield* sql`
    CREATE TABLE upload_events (
      id bigserial PRIMARY KEY,
      request_id text NOT NULL REFERENCES upload_status (request_id) ON DELETE CASCADE,
      stage text NOT NULL,
      outcome text NOT NULL,
      detail jsonb NOT NULL DEFAULT '{}',
      at timestamptz(3) NOT NULL DEFAULT now()
    )
  `
  yield* sql`CREATE INDEX upload_events_request ON upload_events (request_id, id)`
})
