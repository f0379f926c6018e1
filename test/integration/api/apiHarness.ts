/**
 * The api role started for real in this process: its HTTP server on a free loopback port, on a throw-away `ros`
 * database of the PostgreSQL server of infra/up (migrated by the role itself), seeded through `seedRos`.
 */
import type { SqlClient } from "@effect/sql"
import type { PgClient } from "@effect/sql-pg"
import { ConfigProvider, Context, Effect, Layer, Schedule } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { ApiLive } from "../../../src/roles/api.js"
import { unusedPort } from "../../support/ports.js"
import { type SeededIds, type SeedOrg, seedRos } from "../../support/rosSeed.js"
import { databaseClient, scratchDatabaseName } from "../../support/scratchDatabase.js"

export interface ApiUnderTestShape {
  readonly url: string
  readonly database: string
  readonly ids: SeededIds
  /** A client on the role's database, for tests that change rows. */
  readonly sql: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient>
}

export class ApiUnderTest extends Context.Tag("test/ApiUnderTest")<ApiUnderTest, ApiUnderTestShape>() {}

/** Starts the role with `env` on a fresh database seeded with `orgs`. */
export const apiUnderTest = (prefix: string, orgs: ReadonlyArray<SeedOrg>, env: Record<string, string> = {}) =>
  Layer.scoped(
    ApiUnderTest,
    Effect.gen(function* () {
      const database = yield* scratchDatabaseName(prefix)
      const port = yield* unusedPort
      const provider = ConfigProvider.fromMap(
        new Map([["DB_NAME", database], ["API_PORT", String(port)], ["LOG_LEVEL", "WARN"], ...Object.entries(env)])
      ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
      yield* Layer.build(ApiLive.pipe(Layer.provide(Layer.setConfigProvider(provider))))
      const sql = databaseClient(database).pipe(Layer.orDie)
      const ids = yield* seedRos(orgs).pipe(Effect.provide(sql), Effect.orDie)
      return { url: `http://127.0.0.1:${port}`, database, ids, sql }
    }).pipe(Effect.orDie)
  )

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  /** The body parsed as JSON, or the text when it is not JSON. */
  readonly body: unknown
}

export interface CallOptions {
  /** An org to send an identity for; `null` sends none. */
  readonly org?: string | null
  readonly headers?: Record<string, string>
}

/** GET `path` from the API under test (retried on a reset keep-alive socket, a race of HTTP/1.1). */
export const get = (path: string, options: CallOptions = {}) =>
  Effect.flatMap(ApiUnderTest, (api) =>
    Effect.tryPromise(async (): Promise<Answer> => {
      const headers: Record<string, string> = { ...options.headers }
      if (options.org !== null && options.org !== undefined)
        headers["x-rh-identity"] = makeIdentityHeader({ orgId: options.org })
      const response = await fetch(`${api.url}${path}`, { headers })
      const text = await response.text()
      let body: unknown = text
      try {
        body = JSON.parse(text)
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, text, body }
    }).pipe(Effect.retry({ times: 2, schedule: Schedule.spaced("50 millis") }), Effect.orDie)
  )
