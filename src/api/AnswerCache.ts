/**
 * JSON answers of the read routes, as the bytes sent, kept until the data changes. An answer is a function of the
 * caller's org and access, the request (path, query, Accept), the day (the default date window starts on the first
 * of the month) and the rows of the tables the API reads; the last one is what the data generation (DataChanges)
 * stands for. A new generation drops everything kept, so memory holds only answers that may still be served. Least
 * recently used first out once the byte budget is spent. An answer is also given for at most `maxAgeMs`: a bound on
 * staleness should a notification ever be missed (a listening connection that died silently is noticed only by
 * keep-alive).
 */
import type { AccessScope } from "./AccessScope.js"

export interface AnswerKey {
  readonly orgId: string
  readonly access: AccessScope
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly accept: string | undefined
  readonly day: string
}

export const answerKey = (key: AnswerKey): string =>
  JSON.stringify([key.orgId, key.access, key.path, key.query, key.accept ?? "", key.day])

export class AnswerCache {
  readonly #entries = new Map<string, { readonly body: Uint8Array; readonly madeMs: number }>()
  readonly #maxBytes: number
  readonly #maxAgeMs: number
  #bytes = 0
  #generation: number | undefined

  constructor(maxBytes: number, maxAgeMs: number) {
    this.#maxBytes = maxBytes
    this.#maxAgeMs = maxAgeMs
  }

  /** The answer kept under `key` in `generation`, if any and made less than the maximum age before `nowMs`. */
  get(generation: number, key: string, nowMs: number): Uint8Array | undefined {
    this.#enter(generation)
    const kept = this.#entries.get(key)
    if (kept === undefined) return undefined
    this.#drop(key)
    if (nowMs - kept.madeMs >= this.#maxAgeMs) return undefined
    // Map keeps insertion order: re-inserting marks the entry as the most recently used.
    this.#entries.set(key, kept)
    this.#bytes += kept.body.byteLength
    return kept.body
  }

  /** Keeps `body`, made at `madeMs` from the data of `generation`, if that is still the current generation. */
  set(generation: number, key: string, body: Uint8Array, madeMs: number): void {
    if (this.#generation !== generation || body.byteLength > this.#maxBytes) return
    this.#drop(key)
    this.#entries.set(key, { body, madeMs })
    this.#bytes += body.byteLength
    for (const [oldest, kept] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break
      this.#entries.delete(oldest)
      this.#bytes -= kept.body.byteLength
    }
  }

  get size(): number {
    return this.#entries.size
  }

  #enter(generation: number): void {
    if (this.#generation === generation) return
    this.#entries.clear()
    this.#bytes = 0
    this.#generation = generation
  }

  #drop(key: string): void {
    const kept = this.#entries.get(key)
    if (kept === undefined) return
    this.#entries.delete(key)
    this.#bytes -= kept.body.byteLength
  }
}
