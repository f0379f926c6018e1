import { describe, expect, it } from "@effect/vitest"
import { formatKruizeTimestamp, parseGoTimestamp } from "../../../src/processor/csv/GoTimestamp.js"

const iso = (text: string) => {
  const ms = parseGoTimestamp(text)
  return ms === undefined ? undefined : formatKruizeTimestamp(ms)
}

describe("Go time.String() timestamps → Kruize timestamps", () => {
  it("UTC timestamps keep their clock time (upstream ConvertDateToISO8601 table)", () => {
    expect(iso("2023-06-02 00:15:00 +0000 UTC")).toBe("2023-06-02T00:15:00.000Z")
    expect(iso("2023-06-02 00:00:01 +0000 UTC")).toBe("2023-06-02T00:00:01.000Z")
    expect(iso("2023-12-31 23:59:59 +0000 UTC")).toBe("2023-12-31T23:59:59.000Z")
  })

  it("other zones are converted to UTC (design.md §7; upstream would print 09:30:00.000Z)", () => {
    expect(iso("2023-06-15 09:30:00 +0530 IST")).toBe("2023-06-15T04:00:00.000Z")
    expect(iso("2023-06-15 21:00:00 -0300 -03")).toBe("2023-06-16T00:00:00.000Z")
  })

  it("fractional seconds are accepted and truncated to milliseconds", () => {
    expect(iso("2023-06-02 00:15:00.123456789 +0000 UTC")).toBe("2023-06-02T00:15:00.123Z")
    expect(iso("2023-06-02 00:15:00.5 +0000 UTC")).toBe("2023-06-02T00:15:00.500Z")
  })

  it("refuses what Go's time.Parse refuses", () => {
    for (const text of [
      "",
      "2023-06-02T00:15:00Z",
      "2023-06-02 00:15:00",
      "2023-06-02 00:15:00 +0000",
      "2023-13-02 00:15:00 +0000 UTC",
      "2023-02-29 00:15:00 +0000 UTC",
      "2023-06-31 00:15:00 +0000 UTC",
      "2023-06-02 24:00:00 +0000 UTC",
      "2023-06-02 00:15:00 +0000 UTC m=+0.000000001",
      "2023-6-02 00:15:00 +0000 UTC"
    ]) {
      expect(parseGoTimestamp(text), text).toBeUndefined()
    }
    expect(iso("2024-02-29 00:00:00 +0000 UTC")).toBe("2024-02-29T00:00:00.000Z")
  })
})
