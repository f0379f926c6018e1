/**
 * Ingress when an upload cannot complete, against the real servers: a file over its limit is refused while it
 * streams (413) and leaves no object and no unfinished multipart upload behind; a body that announces a length no
 * upload may have is refused before it is read; with Kafka unreachable the upload is stored but refused with 503,
 * and its status says it failed at the announce.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import {
  call,
  HCCM_TYPE,
  multipartBody,
  sampleBytes,
  sha256,
  startIngress,
  upload
} from "../../support/ingressHarness.js"
import { unusedPort } from "../../support/ports.js"
import { S3Admin } from "../s3Support.js"

const BUCKET = "insights-upload-perma"
const MiB = 1024 * 1024
const LIMIT = 11 * MiB

const Checks = Layer.mergeAll(ObjectStore.layer, S3Admin.layer)

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** `size` bytes that are not all the same (so nothing along the way could shrink them). */
const bytesOf = (size: number) => {
  const out = new Uint8Array(size)
  for (let i = 0; i < size; i++) out[i] = (i * 31 + (i >> 12)) % 251
  return out
}

interface TrackBody {
  readonly status: string
  readonly stage: string
  readonly error: { readonly stage: string; readonly message: string } | null
  readonly events: ReadonlyArray<{ readonly stage: string; readonly outcome: string }>
}

describe("ingress refusing and failing uploads on the real servers", () => {
  it.live(
    "refuses a file over its limit while it streams: 413, no object, no open multipart upload, status failed",
    () =>
      Effect.gen(function* () {
        // Parts of 5 MiB: an 11.5 MiB file starts a multipart upload (two parts) before the third crosses the limit.
        const ingress = yield* startIngress({
          INGRESS_DEFAULTMAXSIZE: String(LIMIT),
          S3_MULTIPART_THRESHOLD_BYTES: String(5 * MiB)
        })
        const store = yield* ObjectStore
        const admin = yield* S3Admin
        const identity = makeIdentityHeader({ orgId: unique("org") })
        const requestId = unique("too-big")
        const answer = yield* upload(ingress.url, {
          identity,
          headers: { "x-rh-insights-request-id": requestId },
          file: { bytes: bytesOf(LIMIT + MiB / 2), type: HCCM_TYPE }
        })
        expect(answer.status).toBe(413)
        expect(answer.headers.get("x-rh-insights-request-id")).toBe(requestId)
        const message = (answer.body as { message: string }).message
        expect(message).toMatch(new RegExp(`^File exceeds maximum file size \\(${LIMIT}\\) for upload: \\d+$`))
        expect(Number(message.split(": ")[1])).toBeGreaterThan(LIMIT)

        const head = yield* Effect.either(store.head(BUCKET, requestId))
        expect(head._tag === "Left" && head.left._tag).toBe("ObjectNotFound")
        expect(yield* admin.pendingUploads(BUCKET, requestId)).toBe(0)

        const track = yield* call(ingress.url, "GET", `/api/ingress/v1/track/${requestId}`, { identity })
        const body = track.body as TrackBody
        expect([body.status, body.stage, body.error?.stage, body.error?.message]).toEqual([
          "failed",
          "stored",
          "stored",
          message
        ])
        expect(body.events.map((e) => [e.stage, e.outcome])).toEqual([
          ["received", "done"],
          ["stored", "failed"]
        ])

        // A body sent without a length (chunked) is counted as it comes: refused at the same limit.
        const chunkedId = unique("chunked")
        const { body: big, contentType } = multipartBody({ file: { bytes: bytesOf(40 * MiB), type: HCCM_TYPE } })
        const streamed = yield* Effect.promise(async () => {
          const response = await fetch(`${ingress.url}/api/ingress/v1/upload`, {
            method: "POST",
            headers: { "content-type": contentType, "x-rh-identity": identity, "x-rh-insights-request-id": chunkedId },
            body: new Blob([big]).stream(),
            duplex: "half"
          } as RequestInit)
          return { status: response.status, text: await response.text() }
        })
        expect(streamed.status).toBe(413)
        expect(streamed.text).toContain(`File exceeds maximum file size (${LIMIT})`)
        expect(yield* admin.pendingUploads(BUCKET, chunkedId)).toBe(0)
        expect((yield* Effect.either(store.head(BUCKET, chunkedId)))._tag).toBe("Left")
      }).pipe(Effect.provide(Checks), Effect.scoped),
    120_000
  )

  it.live("refuses a declared Content-Length no upload may have before reading the body", () =>
    Effect.gen(function* () {
      const ingress = yield* startIngress({ INGRESS_DEFAULTMAXSIZE: String(MiB) })
      const identity = makeIdentityHeader({ orgId: unique("org") })
      const requestId = unique("declared")
      const answer = yield* upload(ingress.url, {
        identity,
        headers: { "x-rh-insights-request-id": requestId },
        file: { bytes: bytesOf(3 * MiB), type: HCCM_TYPE }
      })
      expect(answer.status).toBe(413)
      expect((answer.body as { message: string }).message).toMatch(/^Request body of \d+ bytes exceeds 2097152 bytes$/)
      // Refused before anything was recorded.
      expect((yield* call(ingress.url, "GET", `/api/ingress/v1/track/${requestId}`, { identity })).status).toBe(404)
    }).pipe(Effect.scoped)
  )

  it.live("with Kafka unreachable: stores the upload, answers 503 and marks it failed at the announce", () =>
    Effect.gen(function* () {
      const deadBroker = yield* unusedPort
      const ingress = yield* startIngress({ KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${deadBroker}` })
      const store = yield* ObjectStore
      const identity = makeIdentityHeader({ orgId: unique("org") })
      const health = yield* call(ingress.url, "GET", "/health")
      expect(health.body).toEqual({ status: "ok", kafka: "connecting" })

      const bytes = yield* sampleBytes
      const answer = yield* upload(ingress.url, { identity, file: { bytes, type: HCCM_TYPE } })
      expect(answer.status).toBe(503)
      const requestId = answer.headers.get("x-rh-insights-request-id") ?? ""
      expect(answer.body).toEqual({
        status: 503,
        message: "Service Unavailable: the upload could not be announced: Kafka is not connected",
        request_id: requestId
      })
      const track = yield* call(ingress.url, "GET", `/api/ingress/v1/track/${requestId}`, { identity })
      const body = track.body as TrackBody
      expect([body.status, body.stage, body.error?.stage]).toEqual(["failed", "announced", "announced"])
      expect(body.error?.message).toContain("Kafka is not connected")
      expect(body.events.map((e) => [e.stage, e.outcome])).toEqual([
        ["received", "done"],
        ["stored", "done"],
        ["announced", "failed"]
      ])
      // The object stays (see IngressUploads): whole, and named in the status.
      expect(sha256(yield* store.getBytes(BUCKET, requestId))).toBe(sha256(bytes))
    }).pipe(Effect.provide(ObjectStore.layer), Effect.scoped)
  )
})
