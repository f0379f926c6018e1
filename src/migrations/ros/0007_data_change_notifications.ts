/**
 * Every statement that changes a table the REST API reads notifies channel `ros_ocp_data_changed` (delivered at
 * commit, folded to one notification per transaction), whoever runs it: our roles, upstream's, or someone with psql.
 * The API keeps answers only while it listens and forgets them on each notification (src/api/DataChanges.ts).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

/** The tables the API's queries read. */
const tablesTheApiReads = [
  "rh_accounts",
  "clusters",
  "workloads",
  "recommendation_sets",
  "namespace_recommendation_sets"
] as const

export const dataChangedChannel = "ros_ocp_data_changed"

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`
    CREATE FUNCTION ros_ocp_notify_data_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('${dataChangedChannel}', TG_TABLE_NAME);
      RETURN NULL;
    END
    $$`)
  for (const table of tablesTheApiReads) {
    yield* sql`
      CREATE TRIGGER ros_ocp_data_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${sql(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION ros_ocp_notify_data_changed()`
  }
})
