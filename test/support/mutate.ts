/**
 * Replaces the value at a path of a JSON value, for property tests that alter valid documents: each
 * step picks an array element or an object member by index, modulo its size.
 */
export const mutate = (value: unknown, path: ReadonlyArray<number>, replacement: unknown): unknown => {
  if (path.length === 0) return replacement
  const [step, ...rest] = path
  if (Array.isArray(value) && value.length > 0) {
    const i = step! % value.length
    return value.map((v, j) => (j === i ? mutate(v, rest, replacement) : v))
  }
  if (typeof value === "object" && value !== null) {
    const keys = Object.keys(value)
    if (keys.length === 0) return value
    const key = keys[step! % keys.length]!
    return { ...value, [key]: mutate((value as Record<string, unknown>)[key], rest, replacement) }
  }
  return replacement
}
