import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { needRecommendationOnFirstOfMonth, refreshDue, wholeHoursBetween } from "../../../src/poller/RefreshDue.js"

const at = (iso: string) => new Date(iso)
const stored = (iso: string) => Option.some(at(iso))

describe("refreshDue (ros-ocp-backend §3.8 step 3)", () => {
  it("nothing stored: a new recommendation", () => {
    expect(refreshDue(at("2023-06-03T00:45:00Z"), Option.none())).toBe("new")
  })

  it("a stored zero time (0001-01-01) is never refreshed: zero_time", () => {
    expect(refreshDue(at("2023-06-03T00:45:00Z"), stored("0001-01-01T00:00:00Z"))).toBe("zero_time")
    // one second later is an ordinary (very old) time: due
    expect(refreshDue(at("2023-06-03T00:45:00Z"), stored("0001-01-01T00:00:01Z"))).toBe("update")
  })

  it("due from 24 whole hours on, not a millisecond earlier", () => {
    const t = "2023-06-02T00:45:00Z"
    expect(refreshDue(at("2023-06-03T00:44:59.999Z"), stored(t))).toBe("not_due")
    expect(refreshDue(at("2023-06-03T00:45:00Z"), stored(t))).toBe("update")
    expect(refreshDue(at("2023-06-05T10:00:00Z"), stored(t))).toBe("update")
  })

  it("the same Max_endtime_report again (a redelivered message) is not due", () => {
    expect(refreshDue(at("2023-06-03T00:45:00Z"), stored("2023-06-03T00:45:00Z"))).toBe("not_due")
  })

  it("RECOMMENDATION_POLL_INTERVAL_HOURS is honoured", () => {
    const t = stored("2023-06-02T00:00:00Z")
    expect(refreshDue(at("2023-06-02T05:59:59Z"), t, 6)).toBe("not_due")
    expect(refreshDue(at("2023-06-02T06:00:00Z"), t, 6)).toBe("update")
    expect(refreshDue(at("2023-06-03T00:00:00Z"), t, 48)).toBe("not_due")
  })

  it("hours are truncated toward zero like Go's int(), not floored", () => {
    // 30 minutes before T: int(-0.5) = 0, so an interval of 0 is due; a floor would give -1
    expect(refreshDue(at("2023-06-02T23:30:00Z"), stored("2023-06-03T00:00:00Z"), 0)).toBe("update")
    expect(refreshDue(at("2023-06-02T22:30:00Z"), stored("2023-06-03T00:00:00Z"), 0)).toBe("not_due")
  })

  it("the 1st of a month after T's date is due even within the interval (NeedRecommOnFirstOfMonth)", () => {
    expect(refreshDue(at("2023-06-01T00:15:00Z"), stored("2023-05-31T23:00:00Z"))).toBe("update")
    // same calendar day as T: not due
    expect(refreshDue(at("2023-06-01T12:00:00Z"), stored("2023-06-01T00:15:00Z"))).toBe("not_due")
    // the 2nd of the month: only the interval counts
    expect(refreshDue(at("2023-06-02T00:15:00Z"), stored("2023-06-01T23:00:00Z"))).toBe("not_due")
  })

  it("calendar days are UTC days", () => {
    // 23:30 UTC on the 31st is already the 1st east of UTC; upstream compares UTC dates
    expect(refreshDue(at("2023-05-31T23:45:00Z"), stored("2023-05-31T23:30:00Z"))).toBe("not_due")
    expect(refreshDue(at("2023-06-01T00:00:00Z"), stored("2023-05-31T23:59:59.999Z"))).toBe("update")
  })
})

describe("the pieces", () => {
  it("wholeHoursBetween truncates toward zero and saturates like a Go Duration", () => {
    expect(wholeHoursBetween(at("2023-06-01T00:00:00Z"), at("2023-06-01T01:59:59.999Z"))).toBe(1)
    expect(wholeHoursBetween(at("2023-06-01T01:59:59.999Z"), at("2023-06-01T00:00:00Z"))).toBe(-1)
    expect(wholeHoursBetween(at("2023-06-01T00:00:00Z"), at("2023-06-01T00:59:00Z"))).toBe(0)
    expect(wholeHoursBetween(at("0001-01-01T00:00:01Z"), at("2023-06-01T00:00:00Z"))).toBe(2_562_047)
    expect(wholeHoursBetween(at("2023-06-01T00:00:00Z"), at("0001-01-01T00:00:01Z"))).toBe(-2_562_047)
  })

  it("needRecommendationOnFirstOfMonth needs the 1st and a later date", () => {
    expect(needRecommendationOnFirstOfMonth(at("2023-05-20T00:00:00Z"), at("2023-06-01T00:00:00Z"))).toBe(true)
    expect(needRecommendationOnFirstOfMonth(at("2023-06-01T00:00:00Z"), at("2023-06-01T23:59:59Z"))).toBe(false)
    expect(needRecommendationOnFirstOfMonth(at("2023-07-02T00:00:00Z"), at("2023-06-01T00:00:00Z"))).toBe(false)
    expect(needRecommendationOnFirstOfMonth(at("2023-05-20T00:00:00Z"), at("2023-06-02T00:00:00Z"))).toBe(false)
    // year 1 dates compare as year 1, not 1901
    expect(needRecommendationOnFirstOfMonth(at("0001-12-31T00:00:00Z"), at("0002-01-01T00:00:00Z"))).toBe(true)
  })
})
