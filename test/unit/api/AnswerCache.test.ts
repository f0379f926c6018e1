import { describe, expect, it } from "@effect/vitest"
import { AnswerCache, type AnswerKey, answerKey } from "../../../src/api/AnswerCache.js"

const bytes = (text: string) => new TextEncoder().encode(text)
const text = (body: Uint8Array | undefined) => (body === undefined ? undefined : new TextDecoder().decode(body))

const key = (orgId: string, path = "/list") =>
  answerKey({ orgId, access: { clusters: "*", projects: "*" }, path, query: [], accept: undefined, day: "2026-11-26" })

describe("AnswerCache", () => {
  it("gives an answer back only in the generation it was made in", () => {
    const cache = new AnswerCache(1_000, 60_000)
    expect(cache.get(1, key("a"), 0)).toBeUndefined()
    cache.set(1, key("a"), bytes("[1]"), 0)
    expect(text(cache.get(1, key("a"), 10))).toBe("[1]")
    expect(cache.get(2, key("a"), 10)).toBeUndefined()
    // back to an older generation number: everything was dropped on the way
    expect(cache.get(1, key("a"), 10)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it("does not keep an answer made from the data of a generation that has passed", () => {
    const cache = new AnswerCache(1_000, 60_000)
    cache.get(1, key("a"), 0)
    cache.get(2, key("b"), 0)
    cache.set(1, key("a"), bytes("[old]"), 0)
    expect(cache.get(2, key("a"), 0)).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it("keys by org, access, path, query, Accept and day", () => {
    const base: AnswerKey = {
      orgId: "1",
      access: { clusters: "*", projects: "*" },
      path: "/p",
      query: [],
      accept: undefined,
      day: "d"
    }
    const variants: ReadonlyArray<AnswerKey> = [
      base,
      { ...base, orgId: "2" },
      { ...base, access: { clusters: ["c1"], projects: "*" } },
      { ...base, path: "/q" },
      { ...base, query: [["limit", "5"] as const] },
      { ...base, accept: "text/csv" },
      { ...base, day: "e" }
    ]
    expect(new Set(variants.map(answerKey)).size).toBe(variants.length)
  })

  it("drops the least recently used answers beyond its size, and answers older than the maximum age", () => {
    const cache = new AnswerCache(10, 1_000)
    cache.get(1, key("a"), 0)
    cache.set(1, key("a"), bytes("aaaa"), 0)
    cache.set(1, key("b"), bytes("bbbb"), 0)
    expect(text(cache.get(1, key("a"), 1))).toBe("aaaa") // a is now the most recently used
    cache.set(1, key("c"), bytes("cccc"), 0)
    expect(cache.get(1, key("b"), 1)).toBeUndefined()
    expect(text(cache.get(1, key("a"), 1))).toBe("aaaa")
    expect(text(cache.get(1, key("c"), 1))).toBe("cccc")
    cache.set(1, key("d"), bytes("x".repeat(11)), 0)
    expect(cache.get(1, key("d"), 1)).toBeUndefined()
    expect(text(cache.get(1, key("a"), 999))).toBe("aaaa")
    expect(cache.get(1, key("a"), 1_000)).toBeUndefined()
    expect(cache.size).toBe(1)
  })
})
