/**
 * The ingress HTTP surface (ingress-koku-sources.md A.1–A.2), under `/api/ingress/v1` and upstream's second prefix
 * `/r/insights/platform/ingress/v1`: POST /upload, GET /version, GET /track[/{request_id}]; plus `/` (`lubdub`, the
 * probes' answer), /health and /metrics at the root. A plain HttpRouter rather than HttpApi, because upstream's wire
 * contract (its check order, statuses and texts, a streamed multipart body) is the specification here. Every
 * response carries the request id in `x-rh-insights-request-id`.
 *
 * The upload runs upstream's checks in upstream's order (A.2): identity (400), test request (200), deny list
 * (403), then the body: a declared length no upload could have is refused before a byte is read (413), and the
 * multipart parts are handed, as they arrive, to IngressUploads.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse, Multipart } from "@effect/platform"
import { Effect, Either, Metric, Option } from "effect"
import { decodeIdentityHeader, type Identity } from "../../schema/identity/Identity.js"
import type { IngressVersion } from "../../schema/ingress/IngressVersion.js"
import { uploadAccepted } from "../../schema/ingress/UploadAccepted.js"
import type { UploadTrackList } from "../../schema/ingress/UploadTrackList.js"
import { metricsResponse } from "../services/Metrics.js"
import { discardUnreadBody, requestText } from "../services/RequestBody.js"
import { IngressSettings } from "../services/Settings.js"
import { UploadStatusRepo } from "../uploads/UploadStatusRepo.js"
import {
  BodyTooLarge,
  FileMissing,
  failureResponse,
  type IngressFailure,
  InvalidQuery,
  jsonResponse,
  messageOf,
  TrackingUnavailable,
  UploadDenied,
  UploadNotFound
} from "./IngressFailure.js"
import { uploadResponses } from "./IngressMetrics.js"
import { IngressUploads } from "./IngressUploads.js"
import { clientRequestId, generateRequestId, INSIGHTS_REQUEST_ID_HEADER, resolveRequestId } from "./RequestId.js"
import { UploadAnnouncer } from "./UploadAnnouncer.js"
import { UploadIdRepo } from "./UploadIdRepo.js"
import { declaredLengthTooLarge, MAX_FIELD_BYTES, MAX_PARTS, maxBodySize } from "./UploadLimits.js"

/** The prefixes upstream mounts the same routes under. */
export const INGRESS_PREFIXES = ["/api/ingress/v1", "/r/insights/platform/ingress/v1"] as const

/** Upstream's liveness answer. */
const LUBDUB = "lubdub"

const TRACK_DEFAULT_LIMIT = 10
const TRACK_MAX_LIMIT = 100

// Upstream's test request: a JSON body of {"test": "test"}, whitespace-tolerant (A.2 step 2).
const TEST_JSON = /\{\s*"test"\s*:\s*"test"\s*\}/

const request = HttpServerRequest.HttpServerRequest

const lubdub = Effect.flatMap(request, (req) =>
  Effect.map(resolveRequestId(req.headers), (requestId) =>
    HttpServerResponse.text(LUBDUB, { headers: { [INSIGHTS_REQUEST_ID_HEADER]: requestId } })
  )
)

/** The identity of the request; upstream's middleware answers 400 for every problem (A.6). */
const identityOf = (req: HttpServerRequest.HttpServerRequest) => decodeIdentityHeader(req.headers["x-rh-identity"])

const mediaType = (req: HttpServerRequest.HttpServerRequest) =>
  (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? ""

/** A small body as text; a larger one is not a test request and not worth reading. */
const smallBody = requestText(MAX_FIELD_BYTES).pipe(Effect.orElseSucceed(() => ""))

const makeRoutes = Effect.gen(function* () {
  const settings = yield* IngressSettings
  const uploads = yield* IngressUploads
  const statuses = yield* UploadStatusRepo
  const ids = yield* UploadIdRepo
  const announcer = yield* UploadAnnouncer
  const bodyLimit = maxBodySize(settings)
  const denied: ReadonlySet<string> = new Set(settings.denyListedOrgIds)

  const answer = <R>(
    requestId: string,
    effect: Effect.Effect<HttpServerResponse.HttpServerResponse, IngressFailure, R>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, never, R> =>
    Effect.catchAll(effect, (failure) => {
      const response = failureResponse(failure, requestId)
      // A refusal is the client's business; a 5xx is ours.
      const log = response.status >= 500 ? Effect.logWarning : Effect.logInfo
      return log("ingress request failed", messageOf(failure)).pipe(
        Effect.annotateLogs({ requestId, reason: failure._tag, status: response.status }),
        Effect.as(response)
      )
    })

  /** Whether the non-multipart body is upstream's test request (query, urlencoded form or JSON). */
  const isTestRequest = (req: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function* () {
      if (new URL(req.url, "http://ingress").searchParams.get("test") === "test") return true
      switch (mediaType(req)) {
        case "application/json":
          return TEST_JSON.test(yield* smallBody)
        case "application/x-www-form-urlencoded":
          return new URLSearchParams(yield* smallBody).get("test") === "test"
        default:
          return false
      }
    })

  /** A client's id that an earlier upload already has gets a fresh one (see UploadIdRepo). */
  const unusedRequestId = (req: HttpServerRequest.HttpServerRequest, candidate: string) =>
    Effect.gen(function* () {
      if (clientRequestId(req.headers) !== candidate) return candidate
      const taken = yield* ids
        .isTaken(candidate)
        .pipe(Effect.mapError((e) => new TrackingUnavailable({ reason: e.message })))
      if (!taken) return candidate
      const fresh = yield* generateRequestId
      yield* Effect.logWarning("request id already used by another upload; using a new one").pipe(
        Effect.annotateLogs({ clientRequestId: candidate, requestId: fresh })
      )
      return fresh
    })

  const receive = (req: HttpServerRequest.HttpServerRequest, identity: Identity, requestId: string) =>
    answer(
      requestId,
      Effect.gen(function* () {
        const parts = req.multipartStream.pipe(
          Multipart.withLimitsStream({
            maxParts: Option.some(MAX_PARTS),
            maxFieldSize: MAX_FIELD_BYTES,
            maxTotalSize: Option.some(bodyLimit),
            // Only parts with a file name (or an octet-stream type) are streamed; a `file` part without a file
            // name is a form value, as in Go's multipart reader, and does not count as the file.
            fieldMimeTypes: []
          })
        )
        const outcome = yield* uploads.receive({ requestId, identity, parts })
        return jsonResponse(outcome.body, outcome._tag === "Test" ? 200 : 202, requestId)
      })
    )

  const upload = Effect.gen(function* () {
    const req = yield* request
    const candidate = yield* resolveRequestId(req.headers)
    const checked = yield* Effect.either(
      Effect.gen(function* () {
        const identity = yield* identityOf(req)
        const multipart = mediaType(req) === "multipart/form-data"
        if (!multipart && (yield* isTestRequest(req))) return { _tag: "Test" as const, identity }
        if (denied.has(identity.orgId)) return yield* new UploadDenied({ orgId: identity.orgId })
        const declared = declaredLengthTooLarge(settings, req.headers["content-length"])
        if (declared !== undefined) return yield* new BodyTooLarge({ limit: bodyLimit, size: declared })
        if (!multipart) return yield* new FileMissing({ reason: `the body is ${mediaType(req) || "untyped"}` })
        const requestId = yield* unusedRequestId(req, candidate)
        return { _tag: "Upload" as const, identity, requestId }
      })
    )
    const response = yield* Either.match(checked, {
      onLeft: (failure) => answer(candidate, Effect.fail(failure)),
      onRight: (ok) =>
        ok._tag === "Test"
          ? Effect.succeed(
              jsonResponse(
                uploadAccepted(candidate, ok.identity.accountNumber ?? "", ok.identity.orgId),
                200,
                candidate
              )
            )
          : receive(req, ok.identity, ok.requestId)
    })
    // Whatever was not read (a refusal, a test request answered before its last part) is dropped.
    yield* discardUnreadBody(req, bodyLimit)
    yield* Metric.increment(Metric.tagged(uploadResponses, "status", String(response.status)))
    return response
  }).pipe(Effect.withSpan("ingress.upload"))

  const version = Effect.gen(function* () {
    const req = yield* request
    const body: IngressVersion = { version: "", commit: settings.buildCommit }
    return jsonResponse(body, 200, yield* resolveRequestId(req.headers))
  })

  const trackOne = Effect.gen(function* () {
    const req = yield* request
    const requestId = yield* resolveRequestId(req.headers)
    return yield* answer(
      requestId,
      Effect.gen(function* () {
        const identity = yield* identityOf(req)
        const params = yield* HttpRouter.params
        const tracked = params.request_id ?? ""
        const found = yield* statuses
          .track(tracked, identity.orgId)
          .pipe(Effect.mapError((e) => new TrackingUnavailable({ reason: e.message })))
        return Option.match(found, {
          onNone: () => failureResponse(new UploadNotFound({ requestId: tracked }), requestId),
          onSome: (track) => jsonResponse(track, 200, requestId)
        })
      })
    )
  })

  const trackList = Effect.gen(function* () {
    const req = yield* request
    const requestId = yield* resolveRequestId(req.headers)
    return yield* answer(
      requestId,
      Effect.gen(function* () {
        const identity = yield* identityOf(req)
        const raw = new URL(req.url, "http://ingress").searchParams.get("limit")
        const limit = raw === null ? TRACK_DEFAULT_LIMIT : /^\d+$/.test(raw) ? Number(raw) : Number.NaN
        if (!(limit >= 1 && limit <= TRACK_MAX_LIMIT)) {
          return yield* new InvalidQuery({ parameter: "limit", reason: `must be an integer in 1..${TRACK_MAX_LIMIT}` })
        }
        const data = yield* statuses
          .recent(identity.orgId, limit)
          .pipe(Effect.mapError((e) => new TrackingUnavailable({ reason: e.message })))
        const body: UploadTrackList = { meta: { count: data.length, limit }, data }
        return jsonResponse(body, 200, requestId)
      })
    )
  })

  const health = Effect.gen(function* () {
    const req = yield* request
    const kafka = (yield* announcer.connected) ? "connected" : "connecting"
    return jsonResponse({ status: "ok", kafka }, 200, yield* resolveRequestId(req.headers))
  })

  const prefixed = INGRESS_PREFIXES.reduce(
    (router, prefix) =>
      router.pipe(
        HttpRouter.get(`${prefix}/`, lubdub),
        HttpRouter.post(`${prefix}/upload`, upload),
        HttpRouter.get(`${prefix}/version`, version),
        HttpRouter.get(`${prefix}/track`, trackList),
        HttpRouter.get(`${prefix}/track/:request_id`, trackOne)
      ),
    HttpRouter.empty
  )

  return prefixed.pipe(
    HttpRouter.get("/", lubdub),
    HttpRouter.get("/health", health),
    HttpRouter.get("/metrics", metricsResponse)
  )
})

/** The router, built once from the services it needs. */
export const IngressRoutes = makeRoutes
