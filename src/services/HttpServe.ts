/**
 * Serving a role's routes: one Node HTTP server on ROS_LISTEN_HOST and the role's port, with a JSON 404
 * for unknown paths and the address logged once it listens.
 */
import { createServer } from "node:http"
import { HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer } from "effect"
import { ListenSettings } from "./Settings.js"

type Listen = typeof ListenSettings extends import("effect").Config.Config<infer A> ? A : never

const notFound = (path: string) =>
  HttpServerResponse.text(JSON.stringify({ message: `Not found: ${path}`, httpcode: 404, status: "ERROR" }), {
    status: 404,
    contentType: "application/json"
  })

/** Serves `router` on the port `portOf` picks from the listen settings, under the name `role`. */
export const serveRouter = <E, R>(
  role: string,
  portOf: (listen: Listen) => number,
  router: HttpRouter.HttpRouter<E, R>
) =>
  Layer.unwrapEffect(
    Effect.map(ListenSettings, (listen) => {
      const app = router.pipe(
        HttpRouter.all(
          "*",
          Effect.map(HttpServerRequest.HttpServerRequest, (request) =>
            notFound(new URL(request.url, "http://x").pathname)
          )
        )
      )
      return HttpServer.serve(app).pipe(
        Layer.provide(NodeHttpServer.layer(createServer, { port: portOf(listen), host: listen.host })),
        Layer.tap(() => Effect.logInfo(`${role} listening on http://${listen.host}:${portOf(listen)}`))
      )
    })
  )
