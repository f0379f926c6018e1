import { describe, expect, it } from "@effect/vitest"
import { addDays, formatGoTime } from "../../../src/ingress/GoTime.js"

const at = (iso: string, extraNanos = 0n) => BigInt(Date.parse(iso)) * 1_000_000n + extraNanos

describe("formatGoTime (Go's RFC3339Nano in UTC)", () => {
  it("writes up to nine fractional digits and drops trailing zeros, as Go does", () => {
    expect(formatGoTime(at("2025-01-01T10:00:00.123Z", 456_789n))).toBe("2025-01-01T10:00:00.123456789Z")
    expect(formatGoTime(at("2025-01-01T10:00:00.120Z"))).toBe("2025-01-01T10:00:00.12Z")
    expect(formatGoTime(at("2025-01-01T10:00:00.000Z", 1n))).toBe("2025-01-01T10:00:00.000000001Z")
    expect(formatGoTime(at("2025-01-01T10:00:00.000Z"))).toBe("2025-01-01T10:00:00Z")
  })

  it("adds whole days in UTC", () => {
    expect(formatGoTime(addDays(at("2026-02-14T23:59:59.5Z"), 30))).toBe("2026-03-16T23:59:59.5Z")
  })
})
