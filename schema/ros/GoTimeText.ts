/**
 * A `time.Time` field of a Go struct, kept as text: upstream ROS decodes the engine's timestamps into `time.Time`
 * and writes them back with `json.Marshal` (spec ros-ocp-backend §3.9), so the stored JSON carries Go's spelling,
 * not the engine's. Decoding checks what Go's strict RFC 3339 reader accepts (`time.parseStrictRFC3339`) and
 * yields what Go's writer prints (RFC 3339 with nanoseconds): `2026-06-01T11:45:00.000Z` becomes
 * `2026-06-01T11:45:00Z`, `…:00.510Z` becomes `…:00.51Z`, a zero offset becomes `Z`, other offsets stay.
 * Keeping text (not a Date) keeps Go's nanoseconds and offsets exactly; PostgreSQL reads the same text.
 */
import { ParseResult, Schema } from "effect"

/** What Go writes for a zero `time.Time`, e.g. a term without `monitoring_start_time`. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z"

const rfc3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/

const daysIn = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31

/** Go's marshalled spelling of an RFC 3339 time, or undefined where Go's reader fails. */
export const goTimeText = (text: string): string | undefined => {
  const m = rfc3339.exec(text)
  if (m === null) return undefined
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
    return undefined
  }
  if (m[9] !== undefined && (Number(m[10]) > 23 || Number(m[11]) > 59)) return undefined
  // Go keeps nanoseconds (digits past the ninth are dropped) and prints them without trailing zeros.
  const nanos = (m[7] ?? "").slice(0, 9).replace(/0+$/, "")
  const zeroOffset = m[8] === "Z" || (m[10] === "00" && m[11] === "00")
  return `${text.slice(0, 19)}${nanos === "" ? "" : `.${nanos}`}${zeroOffset ? "Z" : m[8]}`
}

/** An engine timestamp decoded the way Go reads a `time.Time`, as the text Go would write back. */
export const GoTimeText = Schema.transformOrFail(Schema.String, Schema.String, {
  strict: true,
  decode: (text, _, ast) => {
    const go = goTimeText(text)
    return go === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, text, `expected an RFC 3339 time, got ${JSON.stringify(text)}`))
      : ParseResult.succeed(go)
  },
  encode: (text) => ParseResult.succeed(text)
}).annotations({ identifier: "GoTimeText" })
