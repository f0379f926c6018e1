/**
 * The sources-api-go list query syntax: filter forms, operations, typed values, sorting, paging and the
 * envelope's links; anything unsupported is a 400 that names the parameter.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { collectionLinks, type ListQuery, parseListQuery, type QueryParams } from "../../../src/sources/ListQuery.js"
import { sourceColumns } from "../../../src/sources/SourcesRows.js"

const parse = (params: QueryParams): ListQuery => {
  const result = parseListQuery(params, sourceColumns, 100)
  if (Either.isLeft(result)) throw new Error(`expected a query, got ${result.left.message}`)
  return result.right
}

const rejected = (params: QueryParams) => {
  const result = parseListQuery(params, sourceColumns, 100)
  if (Either.isRight(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  return result.left
}

describe("parseListQuery", () => {
  it("defaults to the first page of 100, ordered by id", () => {
    expect(parse([])).toEqual({ filters: [], sort: [{ column: "id", descending: false }], limit: 100, offset: 0 })
  })

  it("reads filter[field]=v and filter[field][eq]=v as equality", () => {
    const plain = parse([["filter[source_ref]", "c1"]])
    const explicit = parse([["filter[source_ref][eq]", "c1"]])
    const expected = [{ column: "source_ref", kind: "text", operation: "eq", values: ["c1"] }]
    expect(plain.filters).toEqual(expected)
    expect(explicit.filters).toEqual(expected)
  })

  it("combines several filters, as the operator sends them", () => {
    const q = parse([
      ["filter[source_type_id]", "1"],
      ["filter[source_ref]", "cluster-a"],
      ["filter[name]", "my cluster"]
    ])
    expect(q.filters.map((f) => [f.column, f.values[0]])).toEqual([
      ["source_type_id", "1"],
      ["source_ref", "cluster-a"],
      ["name", "my cluster"]
    ])
  })

  it("turns repeated keys and the [] form into an IN list", () => {
    expect(
      parse([
        ["filter[id]", "1"],
        ["filter[id]", "2"]
      ]).filters[0]?.values
    ).toEqual(["1", "2"])
    expect(
      parse([
        ["filter[id][]", "3"],
        ["filter[id][]", "4"]
      ]).filters[0]
    ).toMatchObject({ operation: "eq", values: ["3", "4"] })
    expect(parse([["filter[id][eq][]", "5"]]).filters[0]).toMatchObject({ operation: "eq", values: ["5"] })
  })

  it("reads the other operations", () => {
    expect(parse([["filter[name][contains_i]", "Prod"]]).filters[0]).toMatchObject({ operation: "contains_i" })
    expect(parse([["filter[id][gt]", "10"]]).filters[0]).toMatchObject({ operation: "gt", values: ["10"] })
    expect(parse([["filter[paused_at][nil]", ""]]).filters[0]).toMatchObject({ operation: "nil", values: [] })
    expect(parse([["filter[created_at][lt]", "2024-01-01T00:00:00Z"]]).filters[0]).toMatchObject({
      kind: "timestamp"
    })
  })

  it("takes a bare field=v as an equality filter, as the Rails API did", () => {
    expect(parse([["source_ref", "c9"]]).filters).toEqual([
      { column: "source_ref", kind: "text", operation: "eq", values: ["c9"] }
    ])
  })

  it("refuses unknown columns, operations and malformed keys, naming the parameter", () => {
    expect(rejected([["filter[password]", "x"]])).toMatchObject({ parameter: "filter[password]" })
    expect(rejected([["filter[name][like]", "x"]]).message).toContain("unsupported operation like")
    expect(rejected([["filter[name", "x"]]).parameter).toBe("filter[name")
    expect(rejected([["filter", "x"]]).parameter).toBe("filter")
    expect(rejected([["filter[source_type][name]", "openshift"]]).message).toContain("sub-resource")
    expect(rejected([["cache_buster", "1"]]).parameter).toBe("cache_buster")
  })

  it("checks values against the column's type", () => {
    expect(rejected([["filter[id]", "abc"]]).message).toContain("not a valid integer")
    expect(rejected([["filter[source_type_id]", "-1"]]).parameter).toBe("filter[source_type_id]")
    expect(rejected([["filter[id]", "99999999999999999999"]]).parameter).toBe("filter[id]")
    expect(rejected([["filter[created_at]", "yesterday"]]).message).toContain("timestamp")
    expect(rejected([["filter[id][contains]", "1"]]).message).toContain("not text")
  })

  it("reads limit and offset, and refuses what is not a count", () => {
    expect(
      parse([
        ["limit", "5"],
        ["offset", "10"]
      ])
    ).toMatchObject({ limit: 5, offset: 10 })
    expect(rejected([["limit", "ten"]])).toMatchObject({ parameter: "limit", reason: "error parsing limit" })
    expect(rejected([["offset", "-1"]])).toMatchObject({ parameter: "offset", reason: "error parsing offset" })
    expect(rejected([["limit", "1e3"]]).parameter).toBe("limit")
  })

  it("reads sort_by with an optional direction", () => {
    expect(parse([["sort_by", "name"]]).sort).toEqual([{ column: "name", descending: false }])
    expect(parse([["sort_by", "created_at desc"]]).sort).toEqual([{ column: "created_at", descending: true }])
    expect(parse([["sort_by", "id:DESC"]]).sort).toEqual([{ column: "id", descending: true }])
    expect(rejected([["sort_by", "name sideways"]]).parameter).toBe("sort_by")
    expect(rejected([["sort_by", "uid; drop table sources"]]).parameter).toBe("sort_by")
  })
})

describe("collectionLinks", () => {
  it("repeats the request with sorted parameters for this page and the next", () => {
    const links = collectionLinks(
      "/api/sources/v3.1/sources",
      [
        ["filter[source_ref]", "c1"],
        ["limit", "2"],
        ["filter[name]", "my cluster"]
      ],
      2,
      0
    )
    expect(links).toEqual({
      first: "/api/sources/v3.1/sources?filter[name]=my+cluster&filter[source_ref]=c1&limit=2&offset=0",
      last: "/api/sources/v3.1/sources?filter[name]=my+cluster&filter[source_ref]=c1&limit=2&offset=2"
    })
  })
})
