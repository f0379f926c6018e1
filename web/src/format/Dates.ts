/**
 * Timestamps in the reader's locale, and dates as the API's YYYY-MM-DD.
 */

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" })
const dayAndTime = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23"
})

export const formatDateTime = (iso: string | undefined): string => {
  if (iso === undefined || iso === "") return "—"
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

export const formatShortDate = (date: Date): string => dayAndTime.format(date)

/** The API's date format, in UTC. */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10)

export const isIsoDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value)
