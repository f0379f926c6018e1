/**
 * How SDK calls become effects, and how whatever the SDK throws becomes one of the service's typed errors.
 */
import { Effect, Predicate } from "effect"
import {
  type BucketError,
  BucketNotFound,
  ObjectNotFound,
  type ObjectStoreError,
  ObjectStoreFailure,
  ObjectStoreUnavailable,
  type TransportError
} from "./ObjectStoreService.js"

/** Errors Node raises when the server is down, unreachable or drops the connection. */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ERR_STREAM_PREMATURE_CLOSE"
])

/** S3 error codes that mean "try again later" even when the status is not 5xx. */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  "TimeoutError",
  "RequestTimeout",
  "SlowDown",
  "ServiceUnavailable",
  "InternalError",
  "Throttling",
  "ThrottlingException",
  "RequestLimitExceeded"
])

export const stringField = (u: unknown, name: string): string | undefined =>
  Predicate.hasProperty(u, name) && typeof u[name] === "string" ? u[name] : undefined

/** The `code` of an error, or of the first nested one (Node reports dual-stack connect failures as AggregateError). */
const networkCode = (u: unknown, depth = 0): string | undefined => {
  const code = stringField(u, "code")
  if (code !== undefined && NETWORK_CODES.has(code)) return code
  if (depth > 3) return undefined
  if (Predicate.hasProperty(u, "errors") && Array.isArray(u.errors)) {
    for (const inner of u.errors) {
      const found = networkCode(inner, depth + 1)
      if (found !== undefined) return found
    }
  }
  return Predicate.hasProperty(u, "cause") ? networkCode(u.cause, depth + 1) : undefined
}

const httpStatus = (u: unknown): number | undefined =>
  Predicate.hasProperty(u, "$metadata") &&
  Predicate.hasProperty(u.$metadata, "httpStatusCode") &&
  typeof u.$metadata.httpStatusCode === "number"
    ? u.$metadata.httpStatusCode
    : undefined

export interface Target {
  readonly operation: string
  readonly bucket: string
  readonly key?: string
  /** The request reads `key`, so a 404 about a key is that object's absence. */
  readonly readsObject?: true
}

/**
 * Turns whatever the SDK threw into one of our errors. `NotFound` is the SDK's name for a bare 404 (HEAD has
 * no body to carry a code): for an object request it is reported as `ObjectNotFound`, and callers that HEAD an
 * object check the bucket afterwards to tell the two apart.
 */
export function classify(
  target: Target & { readonly key: string; readonly readsObject: true },
  error: unknown
): ObjectStoreError
export function classify(target: Target, error: unknown): BucketError
export function classify(target: Target, error: unknown): ObjectStoreError {
  const { operation, bucket, key, readsObject } = target
  const name = stringField(error, "name") ?? "Error"
  const detail = stringField(error, "message") ?? String(error)
  const status = httpStatus(error)
  const message = `${name}: ${detail}`
  const code = networkCode(error)
  if (code !== undefined) return new ObjectStoreUnavailable({ operation, message: `${code}: ${detail}` })
  if (name === "NoSuchBucket") return new BucketNotFound({ bucket })
  if (name === "NoSuchKey" || (status === 404 && name === "NotFound")) {
    return readsObject === true && key !== undefined
      ? new ObjectNotFound({ bucket, key })
      : new BucketNotFound({ bucket })
  }
  if ((status !== undefined && (status >= 500 || status === 429)) || RETRYABLE_CODES.has(name)) {
    return new ObjectStoreUnavailable(status === undefined ? { operation, message } : { operation, message, status })
  }
  return new ObjectStoreFailure({
    operation,
    bucket,
    message,
    ...(key === undefined ? {} : { key }),
    ...(status === undefined ? {} : { status })
  })
}

export const asTransport = (target: Target, error: unknown): TransportError => {
  const e = classify(target, error)
  return e._tag === "BucketNotFound"
    ? new ObjectStoreFailure({ operation: target.operation, bucket: target.bucket, message: "NoSuchBucket" })
    : e
}

/** One SDK call, aborted if the fiber is interrupted. */
export const call = <A, E>(run: (signal: AbortSignal) => Promise<A>, onError: (error: unknown) => E) =>
  Effect.tryPromise({ try: run, catch: onError })

export const unquote = (etag: string | undefined): string => (etag ?? "").replace(/^"(.*)"$/, "$1")
