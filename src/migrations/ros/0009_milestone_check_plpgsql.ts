/**
 * "May a milestone be due?" (migration ros 8) as PL/pgSQL. As a SQL function it could not be inlined (it reads
 * tables), so PostgreSQL parsed and planned its seven subqueries on every call, twice per experiment share, all of
 * it while holding the upload's lock. PL/pgSQL keeps the plans of its statements for the session (pgbench, one
 * client, 8,000 shares of one upload: a settle took 0.94 ms, now 0.55; with synchronous_commit off 1.16, now 0.24).
 * Same answers, in the same order; STABLE, so it still reads with the snapshot of the settle's RETURN statement,
 * taken after the lock.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Mirrors UploadProgress.advance: true when it would report something, or may (it re-reads under the lock).
  yield* sql`
    CREATE OR REPLACE FUNCTION upload_milestone_may_be_due(p_request text) RETURNS boolean
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
      expected integer;
    BEGIN
      SELECT files_expected INTO expected FROM upload_progress WHERE request_id = p_request;
      IF NOT FOUND THEN RETURN NULL; END IF;
      IF (SELECT count(*) FROM upload_files f WHERE f.request_id = p_request) < expected THEN RETURN false; END IF;
      IF NOT EXISTS (SELECT 1 FROM upload_milestones m WHERE m.request_id = p_request AND m.stage = 'ingested') THEN
        RETURN true;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM upload_experiments e WHERE e.request_id = p_request) THEN RETURN false; END IF;
      IF EXISTS (SELECT 1 FROM upload_experiments e WHERE e.request_id = p_request AND e.results = 'pending') THEN
        RETURN false;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM upload_milestones m
                     WHERE m.request_id = p_request AND m.stage = 'experiments_updated') THEN
        RETURN true;
      END IF;
      IF EXISTS (SELECT 1 FROM upload_experiments e
                 WHERE e.request_id = p_request AND e.results = 'sent' AND e.recommendation = 'pending') THEN
        RETURN false;
      END IF;
      RETURN NOT EXISTS (SELECT 1 FROM upload_milestones m
                         WHERE m.request_id = p_request AND m.stage = 'recommendations_ready');
    END
    $$`
})
