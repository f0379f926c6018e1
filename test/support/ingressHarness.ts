/**
 * The ingress role started for real, in this process: its HTTP server on a free loopback port, a throw-away `ros`
 * database on the PostgreSQL server of infra/up, the S3 server and Kafka of infra/up; plus a reader of
 * platform.upload.announce that starts at the topic's end, in a consumer group of its own.
 */
import { execFile } from "node:child_process"
import { createHash } from "node:crypto"
import { readFile } from "node:fs/promises"
import { promisify } from "node:util"
import { SqlClient } from "@effect/sql"
import { ConfigProvider, Effect, Exit, Layer, Option, Queue, Ref, Schema, Scope } from "effect"
import { IngressLive } from "../../src/roles/ingress.js"
import { type IncomingMessage, Kafka } from "../../src/services/Kafka.js"
import { ObjectStore } from "../../src/services/ObjectStore.js"
import { BucketSettings } from "../../src/services/Settings.js"
import { positionGroupAtEnd } from "./kafkaGroups.js"
import { unusedPort } from "./ports.js"
import { databaseClient, scratchDatabaseName } from "./scratchDatabase.js"

export const ANNOUNCE_TOPIC = "platform.upload.announce"
export const SAMPLE_TARBALL = "samples/cost-mgmt.tar.gz"
export const HCCM_TYPE = "application/vnd.redhat.hccm.tar+tgz"

export interface IngressUnderTest {
  readonly url: string
  readonly database: string
}

/** Starts the role on a fresh database with `extra` settings over the environment's, for the life of the scope. */
export const startIngress = (extra: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const database = yield* scratchDatabaseName("ros_ingress_test")
    const port = yield* unusedPort
    const provider = ConfigProvider.fromMap(
      new Map([["DB_NAME", database], ["INGRESS_WEBPORT", String(port)], ...Object.entries(extra)])
    ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
    const scope = yield* Scope.make()
    yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
    yield* Layer.buildWithScope(IngressLive.pipe(Layer.provide(Layer.setConfigProvider(provider))), scope).pipe(
      Effect.orDie
    )
    // Runs first: the objects of every upload this instance recorded leave the shared bucket.
    yield* Effect.addFinalizer(() => removeObjects(database))
    return { url: `http://127.0.0.1:${port}`, database } satisfies IngressUnderTest
  })

/** Deletes the staged object of every upload recorded in `database` (test clean-up; failures only logged). */
const removeObjects = (database: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const store = yield* ObjectStore
    const { uploads } = yield* BucketSettings
    const rows = yield* sql<{ readonly request_id: string }>`SELECT request_id FROM upload_status`
    yield* Effect.forEach(rows, (row) => store.delete(uploads, row.request_id), { discard: true, concurrency: 4 })
  }).pipe(
    Effect.provide(Layer.mergeAll(ObjectStore.layer, databaseClient(database, 1))),
    Effect.catchAllCause((cause) => Effect.logWarning("test uploads not removed from the bucket", cause))
  )

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly body: unknown
}

const parse = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export interface FilePart {
  readonly name?: string
  readonly bytes: Uint8Array
  /** The part's Content-Type; omitted: none (the server sees application/octet-stream). */
  readonly type?: string
  /** undefined: a default file name; null: no file name at all. */
  readonly filename?: string | null
}

export interface UploadOptions {
  readonly identity?: string
  readonly headers?: Record<string, string>
  readonly file?: FilePart
  readonly fields?: Record<string, string>
}

/**
 * A multipart body written by hand, so a part can have exactly the headers a test wants (FormData always adds a
 * file name and a type).
 */
export const multipartBody = (options: UploadOptions) => {
  const boundary = `----ingress-test-${Math.random().toString(36).slice(2)}`
  const pieces: Array<Uint8Array> = []
  const text = (s: string) => pieces.push(new TextEncoder().encode(s))
  for (const [name, value] of Object.entries(options.fields ?? {})) {
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
  }
  if (options.file !== undefined) {
    const f = options.file
    const filename =
      f.filename === undefined ? `; filename="upload.tar.gz"` : f.filename === null ? "" : `; filename="${f.filename}"`
    text(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name ?? "file"}"${filename}\r\n`)
    if (f.type !== undefined) text(`Content-Type: ${f.type}\r\n`)
    text("\r\n")
    pieces.push(f.bytes)
    text("\r\n")
  }
  text(`--${boundary}--\r\n`)
  return { body: Buffer.concat(pieces), contentType: `multipart/form-data; boundary=${boundary}` }
}

/** POST /api/ingress/v1/upload with a multipart body. */
export const upload = (url: string, options: UploadOptions) =>
  Effect.promise(async (): Promise<Answer> => {
    const { body, contentType } = multipartBody(options)
    const response = await fetch(`${url}/api/ingress/v1/upload`, {
      method: "POST",
      body,
      headers: {
        "content-type": contentType,
        ...(options.identity === undefined ? {} : { "x-rh-identity": options.identity }),
        ...options.headers
      }
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, body: parse(text) }
  })

/** Any request to the role; `body` is sent as is. */
export const call = (
  url: string,
  method: string,
  path: string,
  options: {
    readonly identity?: string
    readonly headers?: Record<string, string>
    readonly body?: string | Uint8Array
  } = {}
) =>
  Effect.promise(async (): Promise<Answer> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(options.identity === undefined ? {} : { "x-rh-identity": options.identity }),
        ...options.headers
      },
      ...(options.body === undefined ? {} : { body: options.body })
    })
    const text = await response.text()
    return { status: response.status, headers: response.headers, text, body: parse(text) }
  })

/** A digest to compare large byte arrays with (element-wise deep equality of megabytes takes seconds). */
export const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex")

export const sampleBytes = Effect.promise(() => readFile(SAMPLE_TARBALL)).pipe(Effect.map((b) => new Uint8Array(b)))

export interface AnnounceRecord {
  readonly key: string | null
  readonly headers: Readonly<Record<string, string>>
  /** The message value exactly as published. */
  readonly value: string
  readonly body: Record<string, unknown>
}

/**
 * Reads platform.upload.announce from its end until the scope closes. `forRequest(id)` waits (30 s at most) for the
 * message of that upload; messages of other uploads are kept for their own `forRequest`.
 */
export const announceReader = Effect.gen(function* () {
  const kafka = yield* Kafka
  const arrived = yield* Queue.unbounded<AnnounceRecord>()
  const stash = yield* Ref.make(new Map<string, AnnounceRecord>())
  const groupId = `ingress-test-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  yield* positionGroupAtEnd(groupId, ANNOUNCE_TOPIC)
  yield* kafka.consume({
    groupId,
    topics: [ANNOUNCE_TOPIC],
    fromBeginning: false,
    value: Schema.String,
    handle: (value: string, message: IncomingMessage) =>
      Queue.offer(arrived, {
        key: message.key,
        headers: message.headers,
        value,
        body: JSON.parse(value) as Record<string, unknown>
      })
  })
  const forRequest = (requestId: string) =>
    Effect.gen(function* () {
      const kept = (yield* Ref.get(stash)).get(requestId)
      if (kept !== undefined) return kept
      while (true) {
        const next = yield* Queue.take(arrived)
        if (next.body.request_id === requestId) return next
        const id = next.body.request_id
        if (typeof id === "string") yield* Ref.update(stash, (m) => new Map(m).set(id, next))
      }
    }).pipe(
      Effect.timeoutFail({
        duration: "30 seconds",
        onTimeout: () => new Error(`no announce message for ${requestId}`)
      }),
      Effect.orDie
    )
  /** What has arrived for `requestId` so far, without waiting. */
  const seen = (requestId: string) =>
    Effect.gen(function* () {
      const all = yield* Queue.takeAll(arrived)
      for (const m of all) {
        const id = m.body.request_id
        if (typeof id === "string") yield* Ref.update(stash, (s) => new Map(s).set(id, m))
      }
      return Option.fromNullable((yield* Ref.get(stash)).get(requestId))
    })
  return { forRequest, seen }
})

/** The seed's curl upload: part `file` of type hccm, its identity and `x-rh-request-id`. */
export const curlUpload = (ingressUrl: string, file: string, identity: string, requestId: string) =>
  Effect.promise(() =>
    promisify(execFile)("curl", [
      "-s",
      "-w",
      "\n%{http_code}",
      "-F",
      `file=@${file};type=application/vnd.redhat.hccm.filename+tgz`,
      "-H",
      `x-rh-identity: ${identity}`,
      "-H",
      `x-rh-request-id: ${requestId}`,
      `${ingressUrl}/api/ingress/v1/upload`
    ])
  ).pipe(
    Effect.map(({ stdout }) => {
      const cut = stdout.lastIndexOf("\n")
      return { status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) }
    })
  )
