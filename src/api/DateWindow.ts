/**
 * The `start_date`/`end_date` window of a list (ros-ocp-backend.md §5.4): `YYYY-MM-DD` days in UTC, the end day
 * included. Recommendation lists default to the current month so far (upstream: from the first of the month, UTC,
 * to now); a malformed day, or a start after the end, is a 400 naming the parameter.
 */
import { Either } from "effect"
import { InvalidParameter } from "../../schema/api/ApiFailure.js"

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/
const DAY_MS = 86_400_000

/** Rows with `from <= time < until`; an absent bound does not limit. */
export interface DateWindow {
  readonly from: Date | undefined
  readonly until: Date | undefined
}

const parseDay = (parameter: string, raw: string): Either.Either<Date, InvalidParameter> => {
  const match = DAY.exec(raw)
  const invalid = new InvalidParameter({ parameter, message: `invalid ${parameter} format, use YYYY-MM-DD` })
  if (match === null) return Either.left(invalid)
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  const date = new Date(Date.UTC(year, month - 1, day))
  // Date.UTC rolls 2023-02-30 over to March; Go's time.Parse refuses it, and so do we.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
    ? Either.right(date)
    : Either.left(invalid)
}

export const startOfMonthUtc = (now: Date): Date => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1))

export interface WindowDefaults {
  /** Recommendation lists start at the first day of the current month; others are unbounded. */
  readonly currentMonth: boolean
}

export const parseDateWindow = (
  start: string | undefined,
  end: string | undefined,
  now: Date,
  defaults: WindowDefaults
): Either.Either<DateWindow, InvalidParameter> =>
  Either.gen(function* () {
    const from =
      start === undefined || start === ""
        ? defaults.currentMonth
          ? startOfMonthUtc(now)
          : undefined
        : yield* parseDay("start_date", start)
    const endDay = end === undefined || end === "" ? undefined : yield* parseDay("end_date", end)
    if (from !== undefined && endDay !== undefined && from.getTime() > endDay.getTime()) {
      return yield* Either.left(
        new InvalidParameter({ parameter: "start_date", message: "start_date must not be after end_date" })
      )
    }
    const until = endDay !== undefined ? new Date(endDay.getTime() + DAY_MS) : defaults.currentMonth ? now : undefined
    return { from, until }
  })
