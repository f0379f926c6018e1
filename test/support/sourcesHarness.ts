/**
 * The sources role started for real, in this process: its HTTP server on a free loopback port and a
 * throw-away `sources` database on the PostgreSQL server of infra/up; plus a reader of
 * platform.sources.event-stream that starts at the topic's end, in a consumer group of its own.
 */
import { Chunk, ConfigProvider, Effect, Layer, Queue, Schema, Scope } from "effect"
import { SourcesLive } from "../../src/roles/sources.js"
import { type IncomingMessage, Kafka } from "../../src/services/Kafka.js"
import { positionGroupAtEnd } from "./kafkaGroups.js"
import { unusedPort } from "./ports.js"

export const EVENT_TOPIC = "platform.sources.event-stream"

export interface SourcesUnderTest {
  readonly url: string
  /** Starts the role (again) on the same database; the previous instance must have been stopped. */
  readonly start: Effect.Effect<Scope.CloseableScope>
}

/** The role on `database`, with `extra` settings over the environment's. */
export const sourcesOn = (database: string, extra: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const port = yield* unusedPort
    const provider = ConfigProvider.fromMap(
      new Map([["SOURCES_DB_NAME", database], ["SOURCES_PORT", String(port)], ...Object.entries(extra)])
    ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
    const start = Effect.gen(function* () {
      const scope = yield* Scope.make()
      yield* Layer.buildWithScope(SourcesLive.pipe(Layer.provide(Layer.setConfigProvider(provider))), scope)
      return scope
    }).pipe(Effect.orDie)
    return { url: `http://127.0.0.1:${port}`, start } satisfies SourcesUnderTest
  })

export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly text: string
  readonly headers: Headers
}

export interface CallOptions {
  /** The x-rh-identity header value. */
  readonly identity?: string
  /** A string is sent as is; anything else as JSON. */
  readonly body?: unknown
  readonly headers?: Record<string, string>
}

/** One HTTP call to the role; the body is parsed when it is JSON. */
export const call = (url: string, method: string, path: string, options: CallOptions = {}) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        "content-type": "application/json",
        ...(options.identity === undefined ? {} : { "x-rh-identity": options.identity }),
        ...options.headers
      },
      ...(options.body === undefined
        ? {}
        : { body: typeof options.body === "string" ? options.body : JSON.stringify(options.body) })
    })
    const text = await response.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, text, headers: response.headers }
  })

export interface SourcesEventMessage {
  readonly key: string | null
  readonly headers: Readonly<Record<string, string>>
  readonly value: string
  readonly body: unknown
}

/**
 * Reads platform.sources.event-stream from its end until the scope closes. `forOrg(org, n)` waits (30 s at
 * most) for the next `n` events raised for that org_id and skips other orgs' events.
 */
export const eventReader = Effect.gen(function* () {
  const kafka = yield* Kafka
  const received = yield* Queue.unbounded<SourcesEventMessage>()
  const groupId = `sources-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  yield* kafka.ensureTopics([{ topic: EVENT_TOPIC, partitions: 3 }])
  yield* positionGroupAtEnd(groupId, EVENT_TOPIC)
  yield* kafka.consume({
    groupId,
    topics: [EVENT_TOPIC],
    fromBeginning: false,
    value: Schema.String,
    handle: (value: string, message: IncomingMessage) =>
      Queue.offer(received, {
        key: message.key,
        headers: message.headers,
        value,
        body: JSON.parse(value)
      })
  })
  const forOrg = (orgId: string, count: number) =>
    Effect.gen(function* () {
      const out: Array<SourcesEventMessage> = []
      while (out.length < count) {
        const next = yield* Queue.take(received)
        if (next.headers["x-rh-sources-org-id"] === orgId) out.push(next)
      }
      return out
    }).pipe(
      Effect.timeoutFail({
        duration: "30 seconds",
        onTimeout: () => new Error(`expected ${count} events for org ${orgId}`)
      }),
      Effect.orDie
    )
  /** What arrived for the org so far, without waiting. */
  const drainedFor = (orgId: string) =>
    Queue.takeAll(received).pipe(
      Effect.map((all) => Chunk.toArray(all).filter((m) => m.headers["x-rh-sources-org-id"] === orgId))
    )
  return { forOrg, drainedFor }
})
