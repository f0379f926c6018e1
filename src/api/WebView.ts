/**
 * The web view mount of the API role: the built page (web/dist, `npm run build:web`) at `/`. A GET of a file under
 * the folder answers that file with its content type; any other GET outside `/api/` answers index.html, so the
 * page's own routes load it. Paths are resolved inside the folder and nothing outside it is ever read (`..`,
 * encoded or not, and NUL bytes are refused). Unknown `/api/` paths and other methods get a JSON 404. Without a
 * build, `/` answers a short page saying how to make one.
 */
import { stat } from "node:fs/promises"
import { isAbsolute, relative, resolve, sep } from "node:path"
import { fileURLToPath } from "node:url"
import { HttpApiBuilder, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Layer, Option } from "effect"
import { ApiSettings } from "../services/Settings.js"

/** web/dist of this checkout (src/api → ../../web/dist; compiled by `npm run build`, dist/src/api → ../../../). */
export const defaultWebDist = fileURLToPath(
  new URL(import.meta.url.includes("/dist/src/api/") ? "../../../web/dist" : "../../web/dist", import.meta.url)
)

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ros-ocp</title></head>
<body><h1>ros-ocp</h1><p>The web view is not built. Run <code>npm run build:web</code> (it writes
<code>web/dist</code>), then reload. The REST API answers under <code>/api/cost-management/v1/recommendations/openshift</code>
and <code>/api/ros/v1</code>; its description is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>
`

const jsonNotFound = (path: string) =>
  HttpServerResponse.unsafeJson({ status: "error", message: `Not found: ${path}` }, { status: 404 })

const isFile = (path: string) =>
  Effect.promise(() =>
    stat(path).then(
      (s) => s.isFile(),
      () => false
    )
  )

/** The file `urlPath` names inside `root`, or none when it would leave the folder or cannot be decoded. */
export const resolveInside = (root: string, urlPath: string): Option.Option<string> => {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return Option.none()
  }
  if (decoded.includes("\0")) return Option.none()
  const target = resolve(root, `.${decoded.startsWith("/") ? decoded : `/${decoded}`}`)
  const inside = relative(root, target)
  return inside === "" || (!inside.startsWith(`..${sep}`) && inside !== ".." && !isAbsolute(inside))
    ? Option.some(target)
    : Option.none()
}

const serve = (root: string) =>
  Effect.gen(function* () {
    const request = yield* HttpServerRequest.HttpServerRequest
    const path = new URL(request.url, "http://ros-ocp").pathname
    if ((request.method !== "GET" && request.method !== "HEAD") || path === "/api" || path.startsWith("/api/")) {
      return jsonNotFound(path)
    }
    const index = resolve(root, "index.html")
    if (!(yield* isFile(index))) {
      return path === "/" || path === "/index.html"
        ? HttpServerResponse.text(NOT_BUILT, { contentType: "text/html; charset=utf-8" })
        : jsonNotFound(path)
    }
    const target = resolveInside(root, path)
    if (Option.isNone(target)) return jsonNotFound(path)
    const file = target.value !== root && (yield* isFile(target.value)) ? target.value : index
    return yield* HttpServerResponse.file(file, {
      headers: { "cache-control": file === index ? "no-cache" : "public, max-age=3600" }
    }).pipe(Effect.orElse(() => Effect.succeed(jsonNotFound(path))))
  })

/** Adds the catch-all route to the API's router: it answers only what no API route matched. */
export const WebViewLive = Layer.unwrapEffect(
  Effect.map(ApiSettings, (settings) => {
    const root = resolve(Option.getOrElse(settings.webDistDir, () => defaultWebDist))
    return HttpApiBuilder.Router.use((router) => router.all("*", serve(root)))
  })
)
