/**
 * A throw-away database on the real PostgreSQL server of infra/up, created for one test suite and
 * dropped after it, so suites never share rows.
 */
import type { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer } from "effect"
import { pooledClient } from "../../src/services/Database.js"
import type { CopyFrom } from "../../src/services/database/CopyFrom.js"
import { DatabaseSettings } from "../../src/services/Settings.js"

/**
 * A PgClient (and SqlClient, and COPY) on an existing database of the test server, made as the roles make theirs
 * but without named statements, which a test that changes tables under them would find stale.
 */
export const databaseClient = (database: string, maxConnections = 2) =>
  Effect.map(DatabaseSettings, (s) =>
    pooledClient(database, { ...s, maxConnections, preparedStatements: 0 }, "ros-ocp/test")
  ).pipe(Layer.unwrapEffect)

/** Runs `f` on its own client of `database` (one connection unless told). */
export const onDatabase = <A, E>(
  database: string,
  f: (sql: PgClient.PgClient) => Effect.Effect<A, E, PgClient.PgClient | SqlClient.SqlClient | CopyFrom>,
  maxConnections = 1
) => Effect.flatMap(PgClient.PgClient, f).pipe(Effect.provide(databaseClient(database, maxConnections)))

const onAdmin = <A, E>(f: (sql: PgClient.PgClient) => Effect.Effect<A, E>) => onDatabase("postgres", f)

/** Creates `<prefix>_<random>` for the life of the scope and returns its name. */
export const scratchDatabaseName = (prefix: string) => {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  return Effect.acquireRelease(onAdmin((sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(Effect.as(name)), () =>
    onAdmin((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(Effect.orDie)
  )
}

/** A PgClient (and SqlClient) on a fresh database. */
export const scratchDatabase = (prefix: string) =>
  Effect.map(scratchDatabaseName(prefix), (name) => databaseClient(name, 4)).pipe(Layer.unwrapScoped)
