/**
 * The date the partition job passes to `drop_ros_partition` (spec ros-ocp-backend §4.3), computed as upstream's
 * `tablePartitionCleaner.go` does: t = now − DATA_RETENTION_PERIOD days; when t's day of the month is before the
 * 15th, the 16th of the month before t's; otherwise the 1st of t's month. Partitions are half months (the 1st and
 * the 16th), and the function drops every one whose lower bound is before this date, so no row younger than t is
 * ever dropped, and at most one half month older than t is kept.
 *
 * The spec's prose (§4.3) states the two branches the other way round; upstream's code, quoted in its own comment
 * ("less than 15th ⇒ before 16th of the previous month, else the 1st of the current month"), is what this follows.
 * Unlike upstream (the process's local time zone), every step is in UTC, like the partition bounds.
 */

const DAY_MS = 24 * 60 * 60 * 1000

const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10)

/** `YYYY-MM-DD`: partitions whose lower bound is before it may be dropped. */
export const partitionCutoff = (nowMs: number, retentionDays: number): string => {
  const threshold = new Date(nowMs - retentionDays * DAY_MS)
  const year = threshold.getUTCFullYear()
  const month = threshold.getUTCMonth()
  // Date.UTC carries month −1 into December of the year before, as Go's time.Date does.
  return threshold.getUTCDate() < 15 ? isoDate(Date.UTC(year, month - 1, 16)) : isoDate(Date.UTC(year, month, 1))
}
