/**
 * `ros-ocp upload <tarball>`: sends a cost-management tarball to ingress the way the operator does (ingress-koku-
 * sources.md B.1: one `file` part of type application/vnd.redhat.hccm.tar+tgz), with the test identity of ORG_ID
 * standing in for the gateway's, and prints the request id and where to follow it.
 */
import { openAsBlob } from "node:fs"
import { basename } from "node:path"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { Console, Effect, Either, Schema } from "effect"
import { makeIdentityHeader } from "../../schema/identity/Identity.js"
import { UploadAccepted } from "../../schema/ingress/UploadAccepted.js"
import { UploadClientSettings } from "../services/Settings.js"
import { INSIGHTS_REQUEST_ID_HEADER } from "./RequestId.js"

/** The part type the cost-management operator sends. */
export const HCCM_CONTENT_TYPE = "application/vnd.redhat.hccm.tar+tgz"

export class UploadRefused extends Schema.TaggedError<UploadRefused>()("UploadRefused", {
  url: Schema.String,
  status: Schema.Number,
  body: Schema.String
}) {
  override get message(): string {
    return `ingress at ${this.url} answered ${this.status}: ${this.body}`
  }
}

export class UploadNotSent extends Schema.TaggedError<UploadNotSent>()("UploadNotSent", {
  url: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `could not upload to ${this.url}: ${this.reason}`
  }
}

export interface UploadReceipt {
  readonly requestId: string
  readonly trackUrl: string
  readonly identity: string
}

/** Uploads the file at `path` (read from disk as it is sent) and returns what ingress answered. */
export const uploadTarball = Effect.fn("UploadClient.uploadTarball")(function* (path: string) {
  const settings = yield* UploadClientSettings
  const base = settings.ingressUrl.replace(/\/+$/, "")
  const url = `${base}/api/ingress/v1/upload`
  const identity = makeIdentityHeader({ orgId: settings.orgId })
  const file = yield* Effect.tryPromise({
    try: () => openAsBlob(path, { type: HCCM_CONTENT_TYPE }),
    catch: (e) => new UploadNotSent({ url, reason: e instanceof Error ? e.message : String(e) })
  })
  const form = new FormData()
  form.append("file", file, basename(path))
  const client = yield* HttpClient.HttpClient
  const response = yield* client
    .execute(
      HttpClientRequest.post(url).pipe(
        HttpClientRequest.setHeader("x-rh-identity", identity),
        HttpClientRequest.bodyFormData(form)
      )
    )
    .pipe(Effect.mapError((e) => new UploadNotSent({ url, reason: e.message })))
  const text = yield* response.text.pipe(Effect.mapError((e) => new UploadNotSent({ url, reason: e.message })))
  if (response.status !== 202) return yield* new UploadRefused({ url, status: response.status, body: text })
  const body = Schema.decodeUnknownEither(Schema.parseJson(UploadAccepted))(text)
  const requestId = Either.isRight(body)
    ? body.right.request_id
    : (response.headers[INSIGHTS_REQUEST_ID_HEADER] ?? "(no request id in the answer)")
  return {
    requestId,
    trackUrl: `${base}/api/ingress/v1/track/${encodeURIComponent(requestId)}`,
    identity
  } satisfies UploadReceipt
})

/** The command: upload, then print the request id and how to follow the upload. */
export const uploadCommand = (path: string) =>
  uploadTarball(path).pipe(
    Effect.flatMap((receipt) =>
      Console.log(
        [
          `uploaded ${path}`,
          `request id: ${receipt.requestId}`,
          `track:      ${receipt.trackUrl}`,
          `            curl -s -H 'x-rh-identity: ${receipt.identity}' ${receipt.trackUrl}`
        ].join("\n")
      )
    ),
    Effect.provide(FetchHttpClient.layer)
  )
