/**
 * The web view's upload list reads ingress's track endpoint on the page's own origin: the API role forwards
 * `GET /api/ingress/v1/track` and `/api/ingress/v1/track/{request_id}` (query string and `x-rh-identity` included)
 * to INGRESS_URL and answers what ingress answers. Ingress checks the identity and scopes the uploads to its org;
 * nothing here reads data. Ingress not answering is a 502.
 */
import { HttpApiBuilder, HttpClient, HttpClientRequest, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Duration, Effect, Layer } from "effect"
import { HttpClientSettings, UploadClientSettings } from "../services/Settings.js"

export const TRACK_PATH = "/api/ingress/v1/track"

/** Request headers passed on to ingress; nothing else of the caller's request leaves this process. */
const FORWARDED_HEADERS = ["x-rh-identity", "x-rh-insights-request-id", "accept"] as const

export const TrackForwardLive = Layer.unwrapEffect(
  Effect.gen(function* () {
    const { ingressUrl } = yield* UploadClientSettings
    const { timeoutSeconds } = yield* HttpClientSettings
    const base = ingressUrl.replace(/\/+$/, "")
    const client = yield* HttpClient.HttpClient

    const forward = Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = new URL(request.url, "http://ros-ocp")
      const headers: Record<string, string> = {}
      for (const name of FORWARDED_HEADERS) {
        const value = request.headers[name]
        if (value !== undefined) headers[name] = value
      }
      return yield* client.execute(HttpClientRequest.get(`${base}${url.pathname}${url.search}`, { headers })).pipe(
        Effect.flatMap((answer) =>
          Effect.map(answer.text, (body) =>
            HttpServerResponse.text(body, {
              status: answer.status,
              contentType: answer.headers["content-type"] ?? "application/json"
            })
          )
        ),
        Effect.scoped,
        Effect.timeout(Duration.seconds(timeoutSeconds)),
        Effect.catchAll((error) =>
          Effect.logWarning("upload tracker (ingress) did not answer", String(error)).pipe(
            Effect.as(
              HttpServerResponse.unsafeJson(
                { status: "error", message: "the upload tracker (ingress) did not answer" },
                { status: 502 }
              )
            )
          )
        )
      )
    })

    return HttpApiBuilder.Router.use((router) =>
      Effect.zipRight(router.get(TRACK_PATH, forward), router.get(`${TRACK_PATH}/:request_id`, forward))
    )
  })
)
