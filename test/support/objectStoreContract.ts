/**
 * Behaviours every ObjectStore layer must show, run against versitygw in test/integration and against the
 * in-memory layer in test/unit so the two cannot drift apart, plus the helpers both suites share.
 */
import { createHash, randomUUID } from "node:crypto"
import { expect, layer } from "@effect/vitest"
import { Chunk, ConfigProvider, Context, Effect, Layer, Stream } from "effect"
import { ObjectStore } from "../../src/services/ObjectStore.js"

export const unique = (label: string) => `${label}-${randomUUID().slice(0, 8)}`

export const bytes = (text: string) => new TextEncoder().encode(text)

export const md5 = (data: Uint8Array) => createHash("md5").update(data).digest("hex")

/** Settings from `values`, then from the environment (so infra/up's S3_ENDPOINT still applies), then defaults. */
export const withConfig = (values: Record<string, string>) =>
  Layer.setConfigProvider(
    ConfigProvider.fromMap(new Map(Object.entries(values))).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
  )

export const collect = <E>(body: Stream.Stream<Uint8Array, E>) =>
  Effect.map(Stream.runCollect(body), (chunks) => {
    const pieces = Chunk.toReadonlyArray(chunks)
    return { data: Buffer.concat(pieces), chunks: pieces.length }
  })

/** A bucket of our own for one suite: created through the store, emptied and dropped afterwards. */
export class TestBucket extends Context.Tag("test/TestBucket")<TestBucket, string>() {
  static readonly make = (drop: (bucket: string) => Effect.Effect<void>) =>
    Layer.scoped(
      TestBucket,
      Effect.gen(function* () {
        const store = yield* ObjectStore
        return yield* Effect.acquireRelease(
          Effect.suspend(() => {
            const bucket = unique("ros-objectstore-test")
            return Effect.as(Effect.orDie(store.ensureBucket(bucket)), bucket)
          }),
          (bucket) =>
            store.listAll(bucket).pipe(
              Stream.runForEach((o) => store.delete(bucket, o.key)),
              Effect.zipRight(drop(bucket)),
              Effect.orDie
            )
        )
      })
    )
}

const flipTag = <A, E extends { readonly _tag: string }>(effect: Effect.Effect<A, E>) =>
  Effect.map(Effect.flip(effect), (e) => e._tag)

/**
 * The contract. `store` must provide `ObjectStore`; `dropBucket` removes an emptied bucket (the service has no
 * such call because nothing in the flow deletes buckets).
 */
export const objectStoreContract = (
  label: string,
  store: Layer.Layer<ObjectStore, unknown>,
  dropBucket: (bucket: string) => Effect.Effect<void>
) =>
  layer(TestBucket.make(dropBucket).pipe(Layer.provideMerge(store)), { excludeTestServices: true })(label, (it) => {
    it.effect("round-trips bytes, content type and lower-cased metadata", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = `${unique("roundtrip")}/report.csv`
        const body = bytes("cluster,cpu\nc1,0.5\n")
        const put = yield* store.put(bucket, key, body, {
          contentType: "text/csv",
          metadata: { "Cluster-Id": "c1", source: "contract" }
        })
        expect(put).toEqual({ etag: md5(body), size: body.length })

        const info = yield* store.head(bucket, key)
        expect(info).toMatchObject({
          bucket,
          key,
          size: body.length,
          contentType: "text/csv",
          etag: put.etag,
          metadata: { "cluster-id": "c1", source: "contract" }
        })
        expect(info.lastModified).toBeInstanceOf(Date)

        const got = yield* store.get(bucket, key)
        expect(got.info).toEqual(info)
        expect((yield* collect(got.body)).data).toEqual(Buffer.from(body))
        expect(Buffer.from(yield* store.getBytes(bucket, key))).toEqual(Buffer.from(body))
        expect((yield* collect(store.getStream(bucket, key))).data).toEqual(Buffer.from(body))
      })
    )

    it.effect("stores a stream body whole and in order, and overwrites", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("stream")
        // 300 chunks of 1000 bytes whose values depend on the chunk index, so reordering would show.
        const chunks = Array.from({ length: 300 }, (_, i) => new Uint8Array(1000).fill(i % 251))
        const expected = Buffer.concat(chunks)
        const put = yield* store.put(bucket, key, Stream.fromIterable(chunks).pipe(Stream.rechunk(1)), {
          contentLength: expected.length
        })
        expect(put).toEqual({ etag: md5(expected), size: expected.length })
        expect((yield* collect(store.getStream(bucket, key))).data.equals(expected)).toBe(true)

        yield* store.put(bucket, key, bytes("second"))
        expect(Buffer.from(yield* store.getBytes(bucket, key)).toString()).toBe("second")
      })
    )

    it.effect("stores empty bodies with the default content type", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const a = unique("empty")
        const b = unique("empty-stream")
        expect(yield* store.put(bucket, a, new Uint8Array(0))).toEqual({ etag: md5(new Uint8Array(0)), size: 0 })
        expect((yield* store.put(bucket, b, Stream.empty)).size).toBe(0)
        expect((yield* store.getBytes(bucket, a)).length).toBe(0)
        expect(yield* store.head(bucket, b)).toMatchObject({ size: 0, contentType: "application/octet-stream" })
      })
    )

    it.effect("reports a missing key as ObjectNotFound on every read", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("missing")
        expect(yield* Effect.flip(store.get(bucket, key))).toEqual(
          expect.objectContaining({ _tag: "ObjectNotFound", bucket, key })
        )
        expect(yield* Effect.flip(store.head(bucket, key))).toEqual(
          expect.objectContaining({ _tag: "ObjectNotFound", bucket, key })
        )
        expect(yield* flipTag(store.getBytes(bucket, key))).toBe("ObjectNotFound")
        expect(yield* flipTag(Stream.runDrain(store.getStream(bucket, key)))).toBe("ObjectNotFound")
        expect(yield* flipTag(store.copy({ bucket, key }, { bucket, key: unique("to") }))).toBe("ObjectNotFound")
      })
    )

    it.effect("reports a missing bucket as BucketNotFound, naming the bucket", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const missing = unique("ros-no-such-bucket")
        yield* store.put(bucket, "present", bytes("x"))
        const notFound = expect.objectContaining({ _tag: "BucketNotFound", bucket: missing })
        expect(yield* Effect.flip(store.get(missing, "k"))).toEqual(notFound)
        expect(yield* Effect.flip(store.head(missing, "k"))).toEqual(notFound)
        expect(yield* Effect.flip(store.getBytes(missing, "k"))).toEqual(notFound)
        expect(yield* Effect.flip(store.put(missing, "k", bytes("x")))).toEqual(notFound)
        expect(yield* Effect.flip(store.put(missing, "k", Stream.make(bytes("x"))))).toEqual(notFound)
        expect(yield* Effect.flip(store.list(missing))).toEqual(notFound)
        expect(yield* Effect.flip(Stream.runDrain(store.listAll(missing)))).toEqual(notFound)
        expect(yield* Effect.flip(store.delete(missing, "k"))).toEqual(notFound)
        expect(yield* Effect.flip(store.copy({ bucket: missing, key: "k" }, { bucket, key: "k" }))).toEqual(notFound)
        expect(yield* Effect.flip(store.copy({ bucket, key: "present" }, { bucket: missing, key: "k" }))).toEqual(
          notFound
        )
      })
    )

    it.effect("lists in UTF-8 byte order, filtered by prefix, one page at a time", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const p = unique("list")
        // UTF-16 order would put the emoji (a surrogate pair) before U+FFFD; S3 compares UTF-8 bytes.
        const expected = ["Z", "a", "a-b", "b", "c/1", "c/2", "\u00e9t\u00e9", "\ufffd", "\u{1F600}"].map(
          (k) => `${p}/${k}`
        )
        const shuffled = [3, 8, 0, 5, 1, 7, 2, 6, 4].map((i) => expected[i] ?? "")
        for (const key of shuffled) yield* store.put(bucket, key, bytes(key))
        yield* store.put(bucket, `${p}-outside`, bytes("not under the prefix"))

        const pages: Array<ReadonlyArray<string>> = []
        let token: string | undefined
        do {
          const page = yield* store.list(bucket, {
            prefix: `${p}/`,
            maxKeys: 4,
            ...(token === undefined ? {} : { continuationToken: token })
          })
          pages.push(page.objects.map((o) => o.key))
          token = page.nextContinuationToken
        } while (token !== undefined)
        expect(pages.map((page) => page.length)).toEqual([4, 4, 1])
        expect(pages.flat()).toEqual(expected)

        const all = Chunk.toReadonlyArray(yield* Stream.runCollect(store.listAll(bucket, `${p}/`)))
        expect(all.map((o) => o.key)).toEqual(expected)
        expect(all.map((o) => o.size)).toEqual(expected.map((k) => bytes(k).length))
        expect(all.map((o) => o.etag)).toEqual(expected.map((k) => md5(bytes(k))))

        const exact = yield* store.list(bucket, { prefix: `${p}/`, maxKeys: 9 })
        expect(exact.objects.length).toBe(9)
        expect(exact.nextContinuationToken).toBeUndefined()
        expect((yield* store.list(bucket, { prefix: `${p}/nothing-here` })).objects).toEqual([])
      })
    )

    it.effect("deletes, and forgives deleting a missing key", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("delete")
        yield* store.put(bucket, key, bytes("gone soon"))
        yield* store.delete(bucket, key)
        expect(yield* flipTag(store.head(bucket, key))).toBe("ObjectNotFound")
        yield* store.delete(bucket, key)
      })
    )

    it.effect("copies bytes, content type and metadata to keys with spaces and non-ASCII", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const from = { bucket, key: `${unique("copy")}/source file+1.csv` }
        const to = { bucket, key: `${unique("copy")}/d\u00e9j\u00e0 vu/copy #1.csv` }
        const body = bytes("a,b\n1,2\n")
        yield* store.put(bucket, from.key, body, { contentType: "text/csv", metadata: { "request-id": "r-1" } })
        const copied = yield* store.copy(from, to)
        expect(copied.etag).toBe(md5(body))
        expect(yield* store.head(bucket, to.key)).toMatchObject({
          size: body.length,
          contentType: "text/csv",
          metadata: { "request-id": "r-1" }
        })
        expect(Buffer.from(yield* store.getBytes(bucket, to.key))).toEqual(Buffer.from(body))
      })
    )

    it.effect("ensureBucket is idempotent and keeps what is stored", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("ensure")
        yield* store.put(bucket, key, bytes("kept"))
        yield* store.ensureBucket(bucket)
        yield* store.ensureBucket(bucket)
        expect(Buffer.from(yield* store.getBytes(bucket, key)).toString()).toBe("kept")
      })
    )

    it.effect("rejects bad input before storing anything", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("reject")
        const failure = (e: { readonly _tag: string }) => expect(e._tag).toBe("ObjectStoreFailure")
        failure(yield* Effect.flip(store.put(bucket, key, bytes("x"), { metadata: { note: "caf\u00e9" } })))
        failure(yield* Effect.flip(store.put(bucket, key, bytes("x"), { metadata: { "bad key": "v" } })))
        failure(yield* Effect.flip(store.put(bucket, key, bytes("four"), { contentLength: 5 })))
        failure(yield* Effect.flip(store.put(bucket, key, Stream.make(bytes("four")), { contentLength: 3 })))
        failure(yield* Effect.flip(store.presignGet(bucket, key, 8 * 24 * 3600)))
        failure(yield* Effect.flip(store.presignGet(bucket, key, 0)))
        expect(yield* flipTag(store.head(bucket, key))).toBe("ObjectNotFound")
      })
    )

    it.effect("passes a failing stream body's own error through and stores nothing", () =>
      Effect.gen(function* () {
        const store = yield* ObjectStore
        const bucket = yield* TestBucket
        const key = unique("broken")
        const body = Stream.concat(Stream.make(bytes("partial")), Stream.fail({ _tag: "SourceBroken" as const }))
        expect(yield* Effect.flip(store.put(bucket, key, body))).toEqual({ _tag: "SourceBroken" })
        expect(yield* flipTag(store.head(bucket, key))).toBe("ObjectNotFound")
      })
    )
  })
