import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { useLz4Compression } from "../../src/migrations/Lz4Compression.js"
import * as Database from "../../src/services/Database.js"
import { scratchDatabase } from "../support/scratchDatabase.js"

const Count = Schema.Struct({ n: Schema.NumberFromString })
const count = (table: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql`SELECT count(*)::text AS n FROM ${sql(table)}`
    return (yield* Schema.decodeUnknown(Schema.Array(Count))(rows))[0]?.n
  })

const testMigrations: Database.Migrations = {
  "1_create_accounts": Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`CREATE TABLE accounts (id text PRIMARY KEY, balance integer NOT NULL CHECK (balance >= 0))`
  ),
  "2_seed_accounts": Effect.flatMap(
    SqlClient.SqlClient,
    (sql) =>
      sql`INSERT INTO accounts ${sql.insert([
        { id: "a", balance: 100 },
        { id: "b", balance: 0 }
      ])}`
  )
}

describe("Database on the real PostgreSQL server", () => {
  layer(scratchDatabase("ros_test_db"), { excludeTestServices: true })((it) => {
    it.effect("applies migrations once; a second run is a no-op", () =>
      Effect.gen(function* () {
        const first = yield* Database.applyMigrations(testMigrations)
        expect(first).toEqual([
          [1, "create_accounts"],
          [2, "seed_accounts"]
        ])
        const second = yield* Database.applyMigrations(testMigrations)
        expect(second).toEqual([])
        expect(yield* count("accounts")).toBe(2)
        expect(yield* count(Database.migrationsTable)).toBe(2)
      })
    )

    it.effect("rolls a failed transaction back entirely", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const transfer = (amount: number) =>
          Effect.gen(function* () {
            yield* sql`UPDATE accounts SET balance = balance + ${amount} WHERE id = 'b'`
            yield* sql`UPDATE accounts SET balance = balance - ${amount} WHERE id = 'a'`
          }).pipe(sql.withTransaction)
        yield* transfer(30)
        const failed = yield* transfer(500).pipe(Effect.flip)
        expect(failed._tag).toBe("SqlError")
        const rows = yield* sql<{ id: string; balance: number }>`SELECT id, balance FROM accounts ORDER BY id`
        expect(rows.map((r) => [r.id, r.balance])).toEqual([
          ["a", 70],
          ["b", 30]
        ])
      })
    )

    it.effect("compresses a column with lz4 where the server has it, and leaves it alone where not", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        yield* sql`CREATE TABLE documents (id integer PRIMARY KEY, body jsonb NOT NULL)`
        yield* useLz4Compression("documents", "body")
        const server = yield* sql<{ lz4: boolean }>`
          SELECT 'lz4' = ANY (enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'`
        const column = yield* sql<{ compression: string }>`
          SELECT attcompression::text AS compression FROM pg_attribute
          WHERE attrelid = 'documents'::regclass AND attname = 'body'`
        expect(column[0]?.compression).toBe(server[0]?.lz4 === true ? "l" : "")
      })
    )
  })

  layer(Database.RosDatabase, { excludeTestServices: true })((it) => {
    it.effect("connects to the ros database and records its migrations", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const rows = yield* sql<{ db: string }>`SELECT current_database() AS db`
        expect(rows[0]?.db).toBe("ros")
        const table = yield* sql<{ t: string | null }>`SELECT to_regclass(${Database.migrationsTable})::text AS t`
        expect(table[0]?.t).toBe(Database.migrationsTable)
      })
    )
  })
})
