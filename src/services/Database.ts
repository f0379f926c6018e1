/**
 * PostgreSQL access: one `PgClient` layer per database (ros, kruize, sources) and its migrations.
 * Each role provides the layer of the database it owns once, at its composition root; the layer
 * runs that database's pending migrations before anything else touches it.
 */
import * as Migrator from "@effect/sql/Migrator"
import { SqlError } from "@effect/sql/SqlError"
import { PgClient } from "@effect/sql-pg"
import { Config, Effect, Layer, Redacted } from "effect"
import pg from "pg"
import { type Migrations, migrations } from "../migrations/index.js"
import { CopyFrom, copyFromPool } from "./database/CopyFrom.js"
import { namingClient } from "./database/NamedStatements.js"

export type { Migrations }

import { DatabaseSettings } from "./Settings.js"

export type DatabaseName = keyof typeof migrations

/** The table that records applied migrations in each database. */
export const migrationsTable = "ros_ocp_migrations"

const databaseOf = (name: DatabaseName) =>
  DatabaseSettings.pipe(
    Config.map((s) => ({ name: { ros: s.rosName, kruize: s.kruizeName, sources: s.sourcesName }[name], settings: s }))
  )

/**
 * A pooled SQL client on `database` and COPY on the same pool, closed with the layer. The pool is made here rather
 * than by @effect/sql-pg so that its connections name the statements they repeat (DB_PREPARED_STATEMENTS) and COPY
 * (CopyFrom.ts) can use them.
 */
export const pooledClient = (
  database: string,
  settings: Config.Config.Success<typeof DatabaseSettings>,
  applicationName: string
) =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const made = new pg.Pool({
        host: settings.host,
        port: settings.port,
        database,
        user: settings.user,
        password: Redacted.value(settings.password),
        ssl: settings.ssl,
        max: settings.maxConnections,
        application_name: applicationName,
        Client: namingClient(settings.preparedStatements)
      })
      // An idle connection that fails is dropped by the pool; the next query gets a new one and sees any error.
      made.on("error", () => {})
      yield* Effect.addFinalizer(() =>
        Effect.promise(() => made.end()).pipe(Effect.interruptible, Effect.timeoutOption("1 second"))
      )
      yield* Effect.tryPromise({
        try: () => made.query("SELECT 1"),
        catch: (cause) => new SqlError({ cause, message: `could not connect to database ${database}` })
      }).pipe(
        Effect.timeoutFail({
          duration: "5 seconds",
          onTimeout: () =>
            new SqlError({ cause: new Error("connection timed out"), message: `no answer from database ${database}` })
        })
      )
      return Layer.merge(
        PgClient.layerFromPool({ acquire: Effect.succeed(made), applicationName }),
        Layer.succeed(CopyFrom, copyFromPool(made))
      )
    })
  )

/** The pooled client of one of the databases, configured from the DB_* settings. */
export const client = (name: DatabaseName) =>
  Layer.unwrapEffect(
    Effect.map(databaseOf(name), ({ name: database, settings }) => pooledClient(database, settings, `ros-ocp/${name}`))
  )

const runMigrations = Migrator.make({})

/** Applies the pending migrations of `set`; returns the ones it applied (none on a second run). */
export const applyMigrations = (set: Migrations) =>
  runMigrations({ loader: Migrator.fromRecord(set), table: migrationsTable })

/** Brings database `name` up to date with its migrations. */
export const migrate = (name: DatabaseName) =>
  applyMigrations(migrations[name]).pipe(
    Effect.tap((applied) =>
      applied.length === 0
        ? Effect.logDebug("database schema up to date")
        : Effect.logInfo(
            `applied ${applied.length} migration(s)`,
            applied.map(([id, n]) => `${id}_${n}`)
          )
    ),
    Effect.annotateLogs({ database: name }),
    Effect.withSpan("Database.migrate", { attributes: { database: name } })
  )

/** A client for `name` whose construction first brings the schema up to date. */
export const layer = (name: DatabaseName) => Layer.effectDiscard(migrate(name)).pipe(Layer.provideMerge(client(name)))

/** The three databases, defined once so every role shares one pool per database. */
export const RosDatabase = layer("ros")
export const KruizeDatabase = layer("kruize")
export const SourcesDatabase = layer("sources")
