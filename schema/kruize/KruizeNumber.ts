/**
 * Numbers in request bodies. Kruize's `/updateResults` Gson registers a custom `Double`/`Integer` deserializer that
 * takes JSON numbers or numeric strings (ROS sends every aggregate as a string); `""` and non-numeric strings reject
 * the whole request with the messages below (kruize.md §1, "Numbers in"). Numeric strings follow Java's
 * `Double.parseDouble`, so `"NaN"`, `"Infinity"`, `" 4.4 "` and `"4.4d"` parse; such values are rejected later, per
 * record, by the value checks (§2.6 step 7).
 */
import { Either, ParseResult, Schema } from "effect"
import { KruizeMessages } from "./KruizeMessages.js"

// FloatingDecimal.readJavaFormatString, decimal forms only (hex floats are not used by any client).
const javaDouble = /^[+-]?(?:NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[fFdD]?)$/

// String.trim() drops every char <= U+0020, not only whitespace.
const javaTrim = (s: string) => {
  let start = 0
  let end = s.length
  while (start < end && s.charCodeAt(start) <= 0x20) start++
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--
  return s.slice(start, end)
}

/** `Double.parseDouble`: the number, or the exception message Kruize echoes. */
export const parseJavaDouble = (text: string): Either.Either<number, string> => {
  const trimmed = javaTrim(text)
  if (trimmed.length === 0) return Either.left(KruizeMessages.aggregationInfoInvalidValue)
  if (!javaDouble.test(trimmed)) return Either.left(KruizeMessages.numberFormat(trimmed))
  const unsigned = trimmed.replace(/^[+-]/, "")
  const sign = trimmed.startsWith("-") ? -1 : 1
  if (unsigned === "NaN") return Either.right(Number.NaN)
  if (unsigned === "Infinity") return Either.right(sign * Number.POSITIVE_INFINITY)
  return Either.right(sign * Number(unsigned.replace(/[fFdD]$/, "")))
}

// A numeric string longer than this is not a number anyone sends; echoing it back would bloat the error body.
const maxNumericStringLength = 1024

/**
 * A JSON number or a numeric string, decoded to a JS number (NaN/±Infinity included: range checks belong to the
 * validation pipeline). Failures carry the exact Kruize message as the issue message.
 */
export const KruizeNumber = Schema.transformOrFail(Schema.Unknown, Schema.Number, {
  strict: true,
  decode: (input, _, ast) => {
    if (typeof input === "number") return ParseResult.succeed(input)
    if (typeof input === "string") {
      if (input.length > maxNumericStringLength) {
        return ParseResult.fail(new ParseResult.Type(ast, input, KruizeMessages.numberFormat(`${input.slice(0, 32)}…`)))
      }
      return Either.match(parseJavaDouble(input), {
        onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, input, message)),
        onRight: (n) => ParseResult.succeed(n)
      })
    }
    return ParseResult.fail(new ParseResult.Type(ast, input, KruizeMessages.aggregationInfoInvalidValue))
  },
  encode: (n) => ParseResult.succeed(n)
}).annotations({ identifier: "KruizeNumber" })
