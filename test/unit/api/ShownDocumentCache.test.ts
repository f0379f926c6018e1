/**
 * The list's document cache: keyed by set id, version and units, bounded, least recently used out first.
 */
import { describe, expect, it } from "@effect/vitest"
import { ShownDocumentCache, shownDocumentKey } from "../../../src/api/ShownDocumentCache.js"

const units = { cpu: "cores", memory: "bytes", k8sFormats: true } as const

describe("ShownDocumentCache", () => {
  it("a new version or other units is another entry", () => {
    const a = shownDocumentKey("id-1", "2026-06-01T00:00:00.000000", units)
    expect(shownDocumentKey("id-1", "2026-06-01T00:00:00.000001", units)).not.toBe(a)
    expect(shownDocumentKey("id-1", "2026-06-01T00:00:00.000000", { ...units, cpu: "millicores" })).not.toBe(a)
    expect(shownDocumentKey("id-1", "2026-06-01T00:00:00.000000", { ...units, k8sFormats: false })).not.toBe(a)
  })

  it("keeps at most its capacity, dropping the least recently used", () => {
    const cache = new ShownDocumentCache(2)
    cache.set("a", { monitoring_end_time: "a" })
    cache.set("b", { monitoring_end_time: "b" })
    expect(cache.get("a")?.monitoring_end_time).toBe("a")
    cache.set("c", { monitoring_end_time: "c" })
    expect(cache.size).toBe(2)
    expect(cache.get("b")).toBeUndefined()
    expect(cache.get("a")?.monitoring_end_time).toBe("a")
    expect(cache.get("c")?.monitoring_end_time).toBe("c")
  })
})
