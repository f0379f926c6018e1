/**
 * The shape of the ObjectStore service shared by the live (@aws-sdk/client-s3) and in-memory implementations: its
 * types, its typed errors, and the rules both apply to their input so callers see the same behaviour.
 */
import { Chunk, Effect, Option, Schema, Stream } from "effect"

// ---------------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------------

export class ObjectNotFound extends Schema.TaggedError<ObjectNotFound>()("ObjectNotFound", {
  bucket: Schema.String,
  key: Schema.String
}) {}

export class BucketNotFound extends Schema.TaggedError<BucketNotFound>()("BucketNotFound", {
  bucket: Schema.String
}) {}

/** The server could not be reached or answered 5xx / 429 / a timeout. Retrying later may succeed. */
export class ObjectStoreUnavailable extends Schema.TaggedError<ObjectStoreUnavailable>()("ObjectStoreUnavailable", {
  operation: Schema.String,
  message: Schema.String,
  status: Schema.optional(Schema.Number)
}) {}

/** The request was rejected (403, 400, bad input...). Retrying the same request will fail the same way. */
export class ObjectStoreFailure extends Schema.TaggedError<ObjectStoreFailure>()("ObjectStoreFailure", {
  operation: Schema.String,
  bucket: Schema.String,
  key: Schema.optional(Schema.String),
  message: Schema.String,
  status: Schema.optional(Schema.Number)
}) {}

export type ObjectStoreError = ObjectNotFound | BucketNotFound | ObjectStoreUnavailable | ObjectStoreFailure
/** What an operation that does not read one named object can fail with. */
export type BucketError = BucketNotFound | ObjectStoreUnavailable | ObjectStoreFailure
/** What can go wrong once a body is flowing, or for calls that name no bucket that could be missing. */
export type TransportError = ObjectStoreUnavailable | ObjectStoreFailure

// ---------------------------------------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------------------------------------

export interface PutOptions {
  /** Defaults to `application/octet-stream` on every backend, so a stored object always has one. */
  readonly contentType?: string
  /**
   * User metadata. It travels as HTTP headers, so keys come back lower-cased and both keys and values must be
   * printable ASCII; anything else is rejected with `ObjectStoreFailure` before any byte is sent.
   */
  readonly metadata?: Readonly<Record<string, string>>
  /** The body's size when known in advance: sizes the parts, and a body of another size fails the put. */
  readonly contentLength?: number
}

export interface PutResult {
  /** Without the surrounding quotes S3 puts on it. Multipart objects have the `<md5 of part md5s>-<parts>` form. */
  readonly etag: string
  readonly size: number
}

export interface ObjectInfo {
  readonly bucket: string
  readonly key: string
  readonly size: number
  readonly contentType: string
  readonly etag: string
  readonly lastModified: Date
  readonly metadata: Readonly<Record<string, string>>
}

export interface ObjectSummary {
  readonly key: string
  readonly size: number
  readonly etag: string
  readonly lastModified: Date
}

export interface ListOptions {
  readonly prefix?: string
  readonly continuationToken?: string
  /** Clamped to 1..1000, the range S3 serves in one page. Defaults to 1000. */
  readonly maxKeys?: number
}

export interface ListPage {
  /** Keys in ascending UTF-8 byte order, as S3 lists them. */
  readonly objects: ReadonlyArray<ObjectSummary>
  /** Present exactly when more keys follow; pass it back as `continuationToken`. */
  readonly nextContinuationToken?: string
}

export interface GetResult {
  readonly info: ObjectInfo
  /**
   * The object's bytes, read from the open response as they arrive. It can be run once. Run it (or cut it short:
   * ending the stream early or interrupting it aborts the request); a body that is never run holds its connection
   * until the server gives up on it. Prefer `getStream` when the metadata is not needed.
   */
  readonly body: Stream.Stream<Uint8Array, TransportError>
}

export interface ObjectLocation {
  readonly bucket: string
  readonly key: string
}

export interface ObjectStoreService {
  /**
   * Stores a body. A body that fits in one part goes up as a single PutObject; a larger one is uploaded in parts of
   * `max(multipartThresholdBytes, 5 MiB)`, two at a time, and the upload is aborted if anything fails. A stream
   * body is never held whole: memory stays under about eight parts (64 MiB at the default 8 MiB) whatever the
   * size. Its own failure `E` is passed through unchanged.
   */
  readonly put: <E = never>(
    bucket: string,
    key: string,
    body: Uint8Array | Stream.Stream<Uint8Array, E>,
    options?: PutOptions
  ) => Effect.Effect<PutResult, BucketError | E>
  readonly get: (bucket: string, key: string) => Effect.Effect<GetResult, ObjectStoreError>
  /** The body alone; the request is made when the stream runs and aborted when it ends. */
  readonly getStream: (bucket: string, key: string) => Stream.Stream<Uint8Array, ObjectStoreError>
  readonly getBytes: (bucket: string, key: string) => Effect.Effect<Uint8Array, ObjectStoreError>
  readonly head: (bucket: string, key: string) => Effect.Effect<ObjectInfo, ObjectStoreError>
  /** Deleting a key that does not exist succeeds, as in S3. */
  readonly delete: (bucket: string, key: string) => Effect.Effect<void, BucketError>
  /** Server-side copy with content type and metadata; single request, so sources up to 5 GiB. */
  readonly copy: (
    from: ObjectLocation,
    to: ObjectLocation
  ) => Effect.Effect<{ readonly etag: string }, ObjectStoreError>
  /** One page of keys. */
  readonly list: (bucket: string, options?: ListOptions) => Effect.Effect<ListPage, BucketError>
  /** Every key under `prefix`, fetching pages as the stream is pulled. */
  readonly listAll: (bucket: string, prefix?: string) => Stream.Stream<ObjectSummary, BucketError>
  /**
   * A URL anyone can GET for `expiresInSeconds` (1..604800; default `presignExpirySeconds`). It is signed for the
   * configured endpoint's host:port and must be fetched through exactly that address. Signing is local: a URL for
   * a missing object is still produced and answers 404 when fetched.
   */
  readonly presignGet: (
    bucket: string,
    key: string,
    expiresInSeconds?: number
  ) => Effect.Effect<string, ObjectStoreFailure>
  /** Creates the bucket unless it already exists; an existing bucket (ours) is success. */
  readonly ensureBucket: (bucket: string) => Effect.Effect<void, TransportError>
}

/**
 * Scheme of the memory layer's presigned URLs. They name the object but cannot be fetched over HTTP; code that
 * hands a URL to another process needs the live layer in its tests.
 */
export const MEMORY_URL_SCHEME = "memory:"

// ---------------------------------------------------------------------------------------------------------
// Shared rules (both layers apply them, so callers see the same behaviour)
// ---------------------------------------------------------------------------------------------------------

const MAX_LIST_KEYS = 1000
/** SigV4 presigned URLs cannot live longer than a week. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600
export const DEFAULT_CONTENT_TYPE = "application/octet-stream"

export const clampMaxKeys = (maxKeys: number | undefined): number =>
  maxKeys === undefined ? MAX_LIST_KEYS : Math.min(MAX_LIST_KEYS, Math.max(1, Math.floor(maxKeys)))

const headerToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const printableAscii = /^[\x20-\x7e]*$/

export const checkPut = (
  operation: string,
  bucket: string,
  key: string,
  options: PutOptions
): Effect.Effect<Record<string, string>, ObjectStoreFailure> => {
  const metadata: Record<string, string> = {}
  for (const [name, value] of Object.entries(options.metadata ?? {})) {
    if (!headerToken.test(name) || !printableAscii.test(value)) {
      return Effect.fail(
        new ObjectStoreFailure({
          operation,
          bucket,
          key,
          message: `metadata ${JSON.stringify(name)} must be an ASCII header name with a printable ASCII value`
        })
      )
    }
    metadata[name.toLowerCase()] = value
  }
  return Effect.succeed(metadata)
}

export const checkLength = (
  operation: string,
  bucket: string,
  key: string,
  options: PutOptions,
  size: number
): Effect.Effect<void, ObjectStoreFailure> =>
  options.contentLength === undefined || options.contentLength === size
    ? Effect.void
    : Effect.fail(
        new ObjectStoreFailure({
          operation,
          bucket,
          key,
          message: `body has ${size} bytes but contentLength is ${options.contentLength}`
        })
      )

export const checkExpiry = (bucket: string, key: string, seconds: number): Effect.Effect<number, ObjectStoreFailure> =>
  Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_PRESIGN_SECONDS
    ? Effect.succeed(seconds)
    : Effect.fail(
        new ObjectStoreFailure({
          operation: "PresignGet",
          bucket,
          key,
          message: `expiresInSeconds must be an integer in 1..${MAX_PRESIGN_SECONDS}, got ${seconds}`
        })
      )

export const listPages = (
  list: ObjectStoreService["list"],
  bucket: string,
  prefix: string | undefined
): Stream.Stream<ObjectSummary, BucketError> =>
  Stream.paginateChunkEffect<string | undefined, ObjectSummary, BucketError, never>(undefined, (continuationToken) =>
    list(bucket, {
      ...(prefix === undefined ? {} : { prefix }),
      ...(continuationToken === undefined ? {} : { continuationToken })
    }).pipe(
      Effect.map((page) => [Chunk.fromIterable(page.objects), Option.fromNullable(page.nextContinuationToken)] as const)
    )
  ).pipe(Stream.withSpan("ObjectStore.listAll", { attributes: { bucket, prefix: prefix ?? "" } }))
