import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  clientRequestId,
  generateRequestId,
  isUsableRequestId,
  resolveRequestId
} from "../../../src/ingress/RequestId.js"

describe("request ids", () => {
  it("takes x-rh-insights-request-id first, then x-rh-request-id", () => {
    expect(clientRequestId({ "x-rh-insights-request-id": "a1", "x-rh-request-id": "b2" })).toBe("a1")
    expect(clientRequestId({ "x-rh-request-id": "test-request-1700000000" })).toBe("test-request-1700000000")
    expect(clientRequestId({ "x-rh-insights-request-id": " ab1e2a00cc2a4ddc8c59b91b73c9ce33 " })).toBe(
      "ab1e2a00cc2a4ddc8c59b91b73c9ce33"
    )
    expect(clientRequestId({ "x-rh-insights-request-id": ["first", "second"] })).toBe("first")
    expect(clientRequestId({})).toBeUndefined()
  })

  it("skips a client value that could not be an object key as is, and falls back to the next one", () => {
    expect(clientRequestId({ "x-rh-insights-request-id": "host/AbCdEfGhIj-000001", "x-rh-request-id": "ok" })).toBe(
      "ok"
    )
    for (const bad of ["", " ", "a/b", "../x", ".hidden", "a b", "a\u0000b", "é", "x".repeat(129)]) {
      expect([bad, isUsableRequestId(bad)]).toEqual([bad, false])
    }
    for (const good of ["ab1e2a00cc2a4ddc8c59b91b73c9ce33", "test-request-1", "a.b_c:d-e", "x".repeat(128)]) {
      expect([good, isUsableRequestId(good)]).toEqual([good, true])
    }
  })

  it.effect("generates a UUID as 32 hex digits (never a `/`), a new one each time", () =>
    Effect.gen(function* () {
      const a = yield* generateRequestId
      const b = yield* resolveRequestId({ "x-rh-insights-request-id": "no/slashes" })
      expect(a).toMatch(/^[0-9a-f]{32}$/)
      expect(b).toMatch(/^[0-9a-f]{32}$/)
      expect(a).not.toBe(b)
      expect(yield* resolveRequestId({ "x-rh-request-id": "seed-1" })).toBe("seed-1")
    })
  )
})
