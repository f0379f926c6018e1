/**
 * The recommender role started for real, in this process: its HTTP server on a free loopback port,
 * its cluster runner, and a throw-away `kruize` database on the PostgreSQL server of infra/up.
 */
import { ConfigProvider, Effect, Exit, Layer, Schedule, Scope } from "effect"
import { RecommenderLive, recommenderWith } from "../../src/roles/recommender.js"
import { unusedPort } from "./ports.js"
import { scratchDatabaseName } from "./scratchDatabase.js"

export interface EngineUnderTest {
  readonly url: string
  /** Starts the role (again) on the same database; the previous instance must have been stopped. */
  readonly start: Effect.Effect<Scope.CloseableScope>
}

/** `experiments`: the EngineExperiment behaviour, when a test needs another than production's. */
export const engineOn = (
  database: string,
  extra: Record<string, string> = {},
  experiments?: Parameters<typeof recommenderWith>[0]
) =>
  Effect.gen(function* () {
    const port = yield* unusedPort
    const runnerPort = yield* unusedPort
    const provider = ConfigProvider.fromMap(
      new Map([
        ["KRUIZE_DB_NAME", database],
        ["KRUIZE_PORT", String(port)],
        ["ENGINE_RUNNER_PORT", String(runnerPort)],
        ...Object.entries(extra)
      ])
    ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
    const start = Effect.gen(function* () {
      const scope = yield* Scope.make()
      const role = experiments === undefined ? RecommenderLive : recommenderWith(experiments)
      yield* Layer.buildWithScope(role.pipe(Layer.provide(Layer.setConfigProvider(provider))), scope)
      return scope
    }).pipe(Effect.orDie)
    return { url: `http://127.0.0.1:${port}`, start } satisfies EngineUnderTest
  })

/** The role started on a fresh database named after `prefix`, for the test's scope. */
export const runningEngine = (prefix: string, extra: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const database = yield* scratchDatabaseName(prefix)
    const engine = yield* engineOn(database, extra)
    const running = yield* engine.start
    yield* Effect.addFinalizer(() => Scope.close(running, Exit.void))
    return { url: engine.url, database }
  })

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly text: string
}

/**
 * One HTTP call to the engine; the body is parsed when it is JSON. A connection reset is tried again
 * (twice): a keep-alive socket the server closes just as the client reuses it is a race of HTTP/1.1, not an
 * answer.
 */
export const call = (url: string, method: string, path: string, body?: unknown) =>
  attempt(url, method, path, body).pipe(
    Effect.retry({ times: 2, schedule: Schedule.spaced("100 millis") }),
    Effect.orDie
  )

const attempt = (url: string, method: string, path: string, body?: unknown) =>
  Effect.tryPromise(async (): Promise<Answer> => {
    const response = await fetch(`${url}${path}`, {
      method,
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      headers: { "content-type": "application/json" }
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, text }
  })
