/**
 * Why ingress refused or could not finish a request, one class per answer a client can act on, with the status
 * upstream answers (ingress-koku-sources.md A.2) and upstream's text as the JSON error's `message`.
 */
import { HttpServerResponse } from "@effect/platform"
import { Schema } from "effect"
import type { InvalidIdentity } from "../../schema/identity/Identity.js"
import type { IngressErrorBody } from "../../schema/ingress/IngressErrorBody.js"
import { INSIGHTS_REQUEST_ID_HEADER } from "./RequestId.js"

/** The org is on INGRESS_DENY_LISTED_ORGIDS. */
export class UploadDenied extends Schema.TaggedError<UploadDenied>()("UploadDenied", { orgId: Schema.String }) {
  override get message(): string {
    return "Upload denied. Please contact Red Hat Support."
  }
}

/** No `file` or `upload` part with a file name, or a body that is not multipart at all. */
export class FileMissing extends Schema.TaggedError<FileMissing>()("FileMissing", {
  /** What was wrong, for the logs; the client gets upstream's fixed text. */
  reason: Schema.String
}) {
  override get message(): string {
    return "File or upload field not found"
  }
}

/** The file part's Content-Type names no service, or one not in INGRESS_VALID_UPLOAD_TYPES. */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()("UnsupportedMediaType", {
  contentType: Schema.String,
  service: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return this.service === undefined
      ? `Unsupported Media Type: ${JSON.stringify(this.contentType)} is not application/vnd.redhat.<service>.<category>`
      : `Unsupported Media Type: service ${JSON.stringify(this.service)} is not accepted here`
  }
}

/** The file part is larger than its service's limit; `size` is what had arrived when reading stopped. */
export class FileTooLarge extends Schema.TaggedError<FileTooLarge>()("FileTooLarge", {
  limit: Schema.Number,
  size: Schema.Number
}) {
  override get message(): string {
    return `File exceeds maximum file size (${this.limit}) for upload: ${this.size}`
  }
}

/** The request body is larger than any upload may be (declared, or counted while reading). */
export class BodyTooLarge extends Schema.TaggedError<BodyTooLarge>()("BodyTooLarge", {
  limit: Schema.Number,
  size: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    return this.size === undefined
      ? `Request body exceeds ${this.limit} bytes`
      : `Request body of ${this.size} bytes exceeds ${this.limit} bytes`
  }
}

/** The multipart body broke off or is malformed after the upload had started. */
export class BodyUnreadable extends Schema.TaggedError<BodyUnreadable>()("BodyUnreadable", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Bad Request: the request body could not be read: ${this.reason}`
  }
}

/** The object store did not take the file. `retryable` when the store was unreachable or busy. */
export class StagingFailed extends Schema.TaggedError<StagingFailed>()("StagingFailed", {
  reason: Schema.String,
  retryable: Schema.Boolean
}) {
  override get message(): string {
    return `Internal Server Error: the upload could not be stored: ${this.reason}`
  }
}

/** platform.upload.announce did not take the message; the upload is stored but nobody will process it. */
export class AnnounceFailed extends Schema.TaggedError<AnnounceFailed>()("AnnounceFailed", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Service Unavailable: the upload could not be announced: ${this.reason}`
  }
}

/** The upload status table (database `ros`) did not answer. */
export class TrackingUnavailable extends Schema.TaggedError<TrackingUnavailable>()("TrackingUnavailable", {
  reason: Schema.String
}) {
  override get message(): string {
    return `Service Unavailable: the upload status could not be recorded: ${this.reason}`
  }
}

/** No upload with this id for the caller's org (another org's uploads are not found either). */
export class UploadNotFound extends Schema.TaggedError<UploadNotFound>()("UploadNotFound", {
  requestId: Schema.String
}) {
  override get message(): string {
    return `Not Found: no upload ${JSON.stringify(this.requestId)} for this org`
  }
}

/** A query parameter of the track listing is not what it should be. */
export class InvalidQuery extends Schema.TaggedError<InvalidQuery>()("InvalidQuery", {
  parameter: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Bad Request: ${this.parameter} ${this.reason}`
  }
}

export type IngressFailure =
  | InvalidIdentity
  | UploadDenied
  | FileMissing
  | UnsupportedMediaType
  | FileTooLarge
  | BodyTooLarge
  | BodyUnreadable
  | StagingFailed
  | AnnounceFailed
  | TrackingUnavailable
  | UploadNotFound
  | InvalidQuery

/** The status upstream answers for each failure (A.2); 503 where retrying later can help. */
export const statusOf = (failure: IngressFailure): number => {
  switch (failure._tag) {
    case "InvalidIdentity":
    case "FileMissing":
    case "BodyUnreadable":
    case "InvalidQuery":
      return 400
    case "UploadDenied":
      return 403
    case "UploadNotFound":
      return 404
    case "BodyTooLarge":
    case "FileTooLarge":
      return 413
    case "UnsupportedMediaType":
      return 415
    case "StagingFailed":
      return failure.retryable ? 503 : 500
    case "AnnounceFailed":
    case "TrackingUnavailable":
      return 503
  }
}

/** The text a client reads; identity problems get upstream's `Bad Request: ` prefix (pgm identity middleware). */
export const messageOf = (failure: IngressFailure): string =>
  failure._tag === "InvalidIdentity" ? `Bad Request: ${failure.message}` : failure.message

/** A JSON response carrying the request id in its header, as every ingress response does. */
export const jsonResponse = (body: unknown, status: number, requestId: string) =>
  HttpServerResponse.text(JSON.stringify(body), {
    status,
    contentType: "application/json",
    headers: { [INSIGHTS_REQUEST_ID_HEADER]: requestId }
  })

export const failureResponse = (failure: IngressFailure, requestId: string) => {
  const status = statusOf(failure)
  const body: IngressErrorBody = { status, message: messageOf(failure), request_id: requestId }
  return jsonResponse(body, status, requestId)
}
