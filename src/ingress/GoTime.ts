/**
 * Times as Go's `encoding/json` writes a `time.Time` in UTC (RFC 3339 with up to nine fractional digits, trailing
 * zeros dropped, `Z`): the `timestamp` and `stale_timestamp` of the announce message (ingress-koku-sources.md A.9).
 */

const NANOS_PER_SECOND = 1_000_000_000n

/** `epochNanos` (non-negative) as Go's RFC3339Nano in UTC, e.g. `2025-01-01T10:00:00.12345Z`. */
export const formatGoTime = (epochNanos: bigint): string => {
  const seconds = epochNanos / NANOS_PER_SECOND
  const fraction = epochNanos % NANOS_PER_SECOND
  // toISOString gives `YYYY-MM-DDTHH:MM:SS.mmmZ`; keep the part up to the seconds.
  const whole = new Date(Number(seconds * 1000n)).toISOString().slice(0, 19)
  const digits = fraction.toString().padStart(9, "0").replace(/0+$/, "")
  return digits === "" ? `${whole}Z` : `${whole}.${digits}Z`
}

/** Go's `AddDate(0, 0, days)` in UTC: whole days, no daylight saving to skip. */
export const addDays = (epochNanos: bigint, days: number): bigint =>
  epochNanos + BigInt(days) * 86_400n * NANOS_PER_SECOND
