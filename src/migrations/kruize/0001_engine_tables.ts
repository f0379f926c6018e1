/**
 * The engine's tables, shaped like Kruize's remote-monitoring tables (kruize.md §5) so their content
 * reads the same; unpartitioned, since retention deletes per experiment (15 days of interval_end).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE kruize_performance_profiles (
      name text PRIMARY KEY,
      k8s_type text,
      profile_version double precision NOT NULL,
      slo jsonb NOT NULL
    )
  `
  yield* sql`
    CREATE TABLE kruize_experiments (
      experiment_id text PRIMARY KEY,
      version text,
      experiment_name text NOT NULL CONSTRAINT uk_experiment_name UNIQUE,
      cluster_name text,
      mode text,
      target_cluster text,
      performance_profile text,
      status text NOT NULL DEFAULT 'IN_PROGRESS',
      datasource jsonb,
      extended_data jsonb NOT NULL,
      meta_data jsonb,
      experiment_type bigint NOT NULL DEFAULT 1,
      creation_date timestamptz(3) NOT NULL DEFAULT now(),
      update_date timestamptz(3) NOT NULL DEFAULT now()
    )
  `
  yield* sql`
    CREATE TABLE kruize_results (
      experiment_name text NOT NULL REFERENCES kruize_experiments (experiment_name) ON DELETE CASCADE,
      interval_start_time timestamptz(3) NOT NULL,
      interval_end_time timestamptz(3) NOT NULL,
      cluster_name text,
      duration_minutes double precision NOT NULL,
      version text,
      extended_data jsonb NOT NULL,
      meta_data jsonb,
      PRIMARY KEY (experiment_name, interval_end_time, interval_start_time)
    )
  `
  yield* sql`
    CREATE INDEX idx_result_interval_end_time ON kruize_results (interval_end_time)
  `
  yield* sql`
    CREATE TABLE kruize_recommendations (
      experiment_name text NOT NULL REFERENCES kruize_experiments (experiment_name) ON DELETE CASCADE,
      interval_end_time timestamptz(3) NOT NULL,
      cluster_name text,
      version text NOT NULL,
      extended_data jsonb NOT NULL,
      PRIMARY KEY (experiment_name, interval_end_time)
    )
  `
  yield* sql`
    CREATE INDEX idx_recommendation_interval_end_time ON kruize_recommendations (interval_end_time)
  `
})
