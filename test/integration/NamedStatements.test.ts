import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import pg from "pg"
import * as Database from "../../src/services/Database.js"
import { namingClient } from "../../src/services/database/NamedStatements.js"
import { DatabaseSettings } from "../../src/services/Settings.js"
import { scratchDatabaseName } from "../support/scratchDatabase.js"

/** The roles' own database client on `database`, through one connection, naming statements up to `limit`. */
const oneConnection = (database: string, limit: number) =>
  Database.client("ros").pipe(
    Layer.provide(
      Layer.setConfigProvider(
        ConfigProvider.fromMap(
          new Map([
            ["DB_NAME", database],
            ["DB_POOL_SIZE", "1"],
            ["DB_PREPARED_STATEMENTS", String(limit)]
          ])
        ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
      )
    )
  )

/** The statements prepared in this session (the query has no parameters, so it is never prepared itself). */
const prepared = Effect.flatMap(SqlClient.SqlClient, (sql) =>
  sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements ORDER BY prepare_time`.pipe(
    Effect.map((rows) => rows.map((r) => r.statement))
  )
)

const sum = (a: number, b: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql<{ n: number }>`SELECT ${a}::int + ${b}::int AS n`)

const onScratch = <A, E>(limit: number, body: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.gen(function* () {
    const database = yield* scratchDatabaseName("ros_test_named")
    return yield* body.pipe(Effect.provide(oneConnection(database, limit)))
  }).pipe(Effect.scoped)

describe("named statements on the real PostgreSQL server", () => {
  it.effect("a parameterized statement is prepared the second time the connection runs it, and answers the same", () =>
    onScratch(
      100,
      Effect.gen(function* () {
        expect(yield* sum(1, 2)).toEqual([{ n: 3 }])
        expect(yield* prepared).toEqual([])
        expect(yield* sum(20, 3)).toEqual([{ n: 23 }])
        const statements = yield* prepared
        expect(statements).toHaveLength(1)
        expect(statements[0]).toContain("SELECT $1::int + $2::int AS n")
        expect(yield* sum(5, 5)).toEqual([{ n: 10 }])
        expect(yield* prepared).toHaveLength(1)
      })
    )
  )

  it.effect("rows as arrays are prepared the same way", () =>
    onScratch(
      100,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const pair = (a: string) => sql`SELECT ${a}::text AS a, length(${a}::text) AS n`.values
        expect(yield* pair("x")).toEqual([["x", 1]])
        expect(yield* pair("xyz")).toEqual([["xyz", 3]])
        expect(yield* prepared).toHaveLength(1)
      })
    )
  )

  it.effect("beyond the limit, statements run unnamed and answer as before", () =>
    onScratch(
      3,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        for (let round = 0; round < 2; round++) {
          for (let k = 0; k < 6; k++) {
            // six distinct texts: the alias differs
            const rows = yield* sql
              .unsafe<Record<string, number>>(`SELECT $1::int * ${k} AS v${k}`, [round + 1])
              .pipe(Effect.map((rs) => rs.map((r) => Object.values(r)[0])))
            expect(rows).toEqual([(round + 1) * k])
          }
        }
        expect(yield* prepared).toHaveLength(3)
      })
    )
  )

  it.effect("a statement whose columns a migration changed is prepared again after one refusal", () =>
    onScratch(
      100,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE items (id integer PRIMARY KEY)`
        yield* sql`INSERT INTO items VALUES (1)`
        const item = (id: number) => sql<Record<string, unknown>>`SELECT * FROM items WHERE id = ${id}`
        yield* item(1)
        expect(yield* item(1)).toEqual([{ id: 1 }])
        yield* sql`ALTER TABLE items ADD COLUMN label text DEFAULT 'one'`
        // PostgreSQL refuses a prepared `*` whose columns changed; the name is dropped, so the next run prepares anew.
        const refused: SqlError = yield* Effect.flip(item(1))
        expect((refused.cause as { code?: unknown }).code).toBe("0A000")
        expect(yield* item(1)).toEqual([{ id: 1, label: "one" }])
        expect(yield* item(1)).toEqual([{ id: 1, label: "one" }])
      })
    )
  )

  it.effect("statements deallocated in the session are prepared again after one refusal", () =>
    onScratch(
      100,
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sum(1, 2)
        yield* sum(1, 2)
        expect(yield* prepared).toHaveLength(1)
        yield* sql`DEALLOCATE ALL`
        const refused: SqlError = yield* Effect.flip(sum(1, 2))
        expect((refused.cause as { code?: unknown }).code).toBe("26000")
        expect(yield* sum(2, 2)).toEqual([{ n: 4 }])
        expect(yield* sum(3, 2)).toEqual([{ n: 5 }])
        expect(yield* prepared).toHaveLength(1)
      })
    )
  )

  it.effect("limit 0 is node-postgres's own client: nothing is prepared", () =>
    onScratch(
      0,
      Effect.gen(function* () {
        expect(namingClient(0)).toBe(pg.Client)
        yield* sum(1, 1)
        yield* sum(1, 1)
        yield* sum(1, 1)
        expect(yield* prepared).toEqual([])
      })
    )
  )

  it.effect("the roles' database layer prepares repeated statements, as many as DB_PREPARED_STATEMENTS", () =>
    onScratch(
      1,
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) {
          yield* sum(i, 1)
          yield* Effect.flatMap(SqlClient.SqlClient, (sql) => sql`SELECT ${i}::int AS i`)
        }
        const statements = yield* prepared
        expect(statements).toHaveLength(1)
        expect(statements[0]).toContain("SELECT $1::int + $2::int AS n")
      })
    )
  )

  it.effect("DB_PREPARED_STATEMENTS below 0 is refused with its name", () =>
    Effect.gen(function* () {
      const settings = ConfigProvider.fromMap(new Map([["DB_PREPARED_STATEMENTS", "-1"]])).pipe(
        ConfigProvider.orElse(() => ConfigProvider.fromEnv())
      )
      const error = yield* Effect.flip(DatabaseSettings.pipe(Effect.withConfigProvider(settings)))
      expect(String(error)).toContain("DB_PREPARED_STATEMENTS must be 0 or more")
    })
  )
})
