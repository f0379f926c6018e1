/**
 * ObjectStore in memory, for unit tests of code that depends on the tag. It reports the same typed errors as the
 * live layer and lists keys in the same order; times come from `Clock`, so it is deterministic.
 */
import { createHash } from "node:crypto"
import { Chunk, Clock, Effect, HashMap, Option, Ref, Stream } from "effect"
import type { ConfigError } from "effect/ConfigError"
import { BucketSettings, S3Settings } from "../Settings.js"
import {
  BucketNotFound,
  checkExpiry,
  checkLength,
  checkPut,
  clampMaxKeys,
  DEFAULT_CONTENT_TYPE,
  type GetResult,
  type ListOptions,
  listPages,
  MEMORY_URL_SCHEME,
  type ObjectInfo,
  type ObjectLocation,
  ObjectNotFound,
  type ObjectStoreError,
  ObjectStoreFailure,
  type ObjectStoreService,
  type ObjectSummary,
  type PutOptions
} from "./ObjectStoreService.js"

interface StoredObject {
  readonly bytes: Uint8Array
  readonly contentType: string
  readonly metadata: Readonly<Record<string, string>>
  readonly etag: string
  readonly lastModified: Date
}

type Buckets = HashMap.HashMap<string, HashMap.HashMap<string, StoredObject>>

/** Bodies come back in pieces of this size, so consumers meet chunk boundaries as they would over HTTP. */
const MEMORY_CHUNK_BYTES = 64 * 1024
/** Continuation tokens of the memory layer: this prefix, then the last key returned, base64url-encoded. */
const MEMORY_TOKEN_PREFIX = "mem1."

/** S3 lists keys in UTF-8 byte order, which differs from JS (UTF-16) string order above U+FFFF. */
const compareKeys = (a: string, b: string): number => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"))

const md5 = (bytes: Uint8Array): string => createHash("md5").update(bytes).digest("hex")

/** S3 stores times to the second; HEAD reports them as an HTTP date. */
const nowToSecond = Effect.map(Clock.currentTimeMillis, (ms) => new Date(Math.floor(ms / 1000) * 1000))

const makeMemory = (
  initialBuckets: Iterable<string>,
  defaultExpirySeconds: number
): Effect.Effect<ObjectStoreService> =>
  Effect.gen(function* () {
    const state = yield* Ref.make<Buckets>(
      HashMap.fromIterable(Array.from(initialBuckets, (b) => [b, HashMap.empty<string, StoredObject>()] as const))
    )

    const bucketOf = (bucket: string) =>
      Effect.flatMap(Ref.get(state), (buckets) =>
        Option.match(HashMap.get(buckets, bucket), {
          onNone: () => Effect.fail(new BucketNotFound({ bucket })),
          onSome: (objects) => Effect.succeed(objects)
        })
      )

    const objectOf = (bucket: string, key: string) =>
      Effect.flatMap(bucketOf(bucket), (objects) =>
        Option.match(HashMap.get(objects, key), {
          onNone: () => Effect.fail(new ObjectNotFound({ bucket, key })),
          onSome: (stored) => Effect.succeed(stored)
        })
      )

    const store = (bucket: string, key: string, stored: StoredObject) =>
      Effect.flatMap(
        Ref.modify(state, (buckets): readonly [boolean, Buckets] =>
          HashMap.has(buckets, bucket)
            ? [true, HashMap.modify(buckets, bucket, (objects) => HashMap.set(objects, key, stored))]
            : [false, buckets]
        ),
        (stored) => (stored ? Effect.void : Effect.fail(new BucketNotFound({ bucket })))
      )

    const info = (bucket: string, key: string, stored: StoredObject): ObjectInfo => ({
      bucket,
      key,
      size: stored.bytes.length,
      contentType: stored.contentType,
      etag: stored.etag,
      lastModified: stored.lastModified,
      metadata: { ...stored.metadata }
    })

    const chunked = (bytes: Uint8Array): Stream.Stream<Uint8Array> =>
      Stream.suspend(() => {
        const pieces: Array<Uint8Array> = []
        for (let offset = 0; offset < bytes.length; offset += MEMORY_CHUNK_BYTES) {
          pieces.push(bytes.slice(offset, offset + MEMORY_CHUNK_BYTES))
        }
        return Stream.fromIterable(pieces)
      })

    const put = Effect.fn("ObjectStore.put")(function* <E = never>(
      bucket: string,
      key: string,
      body: Uint8Array | Stream.Stream<Uint8Array, E>,
      options: PutOptions = {}
    ) {
      yield* Effect.annotateCurrentSpan({ bucket, key })
      const metadata = yield* checkPut("PutObject", bucket, key, options)
      yield* bucketOf(bucket)
      const pieces = body instanceof Uint8Array ? [body] : Chunk.toReadonlyArray(yield* Stream.runCollect(body))
      // Always a copy, so the caller may reuse its buffers.
      const bytes = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0))
      pieces.reduce((offset, p) => {
        bytes.set(p, offset)
        return offset + p.length
      }, 0)
      yield* checkLength("PutObject", bucket, key, options, bytes.length)
      const etag = md5(bytes)
      yield* store(bucket, key, {
        bytes,
        contentType: options.contentType ?? DEFAULT_CONTENT_TYPE,
        metadata,
        etag,
        lastModified: yield* nowToSecond
      })
      return { etag, size: bytes.length }
    })

    const get = Effect.fn("ObjectStore.get")(function* (bucket: string, key: string) {
      yield* Effect.annotateCurrentSpan({ bucket, key })
      const stored = yield* objectOf(bucket, key)
      return { info: info(bucket, key, stored), body: chunked(stored.bytes) } satisfies GetResult
    })

    const getStream = (bucket: string, key: string): Stream.Stream<Uint8Array, ObjectStoreError> =>
      Stream.unwrap(Effect.map(objectOf(bucket, key), (stored) => chunked(stored.bytes))).pipe(
        Stream.withSpan("ObjectStore.getStream", { attributes: { bucket, key } })
      )

    const getBytes = Effect.fn("ObjectStore.getBytes")(function* (bucket: string, key: string) {
      yield* Effect.annotateCurrentSpan({ bucket, key })
      return (yield* objectOf(bucket, key)).bytes.slice()
    })

    const head = Effect.fn("ObjectStore.head")(function* (bucket: string, key: string) {
      yield* Effect.annotateCurrentSpan({ bucket, key })
      return info(bucket, key, yield* objectOf(bucket, key))
    })

    const del = Effect.fn("ObjectStore.delete")(function* (bucket: string, key: string) {
      yield* Effect.annotateCurrentSpan({ bucket, key })
      yield* bucketOf(bucket)
      yield* Ref.update(state, (buckets) => HashMap.modify(buckets, bucket, (objects) => HashMap.remove(objects, key)))
    })

    const copy = Effect.fn("ObjectStore.copy")(function* (from: ObjectLocation, to: ObjectLocation) {
      yield* Effect.annotateCurrentSpan({ fromBucket: from.bucket, fromKey: from.key, bucket: to.bucket, key: to.key })
      const source = yield* objectOf(from.bucket, from.key)
      yield* store(to.bucket, to.key, { ...source, lastModified: yield* nowToSecond })
      return { etag: source.etag }
    })

    const list = Effect.fn("ObjectStore.list")(function* (bucket: string, options: ListOptions = {}) {
      yield* Effect.annotateCurrentSpan({ bucket, prefix: options.prefix ?? "" })
      const objects = yield* bucketOf(bucket)
      const token = options.continuationToken
      let after: string | undefined
      if (token !== undefined) {
        if (!token.startsWith(MEMORY_TOKEN_PREFIX)) {
          return yield* new ObjectStoreFailure({
            operation: "ListObjectsV2",
            bucket,
            message: "InvalidArgument: The continuation token provided is incorrect",
            status: 400
          })
        }
        after = Buffer.from(token.slice(MEMORY_TOKEN_PREFIX.length), "base64url").toString("utf8")
      }
      const prefix = options.prefix ?? ""
      const keys = Array.from(HashMap.keys(objects))
        .filter((key) => key.startsWith(prefix) && (after === undefined || compareKeys(key, after) > 0))
        .sort(compareKeys)
      const page = keys.slice(0, clampMaxKeys(options.maxKeys))
      const summaries = page.flatMap(
        (key): Array<ObjectSummary> =>
          Option.match(HashMap.get(objects, key), {
            onNone: () => [],
            onSome: (s) => [{ key, size: s.bytes.length, etag: s.etag, lastModified: s.lastModified }]
          })
      )
      const last = page[page.length - 1]
      return keys.length > page.length && last !== undefined
        ? {
            objects: summaries,
            nextContinuationToken: MEMORY_TOKEN_PREFIX + Buffer.from(last, "utf8").toString("base64url")
          }
        : { objects: summaries }
    })

    const presignGet = Effect.fn("ObjectStore.presignGet")(function* (
      bucket: string,
      key: string,
      expiresInSeconds: number = defaultExpirySeconds
    ) {
      yield* Effect.annotateCurrentSpan({ bucket, key })
      const expires = yield* checkExpiry(bucket, key, expiresInSeconds)
      const path = key.split("/").map(encodeURIComponent).join("/")
      return `${MEMORY_URL_SCHEME}//objectstore/${encodeURIComponent(bucket)}/${path}?X-Amz-Expires=${expires}`
    })

    const ensureBucket = Effect.fn("ObjectStore.ensureBucket")(function* (bucket: string) {
      yield* Effect.annotateCurrentSpan({ bucket })
      yield* Ref.update(state, (buckets) =>
        HashMap.has(buckets, bucket) ? buckets : HashMap.set(buckets, bucket, HashMap.empty())
      )
    })

    const listAll = (bucket: string, prefix?: string) => listPages(list, bucket, prefix)

    return {
      put,
      get,
      getStream,
      getBytes,
      head,
      delete: del,
      copy,
      list,
      listAll,
      presignGet,
      ensureBucket
    } satisfies ObjectStoreService
  })

export const makeMemoryFromSettings: Effect.Effect<ObjectStoreService, ConfigError> = Effect.gen(function* () {
  const buckets = yield* BucketSettings
  const s3 = yield* S3Settings
  return yield* makeMemory([buckets.uploads, buckets.processed, buckets.koku, buckets.ros], s3.presignExpirySeconds)
})
