/**
 * Recommendation documents as a list shows them, kept by set id, version (`updated_at`) and units, least recently
 * used first out. A stored set changes at most once per poll (daily), and its JSON and percent columns change only
 * together with `updated_at`, so a hit is exactly what decoding and converting the row again would give; lists then
 * read only the narrow columns of a page from PostgreSQL and skip parsing, decoding and converting the JSON, which
 * is most of a list request's cost. One cache per service instance; nothing module-wide.
 */
import type { RecommendationDocument } from "../../schema/api/RecommendationDocument.js"
import type { UnitChoice } from "./UnitConversion.js"

export const shownDocumentKey = (id: string, version: string, units: UnitChoice): string =>
  `${id}@${version}@${units.cpu}/${units.memory}/${units.k8sFormats ? "k8s" : "units"}`

export class ShownDocumentCache {
  readonly #entries = new Map<string, RecommendationDocument>()
  readonly #capacity: number

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  get(key: string): RecommendationDocument | undefined {
    const value = this.#entries.get(key)
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as the most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, value)
    }
    return value
  }

  set(key: string, value: RecommendationDocument): void {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next()
      if (oldest.done !== true) this.#entries.delete(oldest.value)
    }
  }

  get size(): number {
    return this.#entries.size
  }
}
