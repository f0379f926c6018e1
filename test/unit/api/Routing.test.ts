/**
 * Small pure parts of the server: the metrics' route labels stay bounded, and the web view never resolves a path
 * outside its folder.
 */
import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { routeLabel } from "../../../src/api/ApiMetrics.js"
import { resolveInside } from "../../../src/api/WebView.js"

describe("routeLabel", () => {
  it("names API routes by template and folds everything else into two series", () => {
    const base = "/api/cost-management/v1/recommendations/openshift"
    expect(routeLabel(base)).toBe(base)
    expect(routeLabel(`${base}/container`)).toBe(`${base}/container`)
    expect(routeLabel(`${base}/container/5f0c7a4e-0000-4000-8000-000000000001`)).toBe(`${base}/container/{id}`)
    expect(routeLabel(`${base}/5f0c7a4e`)).toBe(`${base}/{id}`)
    expect(routeLabel(`${base}/openapi.json`)).toBe(`${base}/openapi.json`)
    expect(routeLabel("/api/ros/v1/recommendations/abc")).toBe("/api/ros/v1/recommendations/{id}")
    expect(routeLabel("/api/whatever/1")).toBe("/api/{unknown}")
    expect(routeLabel("/assets/index-abc.js")).toBe("/{web}")
  })
})

describe("resolveInside", () => {
  const root = "/srv/web/dist"

  it("resolves files under the folder", () => {
    expect(resolveInside(root, "/assets/app.js")).toEqual(Option.some("/srv/web/dist/assets/app.js"))
    expect(resolveInside(root, "/")).toEqual(Option.some(root))
    expect(resolveInside(root, "/a/../index.html")).toEqual(Option.some("/srv/web/dist/index.html"))
  })

  it("never leaves it: dot-dot, encoded or not, NUL bytes and malformed escapes are refused", () => {
    expect(resolveInside(root, "/../secret")).toEqual(Option.none())
    expect(resolveInside(root, "/%2e%2e/%2e%2e/etc/passwd")).toEqual(Option.none())
    expect(resolveInside(root, "/assets/..%2f..%2f..%2fetc/passwd")).toEqual(Option.none())
    expect(resolveInside(root, "/..%5c..%5cwindows")).not.toEqual(Option.some("/srv/windows"))
    expect(resolveInside(root, "/index.html%00.js")).toEqual(Option.none())
    expect(resolveInside(root, "/%E0%A4%A")).toEqual(Option.none())
    expect(resolveInside(root, "/../dist-other/x")).toEqual(Option.none())
  })
})
