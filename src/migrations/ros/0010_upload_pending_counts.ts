/**
 * An upload's pending pieces counted on its progress row, so that "is anything still pending?", asked by every
 * settle under the upload's lock, reads one row. The EXISTS probes over the partial indexes of migration 5 walked
 * the index entries that settled pieces leave behind (a settle writes a new row version; the old entry stays until
 * vacuum, first in the index, because the earliest pieces settle first): for an upload of 7,856 pieces the
 * recommendation probe alone took 6.4 s of PostgreSQL's time, all of it while holding the lock.
 *
 * Statement triggers keep the counts, whatever writes upload_experiments (registrations, settles, the cascade of
 * a deleted upload), one progress-row update per statement.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    ALTER TABLE upload_progress
      ADD COLUMN experiment_rows integer NOT NULL DEFAULT 0,
      ADD COLUMN results_pending integer NOT NULL DEFAULT 0,
      ADD COLUMN recommendations_pending integer NOT NULL DEFAULT 0`
  yield* sql`
    UPDATE upload_progress p
    SET experiment_rows = c.n, results_pending = c.rp, recommendations_pending = c.cp
    FROM (SELECT request_id, count(*)::int AS n,
                 count(*) FILTER (WHERE results = 'pending')::int AS rp,
                 count(*) FILTER (WHERE results = 'sent' AND recommendation = 'pending')::int AS cp
          FROM upload_experiments GROUP BY request_id) c
    WHERE p.request_id = c.request_id`
  // A row counts +1 as it is now (new_rows) and -1 as it was (old_rows); only non-zero changes are written.
  yield* sql`
    CREATE FUNCTION upload_experiments_tally() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        UPDATE upload_progress p
        SET experiment_rows = p.experiment_rows + d.n, results_pending = p.results_pending + d.rp,
            recommendations_pending = p.recommendations_pending + d.cp
        FROM (SELECT request_id, count(*)::int AS n,
                     count(*) FILTER (WHERE results = 'pending')::int AS rp,
                     count(*) FILTER (WHERE results = 'sent' AND recommendation = 'pending')::int AS cp
              FROM new_rows GROUP BY request_id) d
        WHERE p.request_id = d.request_id;
      ELSIF TG_OP = 'DELETE' THEN
        UPDATE upload_progress p
        SET experiment_rows = p.experiment_rows - d.n, results_pending = p.results_pending - d.rp,
            recommendations_pending = p.recommendations_pending - d.cp
        FROM (SELECT request_id, count(*)::int AS n,
                     count(*) FILTER (WHERE results = 'pending')::int AS rp,
                     count(*) FILTER (WHERE results = 'sent' AND recommendation = 'pending')::int AS cp
              FROM old_rows GROUP BY request_id) d
        WHERE p.request_id = d.request_id;
      ELSE
        UPDATE upload_progress p
        SET experiment_rows = p.experiment_rows + d.n, results_pending = p.results_pending + d.rp,
            recommendations_pending = p.recommendations_pending + d.cp
        FROM (SELECT request_id, sum(n)::int AS n, sum(rp)::int AS rp, sum(cp)::int AS cp
              FROM (SELECT request_id, 1 AS n, (results = 'pending')::int AS rp,
                           (results = 'sent' AND recommendation = 'pending')::int AS cp
                    FROM new_rows
                    UNION ALL
                    SELECT request_id, -1, -(results = 'pending')::int,
                           -(results = 'sent' AND recommendation = 'pending')::int
                    FROM old_rows) r
              GROUP BY request_id) d
        WHERE p.request_id = d.request_id AND (d.n <> 0 OR d.rp <> 0 OR d.cp <> 0);
      END IF;
      RETURN NULL;
    END
    $$`
  yield* sql`
    CREATE TRIGGER upload_experiments_tally_insert AFTER INSERT ON upload_experiments
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION upload_experiments_tally()`
  yield* sql`
    CREATE TRIGGER upload_experiments_tally_update AFTER UPDATE ON upload_experiments
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION upload_experiments_tally()`
  yield* sql`
    CREATE TRIGGER upload_experiments_tally_delete AFTER DELETE ON upload_experiments
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION upload_experiments_tally()`
  // Mirrors UploadProgress.advance, from the counts.
  yield* sql`
    CREATE OR REPLACE FUNCTION upload_milestone_may_be_due(p_request text) RETURNS boolean
    LANGUAGE plpgsql STABLE AS $$
    DECLARE
      p upload_progress%ROWTYPE;
    BEGIN
      SELECT * INTO p FROM upload_progress WHERE request_id = p_request;
      IF NOT FOUND THEN RETURN NULL; END IF;
      IF (SELECT count(*) FROM upload_files f WHERE f.request_id = p_request) < p.files_expected THEN
        RETURN false;
      END IF;
      IF NOT EXISTS (SELECT 1 FROM upload_milestones m WHERE m.request_id = p_request AND m.stage = 'ingested') THEN
        RETURN true;
      END IF;
      IF p.experiment_rows = 0 OR p.results_pending > 0 THEN RETURN false; END IF;
      IF NOT EXISTS (SELECT 1 FROM upload_milestones m
                     WHERE m.request_id = p_request AND m.stage = 'experiments_updated') THEN
        RETURN true;
      END IF;
      IF p.recommendations_pending > 0 THEN RETURN false; END IF;
      RETURN NOT EXISTS (SELECT 1 FROM upload_milestones m
                         WHERE m.request_id = p_request AND m.stage = 'recommendations_ready');
    END
    $$`
  // The probes they served are gone; every settle wrote their entries.
  yield* sql`DROP INDEX upload_experiments_results_pending`
  yield* sql`DROP INDEX upload_experiments_recommendation_pending`
})
