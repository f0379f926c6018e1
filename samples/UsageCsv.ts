/**
 * samples/ros-ocp-usage.csv: the ROS container CSV (37 columns, as operator v4.1 writes it) of the default sample,
 * cut to its first hours so the checked-in file stays small. The rows are the default sample's own (same seed, same
 * 9-day model, so the restart and rollout fall where they do in samples/cost-mgmt.tar.gz): the file is exactly the
 * head of that tarball's container CSV, up to the first window of hour `hours`.
 */
import { reportFiles } from "./OperatorPayload.js"
import {
  containerColumns,
  containerCsvLine,
  containerRows,
  csvLine,
  type SampleOptions,
  sampleOptions,
  WINDOWS_PER_DAY,
  window
} from "./SampleData.js"

/** 12 hours of 15-minute windows: 48 points per container (Kruize's short term needs 2), about 0.8 MB. */
export const DefaultUsageHours = 12

/** The container CSV text of `options`' first `hours` hours (defaults: the default sample, 12 hours). */
export const usageCsv = (options: SampleOptions = sampleOptions(), hours: number = DefaultUsageHours): string => {
  const windows = hours * (WINDOWS_PER_DAY / 24)
  if (!Number.isInteger(hours) || hours < 1 || windows > options.days * WINDOWS_PER_DAY) {
    throw new RangeError(`hours must be an integer in 1..${options.days * 24}, got ${hours}`)
  }
  const kept = new Set(Array.from({ length: windows }, (_, i) => window(options, i).intervalStart))
  const rows = containerRows(options).filter((row) => kept.has(row.interval_start))
  return csvLine(containerColumns(options.layout)) + rows.map((row) => containerCsvLine(row, options.layout)).join("")
}

/** The full container CSV of `options` as it goes into the tarball (first month's file), to compare a head with. */
export const tarballContainerCsv = (options: SampleOptions = sampleOptions()): string => {
  const file = reportFiles(options).find((f) => f.localName.startsWith("ros-openshift-container-"))
  if (file === undefined) throw new Error("the sample has no ROS container report")
  return file.content
}
