/**
 * STAND-IN until the API role forwards the track endpoint itself (the change asked of the lead: src/api
 * TrackForward.ts): a pass-through in front of the API role that sends GET /api/ingress/v1/track* to ingress and
 * everything else, unchanged, to the API role, so the page sees one origin as it will in production.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from "node:http"
import { Effect } from "effect"
import { unusedPort } from "../../support/ports.js"

const TRACK = "/api/ingress/v1/track"

const pass = (req: IncomingMessage, res: ServerResponse, target: URL) => {
  const upstream = request(
    target,
    { method: req.method ?? "GET", headers: { ...req.headers, host: target.host } },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    }
  )
  upstream.on("error", (error) => {
    res.writeHead(502, { "content-type": "application/json" })
    res.end(JSON.stringify({ status: "error", message: error.message }))
  })
  req.pipe(upstream)
}

/** Serves on a free port for the life of the scope; answers its base URL. */
export const trackGateway = (options: { readonly apiUrl: string; readonly ingressUrl: string }) =>
  Effect.gen(function* () {
    const port = yield* unusedPort
    const server = createServer((req, res) => {
      const path = req.url ?? "/"
      const base = path.startsWith(TRACK) ? options.ingressUrl : options.apiUrl
      pass(req, res, new URL(path, base))
    })
    yield* Effect.acquireRelease(
      Effect.async<void>((resume) => {
        server.listen(port, "127.0.0.1", () => resume(Effect.void))
      }),
      () =>
        Effect.async<void>((resume) => {
          server.closeAllConnections()
          server.close(() => resume(Effect.void))
        })
    )
    return `http://127.0.0.1:${port}`
  })
