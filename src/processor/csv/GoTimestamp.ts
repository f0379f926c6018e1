/**
 * The operator writes interval bounds with Go's `time.String()` layout, `2006-01-02 15:04:05 -0700 MST`
 * (ros-ocp-backend.md §2.2), and Kruize wants `YYYY-MM-DDTHH:MM:SS.000Z` (§2.7).
 *
 * Upstream formats the local clock time and appends a literal `Z`; we convert to UTC first (design.md §7), so
 * `2023-06-15 09:30:00 +0530 IST` becomes `2023-06-15T04:00:00.000Z`, not `…T09:30:00.000Z`.
 */

// Go's parser also accepts fractional seconds after the seconds even when the layout has none. The zone
// abbreviation is not checked: the numeric offset alone fixes the instant.
const pattern = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([+-])(\d{2})(\d{2}) [^ ]+$/

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/** Epoch ms of a Go `time.String()` timestamp, or `undefined` where Go's `time.Parse` would fail. */
export const parseGoTimestamp = (text: string): number | undefined => {
  const m = pattern.exec(text)
  if (m === null) return undefined
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = Number(m[4])
  const minute = Number(m[5])
  const second = Number(m[6])
  const offsetHours = Number(m[9])
  const offsetMinutes = Number(m[10])
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  if (day > DAYS_IN_MONTH[month - 1]! || (month === 2 && day === 29 && !isLeapYear(year))) return undefined
  if (offsetHours > 23 || offsetMinutes > 59) return undefined
  // Kruize's format has milliseconds; anything finer is truncated, as Go's `.000` does.
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"))
  const date = new Date(0)
  // Date.UTC would map years 0–99 to 1900–1999.
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000
  return date.getTime() - (m[8] === "-" ? -offsetMs : offsetMs)
}

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** Epoch ms → `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC). */
export const formatKruizeTimestamp = (ms: number): string => {
  const d = new Date(ms)
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`
  )
}
