/**
 * Serving a role's routes: one Node HTTP server on ROS_LISTEN_HOST and the role's port, with a JSON 404
 * for unknown paths and the address logged once it listens; and reading a request's body as text within a limit.
 */
import { createServer } from "node:http"
import { HttpRouter, HttpServer, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { NodeHttpServer, NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Layer, Schema } from "effect"
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

/** The body went past the limit while it was read (a declared length is the caller's to check first). */
export class RequestBodyTooLarge extends Schema.TaggedError<RequestBodyTooLarge>()("RequestBodyTooLarge", {
  maxBytes: Schema.Number
}) {}

/** The connection failed while the body was read. */
export class RequestBodyUnreadable extends Schema.TaggedError<RequestBodyUnreadable>()("RequestBodyUnreadable", {
  message: Schema.String
}) {}

/**
 * The request's body as UTF-8 text, failing once it passes `maxBytes`. The platform's `request.text` does not fit:
 * past its limit it destroys the socket, so a client that sent a large body without declaring its length (chunked)
 * got a hang-up instead of the answer. Past the limit this stops keeping the body and lets the rest flow away, so
 * the caller can answer; it should close the connection with that answer (`connection: close`), which also ends a
 * body that would never stop.
 */
export const requestText = (maxBytes: number) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.async<string, RequestBodyTooLarge | RequestBodyUnreadable>((resume) => {
      const message = NodeHttpServerRequest.toIncomingMessage(request)
      let text = ""
      let bytes = 0
      const detach = () => {
        message.off("data", onData)
        message.off("end", onEnd)
        message.off("error", onError)
      }
      function onData(chunk: string) {
        bytes += Buffer.byteLength(chunk)
        if (bytes <= maxBytes) {
          text += chunk
          return
        }
        detach()
        message.resume()
        resume(Effect.fail(new RequestBodyTooLarge({ maxBytes })))
      }
      function onEnd() {
        detach()
        resume(Effect.succeed(text))
      }
      function onError(error: Error) {
        detach()
        resume(Effect.fail(new RequestBodyUnreadable({ message: error.message })))
      }
      message.setEncoding("utf8")
      message.on("data", onData)
      message.once("end", onEnd)
      message.once("error", onError)
      return Effect.sync(detach)
    })
  )
