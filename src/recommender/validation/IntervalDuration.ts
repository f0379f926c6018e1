/**
 * The interval-length rule of `/updateResults` (kruize.md §2.6 step 8, `TimeDifferenceValidator`) and the
 * `measurement_duration` it is measured against (§2.2, `TrialSettings.getMeasurement_durationMinutes_inDouble`).
 */
import { Either, Option } from "effect"
import { parseJavaDouble } from "../../../schema/kruize/KruizeNumber.js"

/** `KruizeConstants.TimeConv.MEASUREMENT_DURATION_THRESHOLD_SECONDS` */
export const measurementDurationThresholdSeconds = 30

/**
 * `"<N>min"` → N minutes. Kruize strips the last three characters and parses the rest as a Java double, so only the
 * `min` unit works; we also require N to be a positive finite number, since every interval would fail otherwise.
 */
export const parseMeasurementDuration = (text: string): Option.Option<number> => {
  if (!text.endsWith("min")) return Option.none()
  return Either.match(parseJavaDouble(text.slice(0, -3)), {
    onLeft: () => Option.none(),
    onRight: (minutes) => (Number.isFinite(minutes) && minutes > 0 ? Option.some(minutes) : Option.none())
  })
}

/**
 * `d = floor((end − start) / 1000)` seconds is valid iff `|M·60 − 30| ≤ d ≤ M·60 + 30`; for 15 min that is
 * 870 s … 930 s inclusive.
 */
export const isValidIntervalDuration = (startMs: number, endMs: number, measurementMinutes: number): boolean => {
  const seconds = Math.floor((endMs - startMs) / 1000)
  const expected = measurementMinutes * 60
  return (
    Math.abs(expected - measurementDurationThresholdSeconds) <= seconds &&
    seconds <= expected + measurementDurationThresholdSeconds
  )
}
