/**
 * The id of an upload (ingress-koku-sources.md A.7): the gateway's `x-rh-insights-request-id`, else the
 * `x-rh-request-id` that ros-ocp's own test scripts send (upstream ignores it), else a fresh one. It becomes the
 * S3 key and the Kafka `request_id`, and koku turns it into a local file name, so a client's value is used only
 * when it is a plain token; otherwise the next candidate is tried.
 */
import { randomUUID } from "node:crypto"
import { Effect } from "effect"

export const INSIGHTS_REQUEST_ID_HEADER = "x-rh-insights-request-id"
export const REQUEST_ID_HEADER = "x-rh-request-id"

const MAX_REQUEST_ID_LENGTH = 128
// Letters, digits and `-_.:`; no `/` (it would make the S3 key a path), no spaces or control characters.
const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:-]*$/

/** Whether a client's request id can be used as is. */
export const isUsableRequestId = (candidate: string): boolean =>
  candidate.length <= MAX_REQUEST_ID_LENGTH && TOKEN.test(candidate)

type Headers = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>

const headerValue = (headers: Headers, name: string): string | undefined => {
  const value = headers[name]
  const first = typeof value === "string" ? value : value?.[0]
  return first?.trim()
}

/** The first usable client-supplied id of the request (header names are lower-case, as Node gives them). */
export const clientRequestId = (headers: Headers): string | undefined =>
  [INSIGHTS_REQUEST_ID_HEADER, REQUEST_ID_HEADER]
    .map((name) => headerValue(headers, name))
    .find((value): value is string => value !== undefined && isUsableRequestId(value))

/** A new id in the form 3scale gives them: a random UUID as 32 lower-case hex digits. */
export const generateRequestId: Effect.Effect<string> = Effect.sync(() => randomUUID().replaceAll("-", ""))

/** The request's id: the client's when usable, else a generated one. */
export const resolveRequestId = (headers: Headers): Effect.Effect<string> => {
  const fromClient = clientRequestId(headers)
  return fromClient === undefined ? generateRequestId : Effect.succeed(fromClient)
}
