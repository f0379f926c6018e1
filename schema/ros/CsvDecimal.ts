/**
 * Numbers in and out of ROS, with upstream's Go semantics:
 * - in: a CSV float cell, read by gota with `strconv.ParseFloat` (ros-ocp-backend.md §2.1); an empty or unparsable
 *   cell is "no value" (Go's NaN);
 * - out: the decimal strings sent to Kruize, `strconv.FormatFloat(v, 'f', -1, 64)` (§3.5, PR #486): the shortest
 *   digits that round-trip, never an exponent, no rounding.
 */
import { Schema } from "effect"

const isDigit = (c: number) => c >= 48 && c <= 57

/**
 * A decimal literal as `strconv.ParseFloat` reads it: optional sign, digits with an optional point, optional
 * exponent. Go also accepts `Inf`, `NaN` and hex floats; those are refused here because a non-finite value can
 * only become "NaN"/"+Inf" in a Kruize payload, and no operator writes hex.
 */
const isDecimalLiteral = (s: string): boolean => {
  const n = s.length
  let i = 0
  let c = s.charCodeAt(0)
  if (c === 43 || c === 45) c = s.charCodeAt(++i)
  let digits = 0
  while (i < n && isDigit(c)) {
    digits++
    c = s.charCodeAt(++i)
  }
  if (c === 46) {
    c = s.charCodeAt(++i)
    while (i < n && isDigit(c)) {
      digits++
      c = s.charCodeAt(++i)
    }
  }
  if (digits === 0) return false
  if (c === 101 || c === 69) {
    c = s.charCodeAt(++i)
    if (c === 43 || c === 45) c = s.charCodeAt(++i)
    let exponentDigits = 0
    while (i < n && isDigit(c)) {
      exponentDigits++
      c = s.charCodeAt(++i)
    }
    if (exponentDigits === 0) return false
  }
  return i === n
}

/**
 * A CSV cell as a number: `undefined` for an empty cell, `NaN` for one that is not a finite decimal (including
 * overflow such as `1e400`, which Go reports as a range error), the value otherwise. Cells are not trimmed: Go's
 * reader keeps spaces and `ParseFloat(" 1")` fails.
 */
export const parseDecimal = (cell: string): number | undefined => {
  if (cell.length === 0) return undefined
  if (!isDecimalLiteral(cell)) return Number.NaN
  const value = Number(cell)
  return Number.isFinite(value) ? value : Number.NaN
}

/** `strconv.FormatFloat(value, 'f', -1, 64)`. */
export const formatDecimal = (value: number): string => {
  if (Number.isNaN(value)) return "NaN"
  if (value === Number.POSITIVE_INFINITY) return "+Inf"
  if (value === Number.NEGATIVE_INFINITY) return "-Inf"
  if (Object.is(value, -0)) return "-0"
  // Both JavaScript and Go print the shortest round-tripping digits; only the exponent notation JavaScript uses
  // below 1e-6 and from 1e21 has to be spelled out.
  const text = String(value)
  const e = text.indexOf("e")
  if (e === -1) return text
  const negative = text.charCodeAt(0) === 45
  const mantissa = text.slice(negative ? 1 : 0, e)
  const exponent = Number(text.slice(e + 1))
  const point = mantissa.indexOf(".")
  const digits = point === -1 ? mantissa : mantissa.slice(0, point) + mantissa.slice(point + 1)
  const position = (point === -1 ? mantissa.length : point) + exponent
  const body =
    position <= 0
      ? `0.${"0".repeat(-position)}${digits}`
      : position >= digits.length
        ? digits + "0".repeat(position - digits.length)
        : `${digits.slice(0, position)}.${digits.slice(position)}`
  return negative ? `-${body}` : body
}

/**
 * A float cell of a usage CSV: decodes to the number, or to `undefined` when the cell is empty or unparsable
 * (upstream's NaN); encodes back with {@link formatDecimal}.
 */
export const CsvDecimal = Schema.transform(Schema.String, Schema.UndefinedOr(Schema.Number), {
  strict: true,
  decode: (cell) => {
    const value = parseDecimal(cell)
    return value === undefined || Number.isNaN(value) ? undefined : value
  },
  encode: (value) => (value === undefined ? "" : formatDecimal(value))
}).annotations({ identifier: "CsvDecimal" })
