/**
 * The upstream ROS schema in its final state (ros-ocp-backend migrations 001–025, spec ros-ocp-backend §4),
 * so upstream's API could read our rows and ours theirs. Partition names and bounds follow upstream, except
 * that only the date part of a name has its dashes replaced (upstream replaces them in the org id too, so
 * "a-b" and "a_b" would share partitions); the dynamic SQL quotes identifiers and literals, because an org id
 * arrives from a tenant's upload.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Declaration order matters: the API sorts by workload_type in this order.
  yield* sql`
    CREATE TYPE sorted_workloadtype AS ENUM
      ('daemonset', 'deployment', 'deploymentconfig', 'replicaset', 'replicationcontroller', 'statefulset', 'namespace')
  `
  yield* sql`CREATE TYPE metrictype AS ENUM ('container', 'namespace')`
  yield* sql`
    CREATE TABLE rh_accounts (
      id bigserial PRIMARY KEY,
      account text,
      org_id text UNIQUE NOT NULL,
      created_at timestamptz DEFAULT now()
    )
  `
  yield* sql`
    CREATE TABLE clusters (
      id bigserial PRIMARY KEY,
      tenant_id bigint NOT NULL REFERENCES rh_accounts (id) ON DELETE CASCADE,
      source_id text NOT NULL,
      cluster_uuid text NOT NULL,
      cluster_alias text NOT NULL,
      last_reported_at timestamptz,
      CONSTRAINT uq_clusters UNIQUE (tenant_id, source_id, cluster_uuid, cluster_alias)
    )
  `
  yield* sql`CREATE INDEX idx_cluster_last_reported_at ON clusters (last_reported_at)`
  yield* sql`CREATE INDEX idx_clusters_source_id ON clusters (source_id)`
  yield* sql`
    CREATE TABLE workloads (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      cluster_id bigint NOT NULL REFERENCES clusters (id) ON DELETE CASCADE,
      experiment_name text NOT NULL,
      namespace text NOT NULL,
      workload_type sorted_workloadtype,
      workload_name text,
      containers text[],
      metrics_upload_at timestamptz,
      CONSTRAINT uq_workloads UNIQUE (org_id, cluster_id, experiment_name)
    )
  `
  yield* sql`CREATE INDEX idx_workloads_containers ON workloads USING gin (containers)`
  yield* sql`CREATE INDEX idx_workloads_cluster_id ON workloads (cluster_id)`
  yield* sql`
    CREATE TABLE recommendation_sets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workload_id bigint REFERENCES workloads (id) ON DELETE CASCADE,
      container_name text NOT NULL,
      monitoring_start_time timestamptz NOT NULL,
      monitoring_end_time timestamptz NOT NULL,
      recommendations jsonb NOT NULL,
      updated_at timestamptz NOT NULL,
      cpu_request_current numeric(10, 4),
      memory_request_current numeric(20, 4),
      cpu_variation_short_cost_pct numeric(10, 4),
      cpu_variation_short_performance_pct numeric(10, 4),
      cpu_variation_medium_cost_pct numeric(10, 4),
      cpu_variation_medium_performance_pct numeric(10, 4),
      cpu_variation_long_cost_pct numeric(10, 4),
      cpu_variation_long_performance_pct numeric(10, 4),
      memory_variation_short_cost_pct numeric(10, 4),
      memory_variation_short_performance_pct numeric(10, 4),
      memory_variation_medium_cost_pct numeric(10, 4),
      memory_variation_medium_performance_pct numeric(10, 4),
      memory_variation_long_cost_pct numeric(10, 4),
      memory_variation_long_performance_pct numeric(10, 4),
      CONSTRAINT uq_recommendation UNIQUE (workload_id, container_name)
    )
  `
  yield* sql`CREATE INDEX idx_recommendation_set_workload_id ON recommendation_sets (workload_id)`
  yield* sql`
    CREATE TABLE historical_recommendation_sets (
      id bigserial,
      org_id text NOT NULL,
      workload_id bigint NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
      container_name text NOT NULL,
      monitoring_start_time timestamptz NOT NULL,
      monitoring_end_time timestamptz NOT NULL,
      recommendations jsonb NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT uq_historical_recommendation UNIQUE (org_id, workload_id, container_name, monitoring_end_time)
    ) PARTITION BY LIST (org_id)
  `
  yield* sql`
    CREATE TABLE workload_metrics (
      id bigserial,
      org_id text NOT NULL,
      workload_id bigint NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
      container_name text NOT NULL,
      interval_start timestamptz NOT NULL,
      interval_end timestamptz NOT NULL,
      usage_metrics jsonb NOT NULL,
      namespace_name text,
      metric_type metrictype DEFAULT 'container',
      CONSTRAINT uq_workload_metrics UNIQUE (org_id, workload_id, container_name, interval_start, interval_end)
    ) PARTITION BY LIST (org_id)
  `
  yield* sql`CREATE INDEX idx_workload_metrics_workload_id_interval_end ON workload_metrics (workload_id, interval_end)`
  yield* sql`
    CREATE TABLE namespace_recommendation_sets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      org_id text NOT NULL,
      workload_id bigint NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
      namespace_name text NOT NULL,
      cpu_request_current numeric(10, 4),
      memory_request_current numeric(20, 4),
      cpu_variation_short_cost_pct numeric(10, 4),
      cpu_variation_short_performance_pct numeric(10, 4),
      cpu_variation_medium_cost_pct numeric(10, 4),
      cpu_variation_medium_performance_pct numeric(10, 4),
      cpu_variation_long_cost_pct numeric(10, 4),
      cpu_variation_long_performance_pct numeric(10, 4),
      memory_variation_short_cost_pct numeric(10, 4),
      memory_variation_short_performance_pct numeric(10, 4),
      memory_variation_medium_cost_pct numeric(10, 4),
      memory_variation_medium_performance_pct numeric(10, 4),
      memory_variation_long_cost_pct numeric(10, 4),
      memory_variation_long_performance_pct numeric(10, 4),
      monitoring_start_time timestamptz NOT NULL,
      monitoring_end_time timestamptz NOT NULL,
      recommendations jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL,
      CONSTRAINT uq_namespace_recommendation UNIQUE (workload_id)
    )
  `
  yield* sql`CREATE INDEX idx_namespace_recommendation_sets_org_id ON namespace_recommendation_sets (org_id)`
  yield* sql`
    CREATE TABLE historical_namespace_recommendation_sets (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      workload_id bigint NOT NULL REFERENCES workloads (id) ON DELETE CASCADE,
      namespace_name text NOT NULL,
      monitoring_start_time timestamptz NOT NULL,
      monitoring_end_time timestamptz NOT NULL,
      recommendations jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL,
      CONSTRAINT uq_historical_namespace_recommendation UNIQUE (org_id, workload_id, monitoring_end_time)
    )
  `
  // Half-month range partitions around `ts`: its own half and the one before (upstream migration 011).
  yield* sql.unsafe(`
    CREATE FUNCTION create_monthly_partitions(ts timestamptz, parent text) RETURNS void AS $fn$
    DECLARE
      day date := (ts AT TIME ZONE 'UTC')::date;
      month_start date := date_trunc('month', day)::date;
      bounds date[];
      lower_bound date;
      upper_bound date;
    BEGIN
      IF extract(day FROM day) > 15 THEN
        bounds := ARRAY[month_start + 15, (month_start + interval '1 month')::date, month_start, month_start + 15];
      ELSE
        bounds := ARRAY[month_start, month_start + 15, (month_start - interval '1 month')::date + 15, month_start];
      END IF;
      FOR i IN 0..1 LOOP
        lower_bound := bounds[i * 2 + 1];
        upper_bound := bounds[i * 2 + 2];
        EXECUTE format(
          'CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
          parent || '_' || to_char(lower_bound, 'YYYY_MM_FMDD'),
          parent, lower_bound, upper_bound);
      END LOOP;
    END
    $fn$ LANGUAGE plpgsql
  `)
  yield* sql.unsafe(`
    CREATE FUNCTION create_org_partitions(org text, ts timestamptz, parent text, range_column text) RETURNS void AS $fn$
    DECLARE
      org_table text := parent || '_' || org;
    BEGIN
      EXECUTE format(
        'CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES IN (%L) PARTITION BY RANGE (%I)',
        org_table, parent, org, range_column);
      IF ts IS NOT NULL THEN
        PERFORM create_monthly_partitions(ts, org_table);
      END IF;
    END
    $fn$ LANGUAGE plpgsql
  `)
  yield* sql.unsafe(`
    CREATE FUNCTION workload_metrics_insert_trigger_func() RETURNS trigger AS $fn$
    BEGIN
      PERFORM create_org_partitions(NEW.org_id, NEW.metrics_upload_at, 'workload_metrics', 'interval_end');
      RETURN NEW;
    END
    $fn$ LANGUAGE plpgsql
  `)
  yield* sql.unsafe(`
    CREATE FUNCTION historical_recommendation_sets_insert_trigger_func() RETURNS trigger AS $fn$
    BEGIN
      PERFORM create_org_partitions(
        NEW.org_id, NEW.metrics_upload_at, 'historical_recommendation_sets', 'monitoring_end_time');
      RETURN NEW;
    END
    $fn$ LANGUAGE plpgsql
  `)
  yield* sql`
    CREATE TRIGGER workload_metrics_insert_trigger BEFORE INSERT ON workloads
      FOR EACH ROW EXECUTE FUNCTION workload_metrics_insert_trigger_func()
  `
  yield* sql`
    CREATE TRIGGER historical_recommendation_sets_insert_trigger BEFORE INSERT ON workloads
      FOR EACH ROW EXECUTE FUNCTION historical_recommendation_sets_insert_trigger_func()
  `
  // Drops every leaf range partition whose lower bound is before `table_date` (upstream migration 011).
  yield* sql.unsafe(`
    CREATE FUNCTION drop_ros_partition(table_date date) RETURNS integer AS $fn$
    DECLARE
      leaf record;
      dropped integer := 0;
    BEGIN
      FOR leaf IN
        SELECT c.oid::regclass AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
        FROM pg_class c
        WHERE c.relispartition AND c.relkind = 'r'
          AND pg_get_expr(c.relpartbound, c.oid) LIKE 'FOR VALUES FROM%'
      LOOP
        IF substring(leaf.bound FROM '''([0-9-]+)')::date < table_date THEN
          EXECUTE format('DROP TABLE %s', leaf.name);
          dropped := dropped + 1;
        END IF;
      END LOOP;
      RETURN dropped;
    END
    $fn$ LANGUAGE plpgsql
  `)
})
