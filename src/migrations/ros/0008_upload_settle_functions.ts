/**
 * Settling one piece of an upload (an experiment's results sent, its recommendation decided) in one round trip:
 * the upload's lock, the update and the question "may a milestone be due now?" run inside the server. It used to
 * take five (begin, lock, update, probe, commit), twice per experiment, and every other settle of the upload
 * waited on the lock meanwhile. Each statement of a function takes a fresh snapshot after the lock is held, so
 * the last two pieces settling at once still see each other: the second one finds nothing pending.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Mirrors UploadProgress.advance: true when it would report something, or may (it re-reads under the lock).
  yield* sql`
    CREATE FUNCTION upload_milestone_may_be_due(p_request text) RETURNS boolean
    LANGUAGE sql STABLE AS $$
      SELECT CASE
        WHEN (SELECT count(*) FROM upload_files f WHERE f.request_id = p.request_id) < p.files_expected THEN false
        WHEN NOT EXISTS (SELECT 1 FROM upload_milestones m WHERE m.request_id = p.request_id AND m.stage = 'ingested')
          THEN true
        WHEN NOT EXISTS (SELECT 1 FROM upload_experiments e WHERE e.request_id = p.request_id) THEN false
        WHEN EXISTS (SELECT 1 FROM upload_experiments e WHERE e.request_id = p.request_id AND e.results = 'pending')
          THEN false
        WHEN NOT EXISTS (SELECT 1 FROM upload_milestones m
                         WHERE m.request_id = p.request_id AND m.stage = 'experiments_updated') THEN true
        WHEN EXISTS (SELECT 1 FROM upload_experiments e
                     WHERE e.request_id = p.request_id AND e.results = 'sent' AND e.recommendation = 'pending')
          THEN false
        ELSE NOT EXISTS (SELECT 1 FROM upload_milestones m
                         WHERE m.request_id = p.request_id AND m.stage = 'recommendations_ready')
      END
      FROM upload_progress p WHERE p.request_id = p_request
    $$`
  yield* sql`
    CREATE FUNCTION upload_settle_results(p_request text, p_experiment text, p_file text, p_outcome text,
                                          p_detail text, p_max_end timestamptz) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM upload_progress WHERE request_id = p_request FOR UPDATE;
      IF NOT FOUND THEN RETURN false; END IF;
      UPDATE upload_experiments SET results = p_outcome, detail = COALESCE(p_detail, detail),
        results_max_end = COALESCE(p_max_end, results_max_end)
      WHERE request_id = p_request AND experiment_name = p_experiment AND (p_file IS NULL OR file_key = p_file);
      RETURN upload_milestone_may_be_due(p_request);
    END
    $$`
  yield* sql`
    CREATE FUNCTION upload_settle_recommendation(p_request text, p_experiment text, p_outcome text,
                                                 p_detail text, p_max_end_report timestamptz) RETURNS boolean
    LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM 1 FROM upload_progress WHERE request_id = p_request FOR UPDATE;
      IF NOT FOUND THEN RETURN false; END IF;
      UPDATE upload_experiments SET recommendation = p_outcome, detail = COALESCE(p_detail, detail)
      WHERE request_id = p_request AND experiment_name = p_experiment AND results <> 'pending'
        AND (p_max_end_report IS NULL OR results_max_end IS NULL OR results_max_end <= p_max_end_report);
      RETURN upload_milestone_may_be_due(p_request);
    END
    $$`
})
