/**
 * JSON text exactly as Python's `json.dumps(value)` writes it with its defaults, which is what koku puts on
 * hccm.ros.events: `", "` between items, `": "` between a key and its value, keys in insertion order, and
 * `ensure_ascii=True`, so every character outside printable ASCII (space to `~`) is a `\uXXXX` escape (lower-case
 * hex, UTF-16 code units, as Python writes surrogate pairs). Only what such messages hold is supported: strings,
 * finite numbers, booleans, null, arrays and plain objects.
 */

export type PythonJsonValue =
  | string
  | number
  | boolean
  | null
  | ReadonlyArray<PythonJsonValue>
  | { readonly [key: string]: PythonJsonValue }

const escapeChar = (c: string): string => {
  switch (c) {
    case '"':
      return '\\"'
    case "\\":
      return "\\\\"
    case "\n":
      return "\\n"
    case "\r":
      return "\\r"
    case "\t":
      return "\\t"
    case "\b":
      return "\\b"
    case "\f":
      return "\\f"
    default:
      return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`
  }
}

/** Python's `py_encode_basestring_ascii`: `"` and `\` escaped, anything not in U+0020..U+007E as `\uXXXX`. */
export const pythonJsonString = (s: string): string => `"${s.replace(/["\\]|[^\x20-\x7e]/g, escapeChar)}"`

const pythonNumber = (n: number): string => {
  if (!Number.isFinite(n)) throw new RangeError(`Python json.dumps would write ${n} as a non-JSON literal`)
  // Integers print alike; floats differ only in exponent style, which koku's messages never contain.
  return Number.isInteger(n) ? n.toFixed(0) : String(n)
}

export const pythonJsonDumps = (value: PythonJsonValue): string => {
  if (value === null) return "null"
  if (typeof value === "string") return pythonJsonString(value)
  if (typeof value === "number") return pythonNumber(value)
  if (typeof value === "boolean") return value ? "true" : "false"
  if (Array.isArray(value)) return `[${value.map((item: PythonJsonValue) => pythonJsonDumps(item)).join(", ")}]`
  const entries = Object.entries(value as { readonly [key: string]: PythonJsonValue })
  return `{${entries.map(([key, item]) => `${pythonJsonString(key)}: ${pythonJsonDumps(item)}`).join(", ")}}`
}
