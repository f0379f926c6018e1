import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { HttpClientLive, serviceClient } from "../../src/services/Http.js"

/** A small peer on loopback with a healthy, a missing and a hung route. */
const peer = Effect.acquireRelease(
  Effect.async<Server>((resume) => {
    const server = createServer((req, res) => {
      if (req.url === "/api/ok") {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ accept: req.headers.accept ?? null }))
      } else if (req.url === "/api/slow") {
        // Never answers within the client's timeout.
        setTimeout(() => res.end("late"), 5_000).unref()
      } else {
        res.writeHead(404, { "content-type": "application/json" })
        res.end(JSON.stringify({ message: "not here" }))
      }
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`))

const Ok = Schema.Struct({ accept: Schema.NullOr(Schema.String) })

describe("Http.serviceClient", () => {
  it.scopedLive("prefixes the base URL, asks for JSON and decodes a 2xx body", () =>
    Effect.gen(function* () {
      const client = yield* serviceClient(yield* peer)
      const body = yield* client.get("/ok").pipe(Effect.flatMap(HttpClientResponse.schemaBodyJson(Ok)))
      expect(body.accept).toBe("application/json")
    }).pipe(Effect.provide(HttpClientLive))
  )

  it.scopedLive("turns a non-2xx answer into a ResponseError carrying the status", () =>
    Effect.gen(function* () {
      const client = yield* serviceClient(yield* peer)
      const error = yield* client.get("/missing").pipe(Effect.flip)
      expect(error._tag).toBe("ResponseError")
      expect(error._tag === "ResponseError" ? error.response.status : 0).toBe(404)
    }).pipe(Effect.provide(HttpClientLive))
  )

  it.scopedLive("gives up on a hung peer after the timeout with HttpTimeout", () =>
    Effect.gen(function* () {
      const client = yield* serviceClient(yield* peer, { timeout: "300 millis" })
      const error = yield* client.get("/slow").pipe(Effect.flip)
      expect(error._tag).toBe("HttpTimeout")
      expect(error._tag === "HttpTimeout" ? [error.method, error.millis] : []).toEqual(["GET", 300])
    }).pipe(Effect.provide(HttpClientLive))
  )

  it.scopedLive("reports a refused connection as a transport RequestError", () =>
    Effect.gen(function* () {
      // Port 1 on loopback has no listener.
      const client = yield* serviceClient("http://127.0.0.1:1")
      const error = yield* client.get("/x").pipe(Effect.flip)
      expect(error._tag).toBe("RequestError")
      expect(error._tag === "RequestError" ? error.reason : "").toBe("Transport")
    }).pipe(Effect.provide(HttpClientLive))
  )
})
