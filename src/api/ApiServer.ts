/**
 * The API role's HTTP server: the RosApi contract with its handlers and identity middleware, both OpenAPI
 * documents (upstream's path and /openapi.json), CORS for GET only (as upstream), request metrics, the forward of
 * ingress's track endpoint for the web view, and the web view behind every route the API does not claim, on ROS_LISTEN_HOST:API_PORT. The only file that knows about the port.
 */
import { createServer } from "node:http"
import { HttpApiBuilder } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { ListenSettings } from "../services/Settings.js"
import { apiMetrics } from "./ApiMetrics.js"
import { CallerAuthLive } from "./CallerAuthLive.js"
import { OperationsHttp } from "./OperationsHttp.js"
import { RecommendationsHttp } from "./RecommendationsHttp.js"
import { OPENAPI_PATH, RosApi } from "./RosApi.js"
import { RosHttp } from "./RosHttp.js"
import { TrackForwardLive } from "./TrackForward.js"
import { WebViewLive } from "./WebView.js"

const RosApiLive = HttpApiBuilder.api(RosApi).pipe(
  Layer.provide([RecommendationsHttp, RosHttp, OperationsHttp]),
  Layer.provide(CallerAuthLive)
)

export const ApiServer = Layer.unwrapEffect(
  Effect.map(ListenSettings, (listen) =>
    HttpApiBuilder.serve(apiMetrics).pipe(
      Layer.provide(WebViewLive),
      Layer.provide(TrackForwardLive),
      Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: OPENAPI_PATH })),
      Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/openapi.json" })),
      Layer.provide(HttpApiBuilder.middlewareCors({ allowedMethods: ["GET"] })),
      Layer.provide(RosApiLive),
      Layer.provide(NodeHttpServer.layer(createServer, { port: listen.apiPort, host: listen.host })),
      Layer.tap(() => Effect.logInfo(`api listening on http://${listen.host}:${listen.apiPort}`))
    )
  )
)
