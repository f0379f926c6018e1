/**
 * Results stored per experiment and day of interval_end instead of one row per result: a chunk of 100
 * results becomes one or two upserts instead of 100 inserts into a table of millions of rows with its
 * indexes, and activating an experiment reads ~16 short rows instead of 1,440.
 *
 * `entries` holds the day's results as JSON array elements joined by commas, in the order they were
 * accepted (`[interval_start ms, interval_end ms, intervals]`, see StoredResultCodec), so appending is a
 * string concatenation; `first_end` / `last_end` bound the day's interval ends, for retention. The
 * results already stored are converted, and `kruize_results` becomes a view with Kruize's columns, one
 * row per result, for whoever reads the database by hand.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { useLz4Compression } from "../Lz4Compression.js"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE kruize_result_days (
      experiment_name text NOT NULL REFERENCES kruize_experiments (experiment_name) ON DELETE CASCADE,
      day date NOT NULL,
      first_end timestamptz(3) NOT NULL,
      last_end timestamptz(3) NOT NULL,
      entries text NOT NULL,
      PRIMARY KEY (experiment_name, day)
    )
  `
  yield* useLz4Compression("kruize_result_days", "entries")
  yield* sql`
    INSERT INTO kruize_result_days (experiment_name, day, first_end, last_end, entries)
    SELECT experiment_name, (interval_end_time AT TIME ZONE 'UTC')::date, min(interval_end_time), max(interval_end_time),
      string_agg(
        json_build_array(
          (extract(epoch FROM interval_start_time) * 1000)::bigint,
          (extract(epoch FROM interval_end_time) * 1000)::bigint,
          extended_data -> 'intervals')::text,
        ',' ORDER BY interval_end_time, interval_start_time)
    FROM kruize_results
    GROUP BY experiment_name, (interval_end_time AT TIME ZONE 'UTC')::date
  `
  yield* sql`DROP TABLE kruize_results`
  yield* sql`
    CREATE VIEW kruize_results AS
    SELECT d.experiment_name,
      to_timestamp((e.value ->> 0)::bigint / 1000.0)::timestamptz(3) AS interval_start_time,
      to_timestamp((e.value ->> 1)::bigint / 1000.0)::timestamptz(3) AS interval_end_time,
      x.cluster_name,
      floor(((e.value ->> 1)::bigint - (e.value ->> 0)::bigint) / 60000.0)::double precision AS duration_minutes,
      x.version,
      json_build_object('intervals', e.value -> 2) AS extended_data,
      NULL::jsonb AS meta_data
    FROM kruize_result_days d
    JOIN kruize_experiments x ON x.experiment_name = d.experiment_name
    CROSS JOIN LATERAL json_array_elements(('[' || d.entries || ']')::json) AS e(value)
  `
})
