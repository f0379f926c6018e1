/**
 * What the API role serves besides data: /status, /metrics, the generated OpenAPI document at upstream's path and
 * at /openapi.json, CORS for GET, and the web view at `/` (its files with their content types, index.html for the
 * page's own routes, nothing outside its folder, a note when it is not built, JSON 404s for unknown API paths).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, request } from "node:http"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { unusedPort } from "../../support/ports.js"
import { ApiUnderTest, apiUnderTest, get } from "./apiHarness.js"
import { ORG_A, orgs } from "./fixture.js"

/** A web/dist stand-in beside a file that must never be served. */
const webDist = Effect.acquireRelease(
  Effect.sync(() => {
    const root = mkdtempSync(join(tmpdir(), "ros-web-"))
    const dist = join(root, "dist")
    mkdirSync(join(dist, "assets"), { recursive: true })
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>ros-ocp view</title>")
    writeFileSync(join(dist, "assets", "app-1234.js"), "console.log('view')")
    writeFileSync(join(dist, "assets", "app-1234.css"), "body{}")
    writeFileSync(join(root, "secret.txt"), "do not serve")
    return { root, dist }
  }),
  ({ root }) => Effect.sync(() => rmSync(root, { recursive: true, force: true }))
)

/** GET with the path sent exactly as written (fetch would normalise `..` away). */
const rawGet = (path: string) =>
  Effect.flatMap(ApiUnderTest, (api) =>
    Effect.async<{ status: number; body: string }>((resume) => {
      const url = new URL(api.url)
      const req = request({ host: url.hostname, port: url.port, path, method: "GET" }, (response) => {
        let body = ""
        response.setEncoding("utf8")
        response.on("data", (chunk: string) => {
          body += chunk
        })
        response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, body })))
      })
      req.on("error", (error) => resume(Effect.die(error)))
      req.end()
    })
  )

/** An ingress stand-in whose track endpoint echoes what it was asked. */
const fakeIngress = Effect.acquireRelease(
  Effect.gen(function* () {
    const port = yield* unusedPort
    const server = createServer((req, res) => {
      res.writeHead(req.url?.includes("missing") === true ? 404 : 200, { "content-type": "application/json" })
      res.end(
        JSON.stringify({
          url: req.url,
          identity: req.headers["x-rh-identity"] ?? null,
          cookie: req.headers.cookie ?? null
        })
      )
    })
    yield* Effect.async<void>((resume) => {
      server.listen(port, "127.0.0.1", () => resume(Effect.void))
    })
    return { port, server }
  }),
  ({ server }) =>
    Effect.async<void>((resume) => {
      server.closeAllConnections()
      server.close(() => resume(Effect.void))
    })
)

const withWebView = Layer.unwrapScoped(
  Effect.gen(function* () {
    const { dist } = yield* webDist
    const ingress = yield* fakeIngress
    return apiUnderTest("api_surface", orgs, {
      API_WEB_DIST_DIR: dist,
      INGRESS_URL: `http://127.0.0.1:${ingress.port}`
    })
  })
)

describe("server surface", () => {
  layer(withWebView, { excludeTestServices: true })((it) => {
    it.effect("status, metrics and the OpenAPI document, open to anyone", () =>
      Effect.gen(function* () {
        const status = yield* get("/status", { org: null })
        expect(status.body).toEqual({ "api-server": "working" })
        yield* get("/api/cost-management/v1/recommendations/openshift", { org: ORG_A })
        yield* get("/api/cost-management/v1/recommendations/openshift?limit=x", { org: ORG_A })
        const metrics = yield* get("/metrics", { org: null })
        expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/)
        expect(metrics.text).toMatch(
          /rosocp_http_requests_total\{url="\/api\/cost-management\/v1\/recommendations\/openshift",http_code="200"\} \d+/
        )
        expect(metrics.text).toMatch(
          /rosocp_http_4xx_total\{url="\/api\/cost-management\/v1\/recommendations\/openshift",http_code="400"\} \d+/
        )
        expect(metrics.text).toContain("rosocp_http_request_duration_seconds_bucket")
        for (const path of ["/openapi.json", "/api/cost-management/v1/recommendations/openshift/openapi.json"]) {
          const doc = yield* get(path, { org: null })
          expect(doc.status).toBe(200)
          const spec = doc.body as {
            openapi: string
            paths: Record<
              string,
              {
                get: {
                  parameters: Array<{ name: string }>
                  responses: Record<string, { content?: Record<string, unknown> }>
                }
              }
            >
            components: { securitySchemes: Record<string, { type: string; name: string; in: string }> }
          }
          expect(spec.openapi).toBe("3.1.0")
          expect(Object.keys(spec.paths)).toEqual(
            expect.arrayContaining([
              "/status",
              "/api/cost-management/v1/recommendations/openshift",
              "/api/cost-management/v1/recommendations/openshift/{id}",
              "/api/cost-management/v1/recommendations/openshift/container",
              "/api/cost-management/v1/recommendations/openshift/container/{id}",
              "/api/cost-management/v1/recommendations/openshift/namespace",
              "/api/cost-management/v1/recommendations/openshift/namespace/{id}",
              "/api/ros/v1/workloads",
              "/api/ros/v1/recommendations"
            ])
          )
          const list = spec.paths["/api/cost-management/v1/recommendations/openshift/container"]?.get
          expect(list?.parameters.map((p) => p.name)).toEqual(
            expect.arrayContaining([
              "cluster",
              "filter[exact:cluster]",
              "exclude[container]",
              "order_by",
              "cpu-unit",
              "true-units"
            ])
          )
          expect(Object.keys(list?.responses["200"]?.content ?? {})).toEqual(["application/json", "text/csv"])
          expect(Object.keys(list?.responses ?? {})).toEqual(
            expect.arrayContaining(["400", "401", "403", "404", "503"])
          )
          expect(spec.components.securitySchemes.identity).toEqual(
            expect.objectContaining({ type: "apiKey", name: "x-rh-identity", in: "header" })
          )
        }
      })
    )

    it.effect("forwards ingress's track endpoint, query and identity included, for the page's upload list", () =>
      Effect.gen(function* () {
        const list = yield* get("/api/ingress/v1/track?limit=20", { org: ORG_A, headers: { cookie: "session=1" } })
        expect(list.status).toBe(200)
        expect(list.body).toEqual({
          url: "/api/ingress/v1/track?limit=20",
          identity: makeIdentityHeader({ orgId: ORG_A }),
          cookie: null
        })
        const one = yield* get("/api/ingress/v1/track/missing-request", { org: ORG_A })
        expect(one.status).toBe(404)
        expect(one.body).toMatchObject({ url: "/api/ingress/v1/track/missing-request" })
      })
    )

    it.effect("CORS allows GET from any origin", () =>
      Effect.gen(function* () {
        const answer = yield* get("/status", { org: null, headers: { origin: "https://console.example" } })
        expect(answer.headers.get("access-control-allow-origin")).toBe("*")
      })
    )

    it.effect("serves the web view: files with their types, index.html for other pages, never outside its folder", () =>
      Effect.gen(function* () {
        const index = yield* get("/", { org: null })
        expect(index.status).toBe(200)
        expect(index.headers.get("content-type")).toMatch(/^text\/html/)
        expect(index.text).toContain("ros-ocp view")
        const script = yield* get("/assets/app-1234.js", { org: null })
        expect(script.headers.get("content-type")).toMatch(/javascript/)
        expect(script.text).toBe("console.log('view')")
        expect((yield* get("/assets/app-1234.css", { org: null })).headers.get("content-type")).toMatch(/^text\/css/)
        const page = yield* get("/recommendations/some/page", { org: null })
        expect(page.text).toContain("ros-ocp view")
        for (const path of [
          "/../secret.txt",
          "/assets/../../secret.txt",
          "/%2e%2e/secret.txt",
          "/assets/..%2f..%2fsecret.txt"
        ]) {
          const answer = yield* rawGet(path)
          expect(answer.body, path).not.toContain("do not serve")
        }
        const unknownApi = yield* get("/api/ros/v2/nothing", { org: ORG_A })
        expect(unknownApi.status).toBe(404)
        expect(unknownApi.body).toMatchObject({ status: "error" })
      })
    )
  })

  const unbuilt = Layer.unwrapEffect(
    Effect.map(unusedPort, (port) =>
      apiUnderTest("api_unbuilt", [], {
        API_WEB_DIST_DIR: join(tmpdir(), "ros-ocp-no-such-dist"),
        INGRESS_URL: `http://127.0.0.1:${port}`
      })
    )
  )
  layer(unbuilt, { excludeTestServices: true })((it) => {
    it.effect("without a build, / says how to make one; an unreachable ingress is a 502", () =>
      Effect.gen(function* () {
        const answer = yield* get("/", { org: null })
        expect(answer.status).toBe(200)
        expect(answer.text).toContain("npm run build:web")
        expect((yield* get("/some/page", { org: null })).status).toBe(404)
        // Ingress not answering: the forwarded track endpoint says so.
        const track = yield* get("/api/ingress/v1/track", { org: ORG_A })
        expect(track.status).toBe(502)
      })
    )
  })
})
