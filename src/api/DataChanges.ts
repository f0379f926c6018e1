/**
 * When the data the API shows may have changed. The tables it reads notify `ros_ocp_data_changed` from statement
 * triggers (migration ros 7); one connection of its own listens. `generation()` moves on with every notification and
 * whenever that connection is lost or made again, and is undefined while nobody listens, so an answer kept under a
 * generation is never served after a change the API was told about, nor while it could miss one.
 *
 * The pool's `listen` is not used: it hides a lost connection, which here would mean stale answers for good. With
 * API_ANSWER_CACHE_MB=0 nothing is kept, so nothing listens.
 */
import { PgClient } from "@effect/sql-pg"
import { Context, Data, Duration, Effect, Layer, Redacted, Schedule } from "effect"
import pg from "pg"
import { dataChangedChannel } from "../migrations/ros/0007_data_change_notifications.js"
import { ApiSettings } from "../services/Settings.js"

export class DataChanges extends Context.Tag("ros/api/DataChanges")<
  DataChanges,
  {
    /** Undefined while not listening: nothing may be served from what was kept. */
    readonly generation: () => number | undefined
  }
>() {}

class ListenLost extends Data.TaggedError("ListenLost")<{ readonly cause: unknown }> {}

export const DataChangesLive = Layer.scoped(
  DataChanges,
  Effect.gen(function* () {
    if ((yield* ApiSettings).answerCacheMb === 0) return { generation: () => undefined }
    const { config } = yield* PgClient.PgClient
    let generation = 0
    let listening = false
    const connection = Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          const client = new pg.Client({
            host: config.host,
            port: config.port,
            database: config.database,
            user: config.username,
            password: config.password === undefined ? undefined : Redacted.value(config.password),
            ssl: config.ssl,
            application_name: "ros-ocp/api-listen",
            // A connection that dies silently is noticed by TCP keep-alive (AnswerCache's maximum age bounds the rest).
            keepAlive: true
          })
          // An error before `connect` settles is reported by it; one after it, by the wait below.
          client.on("error", () => {})
          await client.connect()
          return client
        },
        catch: (cause) => new ListenLost({ cause })
      }),
      (client) => Effect.promise(() => client.end().catch(() => undefined))
    )
    const listenUntilLost = Effect.scoped(
      Effect.gen(function* () {
        const client = yield* connection
        client.on("notification", () => {
          generation++
        })
        yield* Effect.tryPromise({
          try: () => client.query(`LISTEN ${dataChangedChannel}`),
          catch: (cause) => new ListenLost({ cause })
        })
        generation++
        listening = true
        yield* Effect.logDebug("listening for data changes")
        return yield* Effect.async<never, ListenLost>((resume) => {
          client.on("error", (cause) => resume(Effect.fail(new ListenLost({ cause }))))
          client.on("end", () => resume(Effect.fail(new ListenLost({ cause: "connection ended" }))))
        })
      })
    ).pipe(
      Effect.ensuring(
        Effect.sync(() => {
          listening = false
          generation++
        })
      ),
      Effect.tapError((e) => Effect.logWarning("not listening for data changes; answers are not kept", e.cause))
    )
    yield* Effect.forkScoped(
      Effect.retry(
        listenUntilLost,
        Schedule.exponential("200 millis").pipe(Schedule.either(Schedule.spaced(Duration.seconds(5))))
      )
    )
    return { generation: () => (listening ? generation : undefined) }
  })
)
