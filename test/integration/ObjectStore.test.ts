import { describe, expect, it, layer } from "@effect/vitest"
import { Chunk, Context, Effect, Fiber, Layer, Stream } from "effect"
import { ObjectStore } from "../../src/services/ObjectStore.js"
import {
  bytes,
  collect,
  md5,
  objectStoreContract,
  TestBucket,
  unique,
  withConfig
} from "../support/objectStoreContract.js"
import { S3Admin, silentServer, unusedPort } from "./s3Support.js"

// The S3 server of infra/up (S3_ENDPOINT, default http://127.0.0.1:9000). Parts of 5 MiB, the S3 minimum,
// so a 12 MiB body takes three.
const Config = withConfig({ S3_MULTIPART_THRESHOLD_BYTES: String(5 * 1024 * 1024) })
const Admin = S3Admin.layer.pipe(Layer.provide(Config))
const Live = ObjectStore.layer.pipe(Layer.provide(Config))

const drop = (bucket: string) =>
  Effect.flatMap(S3Admin, (admin) => admin.deleteBucket(bucket)).pipe(Effect.provide(Admin))

describe("ObjectStore.layer on the real S3 server", () => {
  objectStoreContract("contract", Live, drop)

  layer(TestBucket.make(drop).pipe(Layer.provideMerge(Live), Layer.provideMerge(Admin)), {
    excludeTestServices: true
  })("live only", (it) => {
    /** 12 MiB in 100 000-byte pieces (not a divisor of the part size), each piece a different byte. */
    const twelveMiB = () => {
      const size = 12 * 1024 * 1024
      const piece = 100_000
      // One piece per pull, as a network source would deliver them.
      return Stream.range(0, Math.ceil(size / piece) - 1, 1).pipe(
        Stream.map((i) => new Uint8Array(Math.min(piece, size - i * piece)).fill((i * 7) % 256))
      )
    }

    it.effect("uploads a 12 MiB stream in parts and streams it back byte for byte", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = `${unique("multipart")}/big.bin`
        const expected = Buffer.concat(Chunk.toReadonlyArray(yield* Stream.runCollect(twelveMiB())))

        const put = yield* store.put(bucket, key, twelveMiB(), { contentType: "application/x-test" })
        expect(put.size).toBe(expected.length)
        expect(put.etag).toMatch(/-3$/)

        const { info, body } = yield* store.get(bucket, key)
        expect(info).toMatchObject({ size: expected.length, etag: put.etag, contentType: "application/x-test" })
        const got = yield* collect(body)
        expect(got.chunks).toBeGreaterThan(1)
        expect(md5(got.data)).toBe(md5(expected))
        expect(got.data.equals(expected)).toBe(true)
      })
    )

    it.effect("uploads a byte body over the threshold in parts", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("multipart-bytes")
        const body = new Uint8Array(11 * 1024 * 1024).map((_, i) => (i * 31) % 251)
        const put = yield* store.put(bucket, key, body, { metadata: { origin: "bytes" } })
        expect(put).toMatchObject({ size: body.length, etag: expect.stringMatching(/-3$/) })
        expect(yield* store.head(bucket, key)).toMatchObject({ size: body.length, metadata: { origin: "bytes" } })
        expect(Buffer.from(yield* store.getBytes(bucket, key)).equals(Buffer.from(body))).toBe(true)
      })
    )

    it.effect("aborts the multipart upload when the body fails midway", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const admin = yield* S3Admin
        const bucket = yield* TestBucket
        const key = unique("multipart-broken")
        const body = Stream.concat(twelveMiB(), Stream.fail({ _tag: "SourceBroken" as const }))
        expect(yield* Effect.flip(store.put(bucket, key, body))).toEqual({ _tag: "SourceBroken" })
        expect((yield* Effect.flip(store.head(bucket, key)))._tag).toBe("ObjectNotFound")
        expect(yield* admin.pendingUploads(bucket, key)).toBe(0)
      })
    )

    it.effect("fails the upload, aborting it, when the body is not the announced length", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const admin = yield* S3Admin
        const bucket = yield* TestBucket
        const key = unique("multipart-short")
        const failure = yield* Effect.flip(store.put(bucket, key, twelveMiB(), { contentLength: 13 * 1024 * 1024 }))
        expect(failure).toMatchObject({ _tag: "ObjectStoreFailure", operation: "CompleteMultipartUpload", key })
        expect((yield* Effect.flip(store.head(bucket, key)))._tag).toBe("ObjectNotFound")
        expect(yield* admin.pendingUploads(bucket, key)).toBe(0)
      })
    )

    it.effect("stops reading when the consumer stops, and the client keeps working", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("partial-read")
        yield* store.put(bucket, key, twelveMiB())
        const first = yield* Stream.runCollect(Stream.take(store.getStream(bucket, key), 1))
        expect(Chunk.size(first)).toBe(1)
        const { body } = yield* store.get(bucket, key)
        yield* Stream.runDrain(Stream.take(body, 2))
        // The aborted connections must not poison the pool.
        for (let i = 0; i < 10; i++) expect((yield* store.head(bucket, key)).size).toBe(12 * 1024 * 1024)
      })
    )

    it.effect("presigns a URL that plain fetch can GET, and one for a missing key that answers 404", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = `${unique("presign")}/report 1.csv`
        yield* store.put(bucket, key, bytes("cpu,memory\n1,2\n"), { contentType: "text/csv" })

        const url = yield* store.presignGet(bucket, key, 300)
        expect(url).toContain("X-Amz-Expires=300")
        const response = yield* Effect.promise(() => fetch(url))
        expect(response.status).toBe(200)
        expect(response.headers.get("content-type")).toBe("text/csv")
        expect(yield* Effect.promise(() => response.text())).toBe("cpu,memory\n1,2\n")

        const absent = yield* store.presignGet(bucket, unique("absent"))
        const missing = yield* Effect.promise(() => fetch(absent))
        expect(missing.status).toBe(404)
        yield* Effect.promise(() => missing.arrayBuffer())
      })
    )
  })

  it.scopedLive("aborts a request that is still waiting for the server when the fiber is interrupted", () =>
    Effect.gen(function* () {
      for (const read of [
        (store: ObjectStore["Type"]) => store.get("ros-data", "k"),
        (store: ObjectStore["Type"]) => Stream.runDrain(store.getStream("ros-data", "k"))
      ]) {
        const server = yield* silentServer
        // Built in the test's scope, so the client (and its sockets) outlive the interrupted fiber.
        const context = yield* Layer.build(
          ObjectStore.layer.pipe(Layer.provide(withConfig({ S3_ENDPOINT: `http://127.0.0.1:${server.port}` })))
        )
        const fiber = yield* Effect.fork(read(Context.get(context, ObjectStore)))
        yield* server.connected
        yield* Fiber.interrupt(fiber)
        // The socket is closed by the abort, not by the client's (absent) request timeout.
        yield* server.closed
      }
    })
  )

  it.live("reports an unreachable server as ObjectStoreUnavailable", () =>
    Effect.gen(function* () {
      const store = yield* ObjectStore
      const unavailable = expect.objectContaining({
        _tag: "ObjectStoreUnavailable",
        message: expect.stringContaining("ECONNREFUSED")
      })
      expect(yield* Effect.flip(store.head("ros-data", "k"))).toEqual(unavailable)
      expect(yield* Effect.flip(store.get("ros-data", "k"))).toEqual(unavailable)
      expect(yield* Effect.flip(Stream.runDrain(store.getStream("ros-data", "k")))).toEqual(unavailable)
      expect(yield* Effect.flip(store.list("ros-data"))).toEqual(unavailable)
      expect(yield* Effect.flip(store.put("ros-data", "k", bytes("x")))).toEqual(unavailable)
      expect(yield* Effect.flip(store.put("ros-data", "k", Stream.make(bytes("x"))))).toEqual(unavailable)
      expect(yield* Effect.flip(store.delete("ros-data", "k"))).toEqual(unavailable)
      expect(yield* Effect.flip(store.ensureBucket("ros-data"))).toEqual(unavailable)
      // Presigning is local and still works.
      expect(yield* store.presignGet("ros-data", "k")).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ros-data\/k\?/)
    }).pipe(
      Effect.provide(
        Layer.unwrapEffect(
          Effect.map(unusedPort, (port) =>
            ObjectStore.layer.pipe(Layer.provide(withConfig({ S3_ENDPOINT: `http://127.0.0.1:${port}` })))
          )
        )
      )
    )
  )
})
