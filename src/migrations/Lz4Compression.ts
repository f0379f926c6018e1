/**
 * Sets lz4 TOAST compression on a column where the server was built with it; elsewhere the column keeps the
 * default pglz. lz4 (de)compresses several times faster, which matters for the large JSON values the engine
 * rewrites on its hot paths.
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

export const useLz4Compression = (table: string, column: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const lz4 = yield* sql<{ available: boolean }>`
      SELECT coalesce(bool_or('lz4' = ANY (enumvals)), false) AS available
      FROM pg_settings WHERE name = 'default_toast_compression'`
    if (lz4[0]?.available === true) {
      yield* sql`ALTER TABLE ${sql(table)} ALTER COLUMN ${sql(column)} SET COMPRESSION lz4`
    }
  })
