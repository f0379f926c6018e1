/**
 * The ingress role over HTTP against the real servers: an upload stored byte for byte, announced on
 * platform.upload.announce in upstream's exact JSON, and tracked; the seed's own curl upload; every refusal with
 * upstream's status and text; the track endpoints scoped by org.
 */
import { execFile } from "node:child_process"
import { promisify } from "node:util"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Encoding, Layer } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { GO_ZERO_TIME } from "../../../schema/ingress/AnnounceMessage.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import {
  type AnnounceRecord,
  announceReader,
  call,
  HCCM_TYPE,
  SAMPLE_TARBALL,
  sampleBytes,
  sha256,
  startIngress,
  upload
} from "../../support/ingressHarness.js"
import { postChunked } from "../../support/postChunked.js"

const BUCKET = "insights-upload-perma"
const DENIED_ORG = "denied-org"

class Suite extends Context.Tag("test/IngressSuite")<
  Suite,
  { readonly url: string; readonly forRequest: (requestId: string) => Effect.Effect<AnnounceRecord> }
>() {}

const SuiteLive = Layer.scoped(
  Suite,
  Effect.gen(function* () {
    const ingress = yield* startIngress({ INGRESS_DENY_LISTED_ORGIDS: `other-denied ${DENIED_ORG}` })
    const reader = yield* announceReader
    return { url: ingress.url, forRequest: reader.forRequest }
  })
).pipe(Layer.provide(Kafka.layer))

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

const base64Json = (value: unknown) => Encoding.encodeBase64(JSON.stringify(value))

/** Upstream's field order of the announce message (A.9). */
const ANNOUNCE_FIELDS = [
  "account",
  "category",
  "content_type",
  "metadata",
  "request_id",
  "principal",
  "org_id",
  "service",
  "size",
  "url",
  "b64_identity",
  "timestamp"
]

const GO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/

const trackOf = (url: string, requestId: string, identity: string) =>
  call(url, "GET", `/api/ingress/v1/track/${requestId}`, { identity })

describe("ingress role on the real servers", () => {
  layer(Layer.mergeAll(SuiteLive, ObjectStore.layer), { excludeTestServices: true, timeout: 120_000 })((it) => {
    it.effect("stores the sample byte for byte, announces it in upstream's JSON and tracks every stage", () =>
      Effect.gen(function* () {
        const { url, forRequest } = yield* Suite
        const store = yield* ObjectStore
        const orgId = unique("org")
        const identity = makeIdentityHeader({ orgId, accountNumber: "acct-1" })
        const bytes = yield* sampleBytes
        const before = Date.now()
        const answer = yield* upload(url, {
          identity,
          file: { bytes, type: HCCM_TYPE, filename: "/tmp/cost-mgmt/20260812T000324-cost-mgmt.tar.gz" }
        })
        expect(answer.status).toBe(202)
        expect(answer.headers.get("content-type")).toBe("application/json")
        const requestId = answer.headers.get("x-rh-insights-request-id") ?? ""
        // No request id was sent: a UUID as 3scale writes them, 32 hex digits.
        expect(requestId).toMatch(/^[0-9a-f]{32}$/)
        expect(answer.text).toBe(
          JSON.stringify({ request_id: requestId, upload: { account_number: "acct-1", org_id: orgId } })
        )

        // The object: key = request id, the bytes as uploaded, upstream's content type and user metadata.
        expect(sha256(yield* store.getBytes(BUCKET, requestId))).toBe(sha256(bytes))
        const info = yield* store.head(BUCKET, requestId)
        expect(info.contentType).toBe("application/gzip")
        expect(info.metadata).toEqual({ requestid: requestId, account: "acct-1", org: orgId })

        // The announce message: every field, in upstream's order, the `service` header, no key.
        const message = yield* forRequest(requestId)
        expect(message.headers).toEqual({ service: "hccm" })
        expect(message.key).toBeNull()
        expect(Object.keys(message.body)).toEqual(ANNOUNCE_FIELDS)
        const { url: objectUrl, timestamp, ...rest } = message.body
        expect(rest).toEqual({
          account: "acct-1",
          category: "tar",
          content_type: HCCM_TYPE,
          metadata: { reporter: "", stale_timestamp: GO_ZERO_TIME },
          request_id: requestId,
          principal: orgId,
          org_id: orgId,
          service: "hccm",
          size: bytes.length,
          b64_identity: identity
        })
        expect(message.value).toContain(`"metadata":{"reporter":"","stale_timestamp":"0001-01-01T00:00:00Z"}`)
        expect(timestamp).toMatch(GO_TIMESTAMP)
        const at = Date.parse(String(timestamp))
        expect(at).toBeGreaterThanOrEqual(before - 1000)
        expect(at).toBeLessThanOrEqual(Date.now() + 1000)
        // The URL is presigned: a plain GET, no credentials, gets the same bytes.
        const downloaded = yield* Effect.promise(() =>
          fetch(String(objectUrl)).then(async (r) => ({
            status: r.status,
            bytes: new Uint8Array(await r.arrayBuffer())
          }))
        )
        expect(downloaded.status).toBe(200)
        expect(sha256(downloaded.bytes)).toBe(sha256(bytes))
        expect(String(objectUrl)).toContain("X-Amz-Expires=86400")

        const track = yield* trackOf(url, requestId, identity)
        expect(track.status).toBe(200)
        const body = track.body as {
          status: string
          stage: string
          org_id: string
          account: string
          error: unknown
          events: ReadonlyArray<{ stage: string; outcome: string; detail: Record<string, unknown> }>
        }
        expect([body.status, body.stage, body.org_id, body.account, body.error]).toEqual([
          "in_progress",
          "announced",
          orgId,
          "acct-1",
          null
        ])
        expect(body.events.map((e) => [e.stage, e.outcome])).toEqual([
          ["received", "done"],
          ["stored", "done"],
          ["announced", "done"]
        ])
        expect(body.events[1]?.detail).toMatchObject({ bucket: BUCKET, key: requestId, size: bytes.length })
      })
    )

    it.effect(
      "accepts the seed's manual curl upload verbatim: `upload` part, org only under internal, x-rh-request-id",
      () =>
        Effect.gen(function* () {
          const { url, forRequest } = yield* Suite
          // The seed's identity, with the `type` the brief says it lacks taken out as well.
          const identity = base64Json({ identity: { account_number: "12345", internal: { org_id: "12345" } } })
          const requestId = unique("test-request")
          const { stdout } = yield* Effect.promise(() =>
            promisify(execFile)("curl", [
              "-s",
              "-w",
              "\n%{http_code}",
              "-F",
              `upload=@${SAMPLE_TARBALL};type=${HCCM_TYPE}`,
              "-H",
              `x-rh-identity: ${identity}`,
              "-H",
              `x-rh-request-id: ${requestId}`,
              `${url}/api/ingress/v1/upload`
            ])
          )
          const [body, status] = stdout.split("\n")
          expect(status).toBe("202")
          expect(JSON.parse(body ?? "")).toEqual({
            request_id: requestId,
            upload: { account_number: "12345", org_id: "12345" }
          })
          const message = yield* forRequest(requestId)
          expect([
            message.body.org_id,
            message.body.principal,
            message.body.account,
            message.body.b64_identity
          ]).toEqual(["12345", "12345", "12345", identity])
          expect(message.body.size).toBe((yield* sampleBytes).length)
          const track = yield* trackOf(url, requestId, identity)
          expect((track.body as { stage: string }).stage).toBe("announced")
        })
    )

    it.effect("prefers x-rh-insights-request-id, and gives a reused or unusable id a fresh one", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const identity = makeIdentityHeader({ orgId: unique("org") })
        const file = { bytes: new TextEncoder().encode("not really a tarball"), type: HCCM_TYPE }
        const chosen = unique("chosen")
        const first = yield* upload(url, {
          identity,
          file,
          headers: { "x-rh-insights-request-id": chosen, "x-rh-request-id": "ignored-when-the-other-is-there" }
        })
        expect([first.status, first.headers.get("x-rh-insights-request-id")]).toEqual([202, chosen])
        const again = yield* upload(url, { identity, file, headers: { "x-rh-insights-request-id": chosen } })
        expect(again.status).toBe(202)
        const fresh = again.headers.get("x-rh-insights-request-id")
        expect(fresh).toMatch(/^[0-9a-f]{32}$/)
        expect((again.body as { request_id: string }).request_id).toBe(fresh)
        const slashed = yield* upload(url, {
          identity,
          file,
          headers: { "x-rh-insights-request-id": "host/AbCd-000001" }
        })
        expect(slashed.headers.get("x-rh-insights-request-id")).toMatch(/^[0-9a-f]{32}$/)
      })
    )

    it.effect("announces a metadata part as upstream does: reporter ingress, stale in 30 days, queue_key as key", () =>
      Effect.gen(function* () {
        const { url, forRequest } = yield* Suite
        const identity = makeIdentityHeader({ orgId: unique("org") })
        const metadata = {
          display_name: "cluster-a",
          ip_addresses: [],
          custom_metadata: { a: "b" },
          queue_key: "cluster-a-key",
          reporter: "client",
          unknown: 1
        }
        const answer = yield* upload(url, {
          identity,
          fields: { metadata: JSON.stringify(metadata) },
          file: { bytes: new Uint8Array([1, 2, 3]), type: "application/vnd.redhat.hccm.filename+tgz; charset=binary" }
        })
        expect(answer.status).toBe(202)
        const message = yield* forRequest((answer.body as { request_id: string }).request_id)
        expect(message.key).toBe("cluster-a-key")
        expect(message.body.category).toBe("filename")
        // The part's Content-Type exactly as sent, parameters included.
        expect(message.body.content_type).toBe("application/vnd.redhat.hccm.filename+tgz; charset=binary")
        const sent = message.body.metadata as Record<string, unknown>
        expect(Object.keys(sent)).toEqual([
          "display_name",
          "custom_metadata",
          "reporter",
          "stale_timestamp",
          "queue_key"
        ])
        expect(sent.reporter).toBe("ingress")
        const days = (Date.parse(String(sent.stale_timestamp)) - Date.now()) / 86_400_000
        expect(days).toBeGreaterThan(29.9)
        expect(days).toBeLessThan(30.1)
      })
    )

    it.effect("answers a test request 200 with the usual body and stores nothing", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const orgId = unique("org")
        const identity = makeIdentityHeader({ orgId })
        const form = yield* upload(url, { identity, fields: { test: "test" } })
        expect(form.status).toBe(200)
        const requestId = form.headers.get("x-rh-insights-request-id") ?? ""
        expect(form.body).toEqual({ request_id: requestId, upload: { org_id: orgId } })
        expect((yield* trackOf(url, requestId, identity)).status).toBe(404)
        const json = yield* call(url, "POST", "/api/ingress/v1/upload", {
          identity,
          headers: { "content-type": "application/json" },
          body: '{ "test" : "test" }'
        })
        expect(json.status).toBe(200)
        // A JSON body past what a test request needs is not one: answered, also when sent without a length.
        const large = JSON.stringify({ test: "test", padding: "x".repeat(100 * 1024) })
        for (const sent of [
          call(url, "POST", "/api/ingress/v1/upload", {
            identity,
            headers: { "content-type": "application/json" },
            body: large
          }),
          Effect.map(postChunked(`${url}/api/ingress/v1/upload`, large, 8, { "x-rh-identity": identity }), (a) => ({
            status: a.status,
            text: a.text
          }))
        ]) {
          const refused = yield* sent
          expect(refused.status).toBe(400)
          expect(refused.text).toContain("File or upload field not found")
        }
      })
    )

    it.effect("refuses a missing, garbled, non-JSON or org-less identity with 400 and upstream's text", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const file = { bytes: new Uint8Array([1]), type: HCCM_TYPE }
        const cases: ReadonlyArray<readonly [string | undefined, string]> = [
          [undefined, "Bad Request: missing x-rh-identity header"],
          ["%%%not-base64%%%", "Bad Request: unable to b64 decode x-rh-identity header"],
          [Encoding.encodeBase64("this is not json"), "Bad Request: x-rh-identity header does not contain valid JSON"],
          [
            base64Json({ identity: { account_number: "1", type: "User" } }),
            "Bad Request: x-rh-identity header has an invalid or missing org_id"
          ]
        ]
        for (const [identity, message] of cases) {
          const answer = yield* upload(url, { ...(identity === undefined ? {} : { identity }), file })
          expect(answer.status).toBe(400)
          const requestId = answer.headers.get("x-rh-insights-request-id")
          expect(requestId).toMatch(/^[0-9a-f]{32}$/)
          const body = answer.body as { status: number; message: string; request_id: string }
          expect([body.status, body.request_id]).toEqual([400, requestId])
          expect(body.message.startsWith(message)).toBe(true)
        }
      })
    )

    it.effect("refuses a deny-listed org with 403", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const answer = yield* upload(url, {
          identity: makeIdentityHeader({ orgId: DENIED_ORG }),
          file: { bytes: new Uint8Array([1]), type: HCCM_TYPE }
        })
        expect(answer.status).toBe(403)
        expect((answer.body as { message: string }).message).toBe("Upload denied. Please contact Red Hat Support.")
      })
    )

    it.effect("refuses content types that name no accepted service with 415, and stores nothing", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const identity = makeIdentityHeader({ orgId: unique("org") })
        for (const type of [
          "application/gzip",
          "text/plain",
          "application/vnd.redhat.advisor.payload+tgz",
          // Upstream's match is case-sensitive.
          "application/vnd.redhat.HCCM.tar+tgz",
          undefined
        ]) {
          const requestId = unique("typed")
          const answer = yield* upload(url, {
            identity,
            headers: { "x-rh-insights-request-id": requestId },
            file: { bytes: new Uint8Array([1, 2]), ...(type === undefined ? {} : { type }) }
          })
          expect([type, answer.status]).toEqual([type, 415])
          expect((answer.body as { status: number }).status).toBe(415)
          expect((yield* trackOf(url, requestId, identity)).status).toBe(404)
        }
      })
    )

    it.effect("answers 400 `File or upload field not found` without a file part", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const identity = makeIdentityHeader({ orgId: unique("org") })
        const expectMissing = (answer: { status: number; body: unknown }) => {
          expect(answer.status).toBe(400)
          expect((answer.body as { message: string }).message).toBe("File or upload field not found")
        }
        expectMissing(yield* upload(url, { identity, fields: { metadata: "{}" } }))
        // A part under another name, and a `file` part without a file name (a form value, as in Go).
        expectMissing(
          yield* upload(url, { identity, file: { name: "payload", bytes: new Uint8Array([1]), type: HCCM_TYPE } })
        )
        expectMissing(
          yield* upload(url, { identity, file: { bytes: new Uint8Array([1]), type: HCCM_TYPE, filename: null } })
        )
        // Not multipart at all (the on-prem chart's test expects 400).
        expectMissing(
          yield* call(url, "POST", "/api/ingress/v1/upload", {
            identity,
            headers: { "content-type": "application/octet-stream" },
            body: "raw bytes"
          })
        )
      })
    )

    it.effect("tracks uploads per org: another org's or an unknown id is 404, the list is newest first", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const orgId = unique("org")
        const identity = makeIdentityHeader({ orgId })
        const file = { bytes: new Uint8Array([9]), type: HCCM_TYPE }
        const ids: Array<string> = []
        for (let i = 0; i < 3; i++) {
          const answer = yield* upload(url, { identity, file })
          ids.push((answer.body as { request_id: string }).request_id)
        }
        const other = makeIdentityHeader({ orgId: unique("other-org") })
        const foreign = yield* trackOf(url, ids[0] ?? "", other)
        expect(foreign.status).toBe(404)
        expect(foreign.body).toMatchObject({ status: 404 })
        expect((yield* trackOf(url, "no-such-upload", identity)).status).toBe(404)
        expect((yield* call(url, "GET", `/api/ingress/v1/track/${ids[0]}`)).status).toBe(400)

        const listed = yield* call(url, "GET", "/api/ingress/v1/track?limit=2", { identity })
        expect(listed.status).toBe(200)
        const body = listed.body as {
          meta: { count: number; limit: number }
          data: ReadonlyArray<{ request_id: string }>
        }
        expect(body.meta).toEqual({ count: 2, limit: 2 })
        expect(body.data.map((t) => t.request_id)).toEqual([ids[2], ids[1]])
        expect((yield* call(url, "GET", "/api/ingress/v1/track?limit=0", { identity })).status).toBe(400)
        const empty = yield* call(url, "GET", "/api/ingress/v1/track", { identity: other })
        expect(empty.body).toEqual({ meta: { count: 0, limit: 10 }, data: [] })
      })
    )

    it.effect("serves version, health, metrics and upstream's lubdub", () =>
      Effect.gen(function* () {
        const { url } = yield* Suite
        const version = yield* call(url, "GET", "/api/ingress/v1/version")
        expect([version.status, version.body]).toEqual([200, { version: "", commit: "notrunninginopenshift" }])
        expect(version.headers.get("x-rh-insights-request-id")).toMatch(/^[0-9a-f]{32}$/)
        const health = yield* call(url, "GET", "/health")
        expect([health.status, health.body]).toEqual([200, { status: "ok", kafka: "connected" }])
        const metrics = yield* call(url, "GET", "/metrics")
        expect(metrics.status).toBe(200)
        expect(metrics.text).toContain("ingress_upload_responses_total")
        expect(metrics.text).toContain("ingress_payload_size_bytes_bucket")
        for (const path of ["/", "/api/ingress/v1/", "/r/insights/platform/ingress/v1/"]) {
          expect((yield* call(url, "GET", path)).text).toBe("lubdub")
        }
      })
    )
  })
})
