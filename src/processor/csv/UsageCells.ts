/**
 * The float cells of a row, parsed in one sweep, with the verdict of the usage check (ros-ocp-backend.md §2.4 rule
 * 1: every usage cell must be a number ≥ 0; zero is fine).
 */
import { parseDecimal } from "../../../schema/ros/CsvDecimal.js"
import type { DropReason } from "../../../schema/ros/RowCounts.js"
import type { CsvRecord } from "./CsvRecordReader.js"

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
    const value = parseDecimal(record[floatAt[i]!]!)
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
