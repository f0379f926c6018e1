/**
 * The float cells of a row, parsed in one sweep, with the verdict of the usage check (ros-ocp-backend.md §2.4 rule
 * 1: every usage cell must be a number ≥ 0; zero is fine).
 */
import { parseDecimal } from "../../../schema/ros/CsvDecimal.js"
import type { DropReason } from "../../../schema/ros/RowCounts.js"
import type { CsvRecord } from "./CsvRecordReader.js"

/** 10^0 … 10^15, written out: each is exact in a double. */
const POWERS_OF_TEN = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * `parseDecimal`, with a fast path for what the operator writes: an optional minus, at most 15 digits and at most
 * one point (`109263085.945585`). Those digits make an integer below 2^53 and the power of ten is exact, so the
 * one division rounds correctly and gives the same double as `Number(cell)`. Anything else goes to `parseDecimal`.
 */
export const readDecimal = (cell: string): number | undefined => {
  const n = cell.length
  if (n === 0) return undefined
  let i = 0
  let negative = false
  if (cell.charCodeAt(0) === 45) {
    negative = true
    i = 1
  }
  let mantissa = 0
  let digits = 0
  let point = -1
  for (; i < n; i++) {
    const c = cell.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48)
      digits++
    } else if (c === 46 && point === -1) {
      point = digits
    } else {
      return parseDecimal(cell)
    }
  }
  if (digits === 0 || digits > 15) return parseDecimal(cell)
  const value = point === -1 || point === digits ? mantissa : mantissa / POWERS_OF_TEN[digits - point]!
  return negative ? -value : value
}

const MISSING = 1
const INVALID = 2
const NEGATIVE = 4

/**
 * Parses `record[floatAt[i]]` into `into[i]` (NaN when empty or unparsable) and returns a bit set of what is wrong
 * with the cells flagged in `usageMask`: 0 when they are all numbers ≥ 0.
 */
export const parseUsageCells = (
  record: CsvRecord,
  floatAt: Int32Array,
  usageMask: Uint8Array,
  into: Float64Array
): number => {
  let problems = 0
  for (let i = 0; i < floatAt.length; i++) {
    const value = readDecimal(record[floatAt[i]!]!)
    if (value === undefined) {
      into[i] = Number.NaN
      if (usageMask[i] === 1) problems |= MISSING
    } else {
      into[i] = value
      if (usageMask[i] === 1) {
        if (Number.isNaN(value)) problems |= INVALID
        else if (value < 0) problems |= NEGATIVE
      }
    }
  }
  return problems
}

/** One reason per dropped row: a missing cell outranks an unparsable one, which outranks a negative one. */
export const usageDropReason = (problems: number): DropReason =>
  problems & MISSING ? "missing_usage" : problems & INVALID ? "invalid_usage" : "negative_usage"
