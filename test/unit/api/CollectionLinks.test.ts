/**
 * Pagination links: every query parameter kept (keys sorted, repeated values in order), limit and offset replaced,
 * first/last pointing at the real first and last pages, previous/next only when they exist.
 */
import { describe, expect, it } from "@effect/vitest"
import { collectionLinks } from "../../../src/api/CollectionLinks.js"

const path = "/api/cost-management/v1/recommendations/openshift"
const offsetOf = (link: string | undefined) =>
  link === undefined ? undefined : new URL(link, "http://x").searchParams.get("offset")

describe("collectionLinks", () => {
  it("keeps the query, sorted, with limit and offset replaced", () => {
    const links = collectionLinks(
      path,
      [
        ["project", "b"],
        ["cluster", "x"],
        ["project", "a"],
        ["limit", "5"],
        ["offset", "5"]
      ],
      { limit: 5, offset: 5 },
      12
    )
    expect(links.first).toBe(`${path}?cluster=x&limit=5&offset=0&project=b&project=a`)
    expect(links.previous).toBe(`${path}?cluster=x&limit=5&offset=0&project=b&project=a`)
    expect(links.next).toBe(`${path}?cluster=x&limit=5&offset=10&project=b&project=a`)
    expect(links.last).toBe(`${path}?cluster=x&limit=5&offset=10&project=b&project=a`)
  })

  it("at the edges: no previous on the first page, no next on the last, last of an exact multiple", () => {
    const first = collectionLinks(path, [], { limit: 10, offset: 0 }, 30)
    expect(first.previous).toBeUndefined()
    expect(offsetOf(first.next)).toBe("10")
    expect(offsetOf(first.last)).toBe("20")
    const last = collectionLinks(path, [], { limit: 10, offset: 20 }, 30)
    expect(last.next).toBeUndefined()
    expect(offsetOf(last.previous)).toBe("10")
    const empty = collectionLinks(path, [], { limit: 10, offset: 0 }, 0)
    expect([empty.previous, empty.next, offsetOf(empty.last)]).toEqual([undefined, undefined, "0"])
    const beyond = collectionLinks(path, [], { limit: 10, offset: 95 }, 30)
    expect([offsetOf(beyond.previous), beyond.next, offsetOf(beyond.last)]).toEqual(["20", undefined, "20"])
    const unaligned = collectionLinks(path, [], { limit: 10, offset: 3 }, 30)
    expect([offsetOf(unaligned.previous), offsetOf(unaligned.next)]).toEqual(["0", "13"])
  })

  it("limit -1 (every row) and 0 have one page", () => {
    const all = collectionLinks(path, [], { limit: -1, offset: 0 }, 30)
    expect(all).toEqual({ first: `${path}?limit=-1&offset=0`, last: `${path}?limit=-1&offset=0` })
    expect(collectionLinks(path, [], { limit: 0, offset: 0 }, 30).next).toBeUndefined()
  })

  it("values are encoded, so a link parses back to the same query; brackets stay readable", () => {
    const value = "a&b=c d%/é"
    const links = collectionLinks(path, [["filter[exact:workload]", value]], { limit: 10, offset: 0 }, 1)
    expect(links.first).toContain("filter[exact:workload]=")
    const parsed = new URL(links.first, "http://x").searchParams
    expect(parsed.getAll("filter[exact:workload]")).toEqual([value])
  })
})
