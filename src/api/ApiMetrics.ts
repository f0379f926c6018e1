/**
 * Request metrics of the API role, named as upstream's (ros-ocp-backend.md §6): `rosocp_http_4xx_total` and
 * `rosocp_http_5xx_total` by route and code, plus every request's count and duration by route. The `url` label is
 * the route's template (`…/container/{id}`), never the raw path, so ids and stray paths cannot grow the series.
 */
import { HttpMiddleware, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Clock, Effect, Exit, Metric, MetricBoundaries } from "effect"
import { OPENSHIFT_PREFIX, ROS_PREFIX } from "./RosApi.js"

const ROUTES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^\/status$/, "/status"],
  [/^\/metrics$/, "/metrics"],
  [/^\/openapi\.json$/, "/openapi.json"],
  [new RegExp(`^${OPENSHIFT_PREFIX}/?$`), OPENSHIFT_PREFIX],
  [new RegExp(`^${OPENSHIFT_PREFIX}/openapi\\.json$`), `${OPENSHIFT_PREFIX}/openapi.json`],
  [new RegExp(`^${OPENSHIFT_PREFIX}/(container|namespace)/?$`), `${OPENSHIFT_PREFIX}/$1`],
  [new RegExp(`^${OPENSHIFT_PREFIX}/(container|namespace)/[^/]+$`), `${OPENSHIFT_PREFIX}/$1/{id}`],
  [new RegExp(`^${OPENSHIFT_PREFIX}/[^/]+$`), `${OPENSHIFT_PREFIX}/{id}`],
  [new RegExp(`^${ROS_PREFIX}/(workloads|recommendations)/?$`), `${ROS_PREFIX}/$1`],
  [new RegExp(`^${ROS_PREFIX}/recommendations/[^/]+$`), `${ROS_PREFIX}/recommendations/{id}`]
]

/** The route template of `path`: API routes by name, `/api/…` strays as one series, the web view as another. */
export const routeLabel = (path: string): string => {
  for (const [pattern, label] of ROUTES) if (pattern.test(path)) return path.replace(pattern, label)
  return path === "/api" || path.startsWith("/api/") ? "/api/{unknown}" : "/{web}"
}

const requests = Metric.counter("rosocp_http_requests_total", { description: "API requests answered" })
const errors4xx = Metric.counter("rosocp_http_4xx_total", { description: "API requests answered 4xx" })
const errors5xx = Metric.counter("rosocp_http_5xx_total", { description: "API requests answered 5xx" })
const duration = Metric.histogram(
  "rosocp_http_request_duration_seconds",
  MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]),
  "Time to the API's response headers"
)

const record = (url: string, status: number, seconds: number) =>
  Effect.all([
    Metric.update(requests.pipe(Metric.tagged("url", url), Metric.tagged("http_code", String(status))), 1),
    Metric.update(duration.pipe(Metric.tagged("url", url)), seconds),
    status >= 500
      ? Metric.update(errors5xx.pipe(Metric.tagged("url", url), Metric.tagged("http_code", String(status))), 1)
      : status >= 400
        ? Metric.update(errors4xx.pipe(Metric.tagged("url", url), Metric.tagged("http_code", String(status))), 1)
        : Effect.void
  ])

export const apiMetrics = HttpMiddleware.make((app) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const url = routeLabel(new URL(request.url, "http://ros-ocp").pathname)
    const started = yield* Clock.currentTimeNanos
    return yield* Effect.onExit(app, (exit) =>
      Effect.flatMap(Clock.currentTimeNanos, (ended) =>
        record(
          url,
          Exit.match(exit, {
            onFailure: () => 500,
            onSuccess: (response: HttpServerResponse.HttpServerResponse) => response.status
          }),
          Number(ended - started) / 1e9
        )
      )
    )
  })
)
