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

const write = (value: unknown, indent: string, depth: number): string | undefined => {
  switch (typeof value) {
    case "number":
      return plainDecimal(value)
    case "string":
    case "boolean":
      return JSON.stringify(value)
    case "undefined":
    case "function":
    case "symbol":
      return undefined
    case "bigint":
      return value.toString()
  }
  if (typeof value !== "object" || value === null) return "null"
  const inner = indent === "" ? "" : `\n${indent.repeat(depth + 1)}`
  const outer = indent === "" ? "" : `\n${indent.repeat(depth)}`
  const colon = indent === "" ? ":" : ": "
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]"
    const items = value.map((item: unknown) => write(item, indent, depth + 1) ?? "null")
    return `[${inner}${items.join(`,${inner}`)}${outer}]`
  }
  const members: Array<string> = []
  for (const [key, member] of Object.entries(value)) {
    const written = write(member, indent, depth + 1)
    if (written !== undefined) members.push(`${JSON.stringify(key)}${colon}${written}`)
  }
  if (members.length === 0) return "{}"
  return `{${inner}${members.join(`,${inner}`)}${outer}}`
}

/** `JSON.stringify` with plain decimal numbers; `indent` spaces per level (0 = compact). */
export const toPlainJson = (value: unknown, indent = 0): string => write(value, " ".repeat(indent), 0) ?? "null"

const encodeResponse = Schema.encodeSync(ListRecommendationsResponse)

/**
 * The body of `listRecommendations` / `updateRecommendations`: validated against the schema (throws a ParseError on a
 * malformed value, e.g. a NaN amount), keys in §4 order, plain decimals.
 */
export const encodeListRecommendations = (response: ListRecommendationsResponse, indent = 0): string =>
  toPlainJson(encodeResponse(response), indent)
