/**
 * A throw-away database on the real PostgreSQL server of infra/up, created for one test suite and
 * dropped after it, so suites never share rows.
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer } from "effect"
import { DatabaseSettings } from "../../src/services/Settings.js"

const adminClient = DatabaseSettings.pipe(
  Effect.map((s) =>
    PgClient.layer({
      host: s.host,
      port: s.port,
      database: "postgres",
      username: s.user,
      password: s.password,
      maxConnections: 1
    })
  ),
  Layer.unwrapEffect
)

const onAdmin = <A, E>(f: (sql: PgClient.PgClient) => Effect.Effect<A, E>) =>
  Effect.flatMap(PgClient.PgClient, f).pipe(Effect.provide(adminClient))

/** A PgClient (and SqlClient) on a fresh database named `<prefix>_<random>`. */
export const scratchDatabase = (prefix: string) =>
  Effect.gen(function* () {
    const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
    yield* Effect.acquireRelease(
      onAdmin((sql) => sql`CREATE DATABASE ${sql(name)}`),
      () => onAdmin((sql) => sql`DROP DATABASE IF EXISTS ${sql(name)} WITH (FORCE)`).pipe(Effect.orDie)
    )
    const s = yield* DatabaseSettings
    return PgClient.layer({
      host: s.host,
      port: s.port,
      database: name,
      username: s.user,
      password: s.password,
      maxConnections: 4
    })
  }).pipe(Layer.unwrapScoped)
