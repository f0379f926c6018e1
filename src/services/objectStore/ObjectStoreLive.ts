/**
 * The live ObjectStore: an S3-compatible server at `S3_ENDPOINT`, addressed path-style, through @aws-sdk/client-s3.
 */
import { Readable } from "node:stream"
import {
  BucketLocationConstraint,
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client
} from "@aws-sdk/client-s3"
import { getSignedUrl } from "@aws-sdk/s3-request-presigner"
import { Chunk, Effect, Redacted, type Scope, Stream } from "effect"
import type { ConfigError } from "effect/ConfigError"
import { S3Settings } from "../Settings.js"
import { concatBytes, lookAhead, partSizeFor, putMultipart, sliceParts, toParts } from "./Multipart.js"
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
  type ObjectInfo,
  type ObjectLocation,
  type ObjectStoreError,
  ObjectStoreFailure,
  type ObjectStoreService,
  type ObjectSummary,
  type PutOptions,
  type PutResult,
  type TransportError
} from "./ObjectStoreService.js"
import { asTransport, call, classify, stringField, unquote } from "./S3Errors.js"

export const makeLive: Effect.Effect<ObjectStoreService, ConfigError, Scope.Scope> = Effect.gen(function* () {
  const settings = yield* S3Settings
  const client = yield* Effect.acquireRelease(
    Effect.sync(
      () =>
        new S3Client({
          endpoint: settings.endpoint,
          region: settings.region,
          forcePathStyle: true,
          credentials: { accessKeyId: settings.accessKey, secretAccessKey: Redacted.value(settings.secretKey) },
          // Callers own retries (with their Schedule); the SDK's own would multiply them.
          maxAttempts: 1,
          // The SDK's default since 2025 adds CRC32 checksums to every upload, which some S3-compatible servers
          // (older Ceph RGW and NooBaa among them) reject. Integrity is still checked: every body we send is a
          // byte array whose SHA-256 is signed (x-amz-content-sha256).
          requestChecksumCalculation: "WHEN_REQUIRED",
          responseChecksumValidation: "WHEN_REQUIRED",
          requestHandler: { connectionTimeout: 5_000 }
        })
    ),
    (s3) => Effect.sync(() => s3.destroy())
  )

  const headBucket = (operation: string, bucket: string) =>
    call(
      (abortSignal) => client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal }),
      (e) => classify({ operation, bucket }, e)
    ).pipe(Effect.asVoid)

  /** HEAD/copy answer a bare 404 for a missing bucket too: name the bucket when it is the one missing. */
  const blameBucket =
    (operation: string, bucket: string) =>
    <A>(effect: Effect.Effect<A, ObjectStoreError>): Effect.Effect<A, ObjectStoreError> =>
      Effect.catchTag(effect, "ObjectNotFound", (notFound) =>
        Effect.zipRight(headBucket(operation, bucket), Effect.fail(notFound))
      )

  const putSingle = (
    bucket: string,
    key: string,
    bytes: Uint8Array,
    contentType: string,
    metadata: Record<string, string>
  ) =>
    call(
      (abortSignal) =>
        client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: bytes,
            ContentLength: bytes.length,
            ContentType: contentType,
            Metadata: metadata
          }),
          { abortSignal }
        ),
      (e) => classify({ operation: "PutObject", bucket, key }, e)
    ).pipe(Effect.map((out): PutResult => ({ etag: unquote(out.ETag), size: bytes.length })))

  const put = Effect.fn("ObjectStore.put")(function* <E = never>(
    bucket: string,
    key: string,
    body: Uint8Array | Stream.Stream<Uint8Array, E>,
    options: PutOptions = {}
  ) {
    yield* Effect.annotateCurrentSpan({ bucket, key })
    const metadata = yield* checkPut("PutObject", bucket, key, options)
    const contentType = options.contentType ?? DEFAULT_CONTENT_TYPE
    const isBytes = body instanceof Uint8Array
    const partSize = partSizeFor(settings.multipartThresholdBytes, isBytes ? body.length : options.contentLength)
    const parts: Stream.Stream<Uint8Array, E> = isBytes ? sliceParts(body, partSize) : toParts(body, partSize)
    // Look at most two parts ahead: one part means a plain PutObject, more means multipart.
    return yield* Effect.scoped(
      Effect.gen(function* () {
        const { ahead, rest } = yield* lookAhead(parts, 2)
        const [first, second] = ahead
        if (second === undefined) {
          const bytes = first ?? new Uint8Array(0)
          yield* checkLength("PutObject", bucket, key, options, bytes.length)
          return yield* putSingle(bucket, key, bytes, contentType, metadata)
        }
        return yield* putMultipart(
          client,
          bucket,
          key,
          // splice: once sent, the first parts are no longer held by this closure.
          Stream.concat(
            Stream.suspend(() => Stream.fromIterable(ahead.splice(0))),
            rest
          ),
          contentType,
          metadata,
          options
        )
      })
    )
  })

  const toInfo = (
    bucket: string,
    key: string,
    out: {
      ContentLength?: number | undefined
      ContentType?: string | undefined
      ETag?: string | undefined
      LastModified?: Date | undefined
      Metadata?: Record<string, string> | undefined
    }
  ): ObjectInfo => ({
    bucket,
    key,
    size: out.ContentLength ?? 0,
    contentType: out.ContentType ?? DEFAULT_CONTENT_TYPE,
    etag: unquote(out.ETag),
    lastModified: out.LastModified ?? new Date(0),
    metadata: { ...out.Metadata }
  })

  /**
   * Sends GetObject under an AbortController that outlives the call: the SDK keeps listening to it until the
   * response has been read, so aborting it later tears down a half-read body. Interrupting the call aborts it too.
   */
  const open = (bucket: string, key: string, controller: AbortController) =>
    Effect.gen(function* () {
      const out = yield* call(
        (signal) => {
          signal.addEventListener("abort", () => controller.abort(), { once: true })
          return client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), {
            abortSignal: controller.signal
          })
        },
        (e) => classify({ operation: "GetObject", bucket, key, readsObject: true }, e)
      )
      const source = out.Body
      if (!(source instanceof Readable)) {
        controller.abort()
        return yield* new ObjectStoreFailure({
          operation: "GetObject",
          bucket,
          key,
          message: "response has no body stream"
        })
      }
      const target = { operation: "GetObject", bucket, key }
      const body = Stream.fromAsyncIterable<unknown, TransportError>(source, (e) => asTransport(target, e)).pipe(
        Stream.mapEffect((chunk) =>
          chunk instanceof Uint8Array
            ? Effect.succeed(chunk)
            : Effect.fail(new ObjectStoreFailure({ ...target, message: "body chunk is not bytes" }))
        ),
        Stream.ensuring(Effect.sync(() => controller.abort()))
      )
      return { info: toInfo(bucket, key, out), body } satisfies GetResult
    })

  const get = Effect.fn("ObjectStore.get")(function* (bucket: string, key: string) {
    yield* Effect.annotateCurrentSpan({ bucket, key })
    return yield* open(bucket, key, new AbortController())
  })

  const getStream = (bucket: string, key: string): Stream.Stream<Uint8Array, ObjectStoreError> =>
    Stream.unwrapScoped(
      Effect.gen(function* () {
        // Owned by the stream's scope, so the request dies with the stream whether or not the body ever started.
        const controller = yield* Effect.acquireRelease(
          Effect.sync(() => new AbortController()),
          (c) => Effect.sync(() => c.abort())
        )
        return (yield* open(bucket, key, controller)).body
      })
    ).pipe(Stream.withSpan("ObjectStore.getStream", { attributes: { bucket, key } }))

  const getBytes = Effect.fn("ObjectStore.getBytes")(function* (bucket: string, key: string) {
    yield* Effect.annotateCurrentSpan({ bucket, key })
    const { body } = yield* open(bucket, key, new AbortController())
    const pieces = Chunk.toReadonlyArray(yield* Stream.runCollect(body))
    return concatBytes(
      pieces,
      pieces.reduce((n, piece) => n + piece.length, 0)
    )
  })

  const head = Effect.fn("ObjectStore.head")(function* (bucket: string, key: string) {
    yield* Effect.annotateCurrentSpan({ bucket, key })
    const out = yield* call(
      (abortSignal) => client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
      (e) => classify({ operation: "HeadObject", bucket, key, readsObject: true }, e)
    ).pipe(blameBucket("HeadObject", bucket))
    return toInfo(bucket, key, out)
  })

  const del = Effect.fn("ObjectStore.delete")(function* (bucket: string, key: string) {
    yield* Effect.annotateCurrentSpan({ bucket, key })
    yield* call(
      (abortSignal) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }),
      (e) => classify({ operation: "DeleteObject", bucket, key }, e)
    )
  })

  const copy = Effect.fn("ObjectStore.copy")(function* (from: ObjectLocation, to: ObjectLocation) {
    yield* Effect.annotateCurrentSpan({ fromBucket: from.bucket, fromKey: from.key, bucket: to.bucket, key: to.key })
    const out = yield* call(
      (abortSignal) =>
        client.send(
          new CopyObjectCommand({
            Bucket: to.bucket,
            Key: to.key,
            // CopySource is "bucket/key" with the key URL-encoded.
            CopySource: `${from.bucket}/${encodeURIComponent(from.key)}`
          }),
          { abortSignal }
        ),
      (e) => classify({ operation: "CopyObject", bucket: from.bucket, key: from.key, readsObject: true }, e)
    ).pipe(
      blameBucket("CopyObject", from.bucket),
      // NoSuchBucket does not say which of the two buckets is missing.
      Effect.catchTag("BucketNotFound", () =>
        Effect.zipRight(headBucket("CopyObject", from.bucket), Effect.fail(new BucketNotFound({ bucket: to.bucket })))
      )
    )
    return { etag: unquote(out.CopyObjectResult?.ETag) }
  })

  const list = Effect.fn("ObjectStore.list")(function* (bucket: string, options: ListOptions = {}) {
    yield* Effect.annotateCurrentSpan({ bucket, prefix: options.prefix ?? "" })
    const out = yield* call(
      (abortSignal) =>
        client.send(
          new ListObjectsV2Command({
            Bucket: bucket,
            Prefix: options.prefix,
            ContinuationToken: options.continuationToken,
            MaxKeys: clampMaxKeys(options.maxKeys)
          }),
          { abortSignal }
        ),
      (e) => classify({ operation: "ListObjectsV2", bucket }, e)
    )
    const objects = (out.Contents ?? []).flatMap(
      (o): Array<ObjectSummary> =>
        o.Key === undefined
          ? []
          : [{ key: o.Key, size: o.Size ?? 0, etag: unquote(o.ETag), lastModified: o.LastModified ?? new Date(0) }]
    )
    const token = out.IsTruncated === true ? out.NextContinuationToken : undefined
    return token === undefined ? { objects } : { objects, nextContinuationToken: token }
  })

  const presignGet = Effect.fn("ObjectStore.presignGet")(function* (
    bucket: string,
    key: string,
    expiresInSeconds: number = settings.presignExpirySeconds
  ) {
    yield* Effect.annotateCurrentSpan({ bucket, key })
    const expiresIn = yield* checkExpiry(bucket, key, expiresInSeconds)
    return yield* Effect.tryPromise({
      try: () => getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn }),
      catch: (e) =>
        new ObjectStoreFailure({
          operation: "PresignGet",
          bucket,
          key,
          message: stringField(e, "message") ?? String(e)
        })
    })
  })

  // us-east-1 has no LocationConstraint, and non-AWS regions ("onprem") are not ones S3 would accept.
  const locationConstraint = Object.values(BucketLocationConstraint).find((c) => c === settings.region)

  const ensureBucket = Effect.fn("ObjectStore.ensureBucket")(function* (bucket: string) {
    yield* Effect.annotateCurrentSpan({ bucket })
    // HEAD first: production buckets are provisioned for us, and our credentials may not be allowed to create one.
    yield* headBucket("HeadBucket", bucket).pipe(
      Effect.catchTag("BucketNotFound", () =>
        call(
          (abortSignal) =>
            client
              .send(
                new CreateBucketCommand({
                  Bucket: bucket,
                  CreateBucketConfiguration:
                    locationConstraint === undefined ? undefined : { LocationConstraint: locationConstraint }
                }),
                { abortSignal }
              )
              .then(
                () => undefined,
                (e: unknown) => {
                  // Another process created it between our HEAD and CREATE.
                  if (stringField(e, "name") === "BucketAlreadyOwnedByYou") return undefined
                  throw e
                }
              ),
          (e) => asTransport({ operation: "CreateBucket", bucket }, e)
        )
      )
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
