/**
 * The partition job's date, hand-computed: t = now − retention days; day(t) < 15 ⇒ the 16th of the month before
 * t's, else the 1st of t's month (upstream's tablePartitionCleaner.go), in UTC, across month, year and leap-day
 * boundaries.
 */
import { describe, expect, it } from "@effect/vitest"
import { partitionCutoff } from "../../../src/housekeeper/RetentionDate.js"

const at = (iso: string) => Date.parse(iso)

describe("partitionCutoff", () => {
  it.each([
    // now, retention days, t, cutoff
    ["2024-03-20T12:00:00Z", 15, "t = 03-05, before the 15th", "2024-02-16"],
    ["2024-03-29T12:00:00Z", 15, "t = 03-14, the last day before the 15th", "2024-02-16"],
    ["2024-03-30T00:00:00Z", 15, "t = 03-15, the 15th itself", "2024-03-01"],
    ["2024-03-31T23:59:59Z", 15, "t = 03-16", "2024-03-01"],
    ["2024-06-10T08:00:00Z", 15, "t = 05-26, into the month before", "2024-05-01"],
    ["2024-01-20T00:00:00Z", 15, "t = 01-05: the 16th of December of the year before", "2023-12-16"],
    ["2024-01-10T00:00:00Z", 15, "t = 2023-12-26, into the year before", "2023-12-01"],
    ["2024-01-01T00:30:00Z", 15, "t = 2023-12-17", "2023-12-01"],
    ["2024-01-29T00:00:00Z", 15, "t = 01-14", "2023-12-16"],
    ["2024-03-01T00:00:00Z", 15, "t = 2024-02-15 (leap year)", "2024-02-01"],
    ["2023-03-01T00:00:00Z", 15, "t = 2023-02-14 (no leap day)", "2023-01-16"],
    ["2024-03-14T00:00:00Z", 15, "t = 2024-02-28 (leap year)", "2024-02-01"],
    ["2024-05-14T00:00:00Z", 0, "t = now = 05-14", "2024-04-16"],
    ["2024-05-14T00:00:00Z", 45, "t = 03-30", "2024-03-01"],
    ["2024-05-14T00:00:00Z", 365, "t = 2023-05-15 (2024 has 366 days)", "2023-05-01"]
  ])("now %s, %i days (%s) ⇒ %s", (now, days, _t, cutoff) => {
    expect(partitionCutoff(at(now), days)).toBe(cutoff)
  })

  it("works in UTC, whatever the offset the instant is written with", () => {
    // 01:00 on March 30 at +02:00 is 23:00 on March 29 in UTC: t = 03-14, not 03-15.
    expect(partitionCutoff(at("2024-03-30T01:00:00+02:00"), 15)).toBe("2024-02-16")
    expect(partitionCutoff(at("2024-03-29T23:00:00Z"), 15)).toBe("2024-02-16")
  })

  it("never lets a partition that holds rows younger than t be dropped", () => {
    // Every day of three years: the cutoff is a partition start (1st or 16th) no later than t.
    const start = at("2023-01-01T06:00:00Z")
    for (let day = 0; day < 3 * 366; day++) {
      const now = start + day * 86_400_000
      const cutoff = partitionCutoff(now, 15)
      const t = new Date(now - 15 * 86_400_000).toISOString().slice(0, 10)
      expect(["01", "16"]).toContain(cutoff.slice(8))
      expect(cutoff <= t).toBe(true)
    }
  })
})
