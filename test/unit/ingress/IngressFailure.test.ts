import { describe, expect, it } from "@effect/vitest"
import { InvalidIdentity } from "../../../schema/identity/Identity.js"
import {
  AnnounceFailed,
  BodyTooLarge,
  FileMissing,
  FileTooLarge,
  messageOf,
  StagingFailed,
  statusOf,
  UnsupportedMediaType,
  UploadDenied
} from "../../../src/ingress/IngressFailure.js"

describe("IngressFailure", () => {
  it("answers upstream's statuses and texts", () => {
    const cases = [
      [new InvalidIdentity({ problem: "missing" }), 400, "Bad Request: missing x-rh-identity header"],
      [new UploadDenied({ orgId: "1" }), 403, "Upload denied. Please contact Red Hat Support."],
      [new FileMissing({ reason: "none" }), 400, "File or upload field not found"],
      [new FileTooLarge({ limit: 10, size: 11 }), 413, "File exceeds maximum file size (10) for upload: 11"],
      [new BodyTooLarge({ limit: 10, size: 20 }), 413, "Request body of 20 bytes exceeds 10 bytes"],
      [new UnsupportedMediaType({ contentType: "application/gzip", service: "advisor" }), 415, undefined],
      [new StagingFailed({ reason: "x", retryable: false }), 500, undefined],
      [new StagingFailed({ reason: "x", retryable: true }), 503, undefined],
      [new AnnounceFailed({ reason: "x" }), 503, "Service Unavailable: the upload could not be announced: x"]
    ] as const
    for (const [failure, status, text] of cases) {
      expect([failure._tag, statusOf(failure)]).toEqual([failure._tag, status])
      if (text !== undefined) expect(messageOf(failure)).toBe(text)
    }
  })
})
