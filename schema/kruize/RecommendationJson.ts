/**
 * Serialiser for the recommendation responses of `Recommendation.ts`.
 *
 * Kruize prints numbers with Java's `Double.toString` (`5.36870912E8`, `2.0`); we print the same binary64 values as
 * plain decimals (`536870912`, `2`), never in exponent form (design.md §7): JSON readers get identical numbers. Keys
 * come out in the order of the schema fields because the value is encoded through the schema first.
 */
import { Schema } from "effect"
import { ListRecommendationsResponse } from "./Recommendation.js"

/**
 * The shortest round-trip decimal of `n` (as `String(n)`), rewritten without an exponent: `1e-7` → `"0.0000001"`,
 * `1e+21` → `"1000000000000000000000"`, `-0` → `"0"`. Non-finite numbers give `"null"`, as in `JSON.stringify`.
 */
export const plainDecimal = (n: number): string => {
  if (!Number.isFinite(n)) return "null"
  const shortest = String(n)
  const e = shortest.indexOf("e")
  if (e < 0) return shortest
  const negative = shortest.startsWith("-")
  const mantissa = shortest.slice(negative ? 1 : 0, e)
  const exponent = Number(shortest.slice(e + 1))
  const dot = mantissa.indexOf(".")
  const digits = dot < 0 ? mantissa : mantissa.slice(0, dot) + mantissa.slice(dot + 1)
  // position of the decimal point inside `digits` once the exponent is applied
  const point = (dot < 0 ? mantissa.length : dot) + exponent
  const body =
    point <= 0
      ? `0.${"0".repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + "0".repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`
  return negative ? `-${body}` : body
}

/**
 * A number in exponent form somewhere in a JSON text (or a string that looks like one: checked again below). The
 * serializer always writes the exponent's sign (`1e+21`, `1e-7`), so hex digits such as a cluster UUID's `5e2` do not
 * make every text go through the scan.
 */
const EXPONENT = /[0-9]e[-+][0-9]/

/** `text` (JSON) with every number written in exponent form rewritten as a plain decimal; strings are left alone. */
const plainNumbers = (text: string): string => {
  let out = ""
  let copied = 0
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 34 /* " */) {
      // skip the string, escapes included
      i++
      while (i < text.length) {
        const d = text.charCodeAt(i)
        if (d === 92 /* \ */) i += 2
        else if (d === 34) break
        else i++
      }
      i++
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      const start = i
      let exponent = false
      while (i < text.length) {
        const d = text.charCodeAt(i)
        if (d === 101 || d === 69) exponent = true
        else if (!(d === 45 || d === 43 || d === 46 || (d >= 48 && d <= 57))) break
        i++
      }
      if (exponent) {
        out += text.slice(copied, start) + plainDecimal(Number(text.slice(start, i)))
        copied = i
      }
    } else i++
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/**
 * `JSON.stringify` with plain decimal numbers; `indent` spaces per level (0 = compact). The native serializer does
 * the work; only a text that holds an exponent is scanned again.
 */
export const toPlainJson = (value: unknown, indent = 0): string => {
  const text: string | undefined = JSON.stringify(value, null, indent)
  if (text === undefined) return "null"
  return EXPONENT.test(text) ? plainNumbers(text) : text
}

const encodeResponse = Schema.encodeSync(ListRecommendationsResponse)

/**
 * The body of `listRecommendations` / `updateRecommendations`: validated against the schema (throws a ParseError on a
 * malformed value, e.g. a NaN amount), keys in §4 order, plain decimals.
 */
export const encodeListRecommendations = (response: ListRecommendationsResponse, indent = 0): string =>
  toPlainJson(encodeResponse(response), indent)
