/**
 * Timestamps on Kruize's REST API (kruize.md §1, "Timestamps in/out"):
 * - out: always `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` in UTC;
 * - query parameters: that same format, strictly (exactly 3 ms digits, literal `Z`, a real calendar date);
 * - request bodies (`/updateResults`): whatever Gson's default `java.sql.Timestamp` adapter reads, i.e. ISO-8601
 *   through `ISO8601Utils.parse` (`…Z`, `±hh:mm`/`±hhmm`/`±hh` offsets, with or without seconds and millis).
 */
import { Option, ParseResult, Schema } from "effect"

const pad = (n: number, width: number) => String(n).padStart(width, "0")

/** Epoch ms → `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'` (UTC). */
export const formatTimestamp = (ms: number): string => {
  const d = new Date(ms)
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`
  )
}

// Date.UTC maps years 0–99 to 1900–1999, so the year is set separately.
const utcMs = (year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number) => {
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  d.setUTCHours(hour, minute, second, ms)
  return d.getTime()
}

// Java's non-lenient GregorianCalendar rejects out-of-range fields instead of rolling them over; year 0 is not AD.
const isValidDateTime = (year: number, month: number, day: number, hour: number, minute: number, second: number) => {
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return false
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  return d.getUTCMonth() === month - 1 && d.getUTCDate() === day
}

const strictPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/

/** Query-parameter timestamps (`DateUtils.isAValidDate`): the strict output format only, as epoch ms. */
export const parseStrictTimestamp = (text: string): Option.Option<number> => {
  const m = strictPattern.exec(text)
  if (m === null) return Option.none()
  const [year, month, day, hour, minute, second, ms] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number
  ]
  return isValidDateTime(year, month, day, hour, minute, second)
    ? Option.some(utcMs(year, month, day, hour, minute, second, ms))
    : Option.none()
}

// ISO8601Utils.parse: date with optional dashes; optional time (seconds and fraction optional, colons optional);
// a zone designator is required as soon as anything follows the date.
const isoPattern =
  /^(\d{4})-?(\d{2})-?(\d{2})(?:(?:T(\d{2}):?(\d{2})(?::?(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?))?$/

/** Body timestamps (Gson `java.sql.Timestamp`): ISO-8601 as read by `ISO8601Utils.parse`, as epoch ms. */
export const parseIsoTimestamp = (text: string): Option.Option<number> => {
  const m = isoPattern.exec(text)
  if (m === null) return Option.none()
  const year = Number(m[1])
  const month = Number(m[2])
  const day = Number(m[3])
  const hour = m[4] === undefined ? 0 : Number(m[4])
  const minute = m[5] === undefined ? 0 : Number(m[5])
  // ISO8601Utils truncates leap seconds 60–62 to 59.
  const rawSecond = m[6] === undefined ? 0 : Number(m[6])
  const second = rawSecond >= 60 && rawSecond <= 62 ? 59 : rawSecond
  // Only the first three fraction digits count; "5" means 500 ms.
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"))
  if (!isValidDateTime(year, month, day, hour, minute, second)) return Option.none()
  const zone = m[8]
  let offsetMinutes = 0
  if (zone !== undefined && zone !== "Z") {
    const digits = zone.slice(1).replace(":", "")
    const offsetHours = Number(digits.slice(0, 2))
    const offsetMins = digits.length > 2 ? Number(digits.slice(2, 4)) : 0
    if (offsetHours > 23 || offsetMins > 59) return Option.none()
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (offsetHours * 60 + offsetMins)
  }
  return Option.some(utcMs(year, month, day, hour, minute, second, ms) - offsetMinutes * 60_000)
}

/** A body timestamp string decoded to epoch ms; an unparsable one fails like Gson does (whole request rejected). */
export const IsoTimestampMs = Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (text, _, ast) =>
    Option.match(parseIsoTimestamp(text), {
      onNone: () => ParseResult.fail(new ParseResult.Type(ast, text, `unparsable timestamp "${text.slice(0, 64)}"`)),
      onSome: (ms) => ParseResult.succeed(ms)
    }),
  encode: (ms) => ParseResult.succeed(formatTimestamp(ms))
}).annotations({ identifier: "IsoTimestampMs" })

/** The output format, as a schema for response bodies. */
export const KruizeTimestamp = Schema.String.pipe(
  Schema.pattern(strictPattern),
  Schema.annotations({ identifier: "KruizeTimestamp" })
)
