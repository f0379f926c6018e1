/**
 * `COPY … FROM STDIN` on a connection of the database's pool, which @effect/sql does not offer. PostgreSQL reads
 * rows sent this way with its COPY parser, without parsing them first as a parameter of a statement: the
 * workload_metrics rows of the full-size upload cost its backend 6.5 CPU seconds by COPY against 13 as one JSON
 * document unpacked by `jsonb_to_recordset`. A COPY runs in a transaction of its own, on its own connection: a
 * failure stores none of its rows.
 */
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { SqlError } from "@effect/sql/SqlError"
import { Cause, Context, Effect, Exit, Option } from "effect"
import pg from "pg"
import { from as copyFromStdin } from "pg-copy-streams"

export interface CopyFromService {
  /** Runs `statement` (a `COPY … FROM STDIN` in text format) with `text` as its data. */
  readonly copyFrom: (statement: string, text: string) => Effect.Effect<void, SqlError>
}

export class CopyFrom extends Context.Tag("ros/CopyFrom")<CopyFrom, CopyFromService>() {}

const special = /[\\\t\n\r]/
const escapes: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" }

/** A value as a field of COPY's text format, where backslash, tab and line ends are escaped. */
export const copyField = (value: string): string =>
  special.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => escapes[c] ?? c) : value

/** Parts of the data written at a time, so a large COPY does not hold one socket write of all of it. */
const CHUNK_CHARS = 256 * 1024

/** The text in parts of about CHUNK_CHARS, never between the two halves of a surrogate pair (each would become U+FFFD). */
function* chunksOf(text: string) {
  let at = 0
  while (at < text.length) {
    let end = Math.min(text.length, at + CHUNK_CHARS)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1
    yield text.slice(at, end)
    at = end
  }
}

/**
 * After an error of the server (a duplicate row, a missing partition) the connection is ready for the next query;
 * a COPY cut short otherwise (interrupted, the socket lost) may have left it mid-protocol, so it is closed.
 */
const reusable = (exit: Exit.Exit<unknown, SqlError>) =>
  Exit.isSuccess(exit) ||
  (!Cause.isInterrupted(exit.cause) &&
    Option.exists(Cause.failureOption(exit.cause), (e) => e.cause instanceof pg.DatabaseError))

export const copyFromPool = (pool: pg.Pool): CopyFromService => ({
  copyFrom: (statement, text) =>
    Effect.acquireUseRelease(
      Effect.tryPromise({
        try: () => pool.connect(),
        catch: (cause) => new SqlError({ cause, message: "could not get a connection for COPY" })
      }),
      (client) =>
        Effect.tryPromise({
          try: (signal) =>
            pipeline(Readable.from(chunksOf(text), { objectMode: false }), client.query(copyFromStdin(statement)), {
              signal
            }),
          catch: (cause) => new SqlError({ cause, message: `COPY failed: ${String(cause)}` })
        }),
      (client, exit) => Effect.sync(() => client.release(reusable(exit) ? undefined : true))
    ).pipe(Effect.withSpan("CopyFrom.copyFrom", { captureStackTrace: false }))
})
