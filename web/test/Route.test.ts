import { describe, expect, it } from "vitest"
import { defaultList, formatRoute, parseRoute, type Route } from "../src/route/Route"

describe("the page's address", () => {
  it("round-trips every view with its filters, sort, page, term and engine", () => {
    const routes: ReadonlyArray<Route> = [
      { page: "recommendations", list: defaultList },
      {
        page: "recommendations",
        list: {
          ...defaultList,
          filters: { project: "shop prod", workload_type: "deployment" },
          orderBy: "cpu_variation_medium_performance",
          orderHow: "asc",
          limit: 25,
          offset: 50,
          startDate: "2026-08-01",
          term: "medium_term",
          engine: "performance"
        }
      },
      { page: "recommendation", id: "3f1c/odd id", view: { term: "long_term", engine: "cost" } },
      { page: "uploads" }
    ]
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route)
  })

  it("falls back to the defaults for values it does not know", () => {
    expect(
      parseRoute("#/recommendations?limit=7&offset=-3&term=forever&engine=x&order_how=up&start_date=soon")
    ).toEqual({ page: "recommendations", list: defaultList })
    expect(parseRoute("")).toEqual({ page: "recommendations", list: defaultList })
    expect(formatRoute({ page: "recommendations", list: defaultList })).toBe("#/recommendations")
  })
})
