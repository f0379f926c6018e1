/**
 * Timestamps as upstream's Go API prints them, always in UTC (design.md §7): RFC 3339 with up to nine fractional
 * digits and trailing zeros dropped (`encoding/json`), and `time.Time.String()` for the CSV export
 * (`2023-06-03 00:45:00 +0000 UTC`).
 */

/** Go's zero time in `time.String()` form: what an absent time prints as. */
export const GO_ZERO_TIME_STRING = "0001-01-01 00:00:00 +0000 UTC"

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|z|[+-]\d{2}:\d{2})$/

interface Parts {
  readonly date: string
  readonly time: string
  /** Fractional second digits with trailing zeros removed ("" for none). */
  readonly fraction: string
}

const trimFraction = (digits: string | undefined): string => (digits ?? "").replace(/0+$/, "")

/** The UTC date, time and fraction of an RFC 3339 timestamp; undefined when it is not one. */
const utcParts = (text: string): Parts | undefined => {
  const match = RFC3339.exec(text)
  if (match === null) return undefined
  const [, date = "", time = "", fraction, zone = "Z"] = match
  if (zone === "Z" || zone === "z" || zone === "+00:00" || zone === "-00:00") {
    return { date, time, fraction: trimFraction(fraction) }
  }
  // An offset shifts whole minutes, so the fraction stays as written.
  const utc = new Date(Date.parse(`${date}T${time}${zone}`)).toISOString()
  return { date: utc.slice(0, 10), time: utc.slice(11, 19), fraction: trimFraction(fraction) }
}

/** `2023-06-03T00:45:00.5+02:00` → `2023-06-02T22:45:00.5Z`; text that is not RFC 3339 is returned unchanged. */
export const rfc3339Utc = (text: string): string => {
  const parts = utcParts(text)
  if (parts === undefined) return text
  return `${parts.date}T${parts.time}${parts.fraction === "" ? "" : `.${parts.fraction}`}Z`
}

/** Go's `time.Time.String()` in UTC; an absent or unreadable time prints as Go's zero time. */
export const goTimeString = (text: string | undefined): string => {
  const parts = text === undefined ? undefined : utcParts(text)
  if (parts === undefined) return GO_ZERO_TIME_STRING
  return `${parts.date} ${parts.time}${parts.fraction === "" ? "" : `.${parts.fraction}`} +0000 UTC`
}
