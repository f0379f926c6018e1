/**
 * COPY on the real PostgreSQL server: text-format fields escaped by `copyField` come back as they went in, and a
 * COPY the server refuses stores none of its rows, fails with the server's error code, and leaves the pool usable.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Predicate } from "effect"
import { CopyFrom, copyField } from "../../../src/services/database/CopyFrom.js"
import { databaseClient, scratchDatabaseName } from "../../support/scratchDatabase.js"

/** A fresh database on one connection, which SQL and COPY share. */
const OneConnection = Effect.map(scratchDatabaseName("copy_from"), (name) => databaseClient(name, 1)).pipe(
  Layer.unwrapScoped
)

const awkward = [
  "plain",
  "tab\there",
  "line\nbreak and\r\nwindows",
  "back\\slash \\N \\t",
  'json {"a":"q\\"uote","b":"\\u0001"}',
  "ünïcode ✓ \ud83d\ude80"
]

describe("CopyFrom on a real server", () => {
  it.layer(OneConnection)((it) => {
    it.effect("fields escaped by copyField are stored exactly", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const { copyFrom } = yield* CopyFrom
        yield* sql`CREATE TABLE copied (id int PRIMARY KEY, body text NOT NULL, doc jsonb)`
        const docs = awkward.map((text, i) => ({ i, text, nested: [text, { text }] }))
        yield* copyFrom(
          "COPY copied (id, body, doc) FROM STDIN",
          awkward.map((text, i) => `${i}\t${copyField(text)}\t${copyField(JSON.stringify(docs[i]))}\n`).join("")
        )
        const rows = yield* sql<{
          id: number
          body: string
          doc: unknown
        }>`SELECT id, body, doc FROM copied ORDER BY id`
        expect(rows).toEqual(awkward.map((text, i) => ({ id: i, body: text, doc: docs[i] })))
      })
    )

    it.effect("a character outside the BMP survives wherever the data is cut into parts", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const { copyFrom } = yield* CopyFrom
        yield* sql`CREATE TABLE long_rows (id int PRIMARY KEY, body text NOT NULL)`
        // The data goes in parts of 256 Ki characters: the pair of "🚀" lands on each side of a cut in turn.
        const cut = 256 * 1024
        const bodies = Array.from({ length: 6 }, (_, k) => `${"a".repeat(cut - 2 - 3 + k)}🚀 end`)
        for (const [i, body] of bodies.entries()) {
          yield* copyFrom("COPY long_rows (id, body) FROM STDIN", `${i}\t${body}\n`)
        }
        const rows = yield* sql<{ id: number; body: string }>`SELECT id, body FROM long_rows ORDER BY id`
        expect(rows).toEqual(bodies.map((body, id) => ({ id, body })))
      })
    )

    it.effect(
      "a refused COPY stores none of its rows, fails with the server's code, and the next one goes through",
      () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const { copyFrom } = yield* CopyFrom
          yield* sql`CREATE TABLE keyed (id int PRIMARY KEY, body text NOT NULL)`
          yield* copyFrom("COPY keyed (id, body) FROM STDIN", "1\tfirst\n")
          // The pool has one connection: the third call proves it is usable after the refusal.
          const refused = yield* Effect.exit(copyFrom("COPY keyed (id, body) FROM STDIN", "2\tsecond\n1\tagain\n"))
          expect(Exit.isFailure(refused)).toBe(true)
          if (Exit.isFailure(refused)) {
            const error = refused.cause._tag === "Fail" ? refused.cause.error : undefined
            expect(error?._tag).toBe("SqlError")
            expect(Predicate.hasProperty(error?.cause, "code") && error.cause.code).toBe("23505")
          }
          yield* copyFrom("COPY keyed (id, body) FROM STDIN", "3\tthird\n")
          const rows = yield* sql<{ id: number; body: string }>`SELECT id, body FROM keyed ORDER BY id`
          expect(rows).toEqual([
            { id: 1, body: "first" },
            { id: 3, body: "third" }
          ])
        })
    )
  })
})
