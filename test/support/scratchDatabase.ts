/**
 * A throw-away database on the real PostgreSQL server of infra/up, created for one test suite and
 * dropped after it, so suites never share rows.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer } from "effect"
import { DatabaseSettings } from "../../src/services/Settings.js"

const clientFor = (database: string, maxConnections: number) =>
  Effect.map(DatabaseSettings, (s) =>
    PgClient.layer({
      host: s.host,
      port: s.port,
      database,
      username: s.user,
      password: s.password,
      maxConnections
    })
  ).pipe(Layer.unwrapEffect)

const onAdmin = <A, E>(f: (sql: PgClient.PgClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(PgClient.PgClient, f).pipe(Effect.provide(clientFor("postgres", 1)))

/** Creates `<prefix>_<random>` for the life of the scope and returns its name. */
export const scratchDatabaseName = (prefix: string) => {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  return Effect.acquireRelease(onAdmin((sql) => sql`CREATE DATABASE ${sql(name)}`).pipe(Effect.as(name)), () =>
    onAdmin((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(Effect.orDie)
  )
}

/** A PgClient (and SqlClient) on a fresh database. */
export const scratchDatabase = (prefix: string) =>
  Effect.map(scratchDatabaseName(prefix), (name) => clientFor(name, 4)).pipe(Layer.unwrapScoped)
