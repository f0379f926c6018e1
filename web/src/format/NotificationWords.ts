/**
 * Recommendation notifications in plain words (Kruize's codes, kruize.md §4). The API's own message is kept
 * for codes this page does not know.
 */
import type { Notification, Notifications } from "../api/RecommendationTypes"

const words: Readonly<Record<number, string>> = {
  111000: "Recommendations are available.",
  111101: "A short-term recommendation is available.",
  111102: "A medium-term recommendation is available.",
  111103: "A long-term recommendation is available.",
  112101: "The cost recommendation is available.",
  112102: "The performance recommendation is available.",
  120001: "There is not enough usage data yet for this recommendation.",
  221001: "The number of pods was reported as zero.",
  221002: "The number of pods was reported as negative.",
  223001: "The current CPU request or limit is not set.",
  223002: "The current CPU amount is not valid.",
  224001: "The current memory request or limit is not set.",
  224002: "The current memory amount is not valid.",
  323001: "CPU usage is below one millicore, so there is no CPU recommendation.",
  323002: "CPU usage is zero, so there is no CPU recommendation.",
  323004: "The CPU request already fits: no change needed.",
  323005: "The CPU limit already fits: no change needed.",
  324001: "Memory usage is zero, so there is no memory recommendation.",
  324003: "The memory request already fits: no change needed.",
  324004: "The memory limit already fits: no change needed."
}

export type Severity = "info" | "notice" | "warning" | "error" | "critical"

const severities: ReadonlyArray<Severity> = ["info", "notice", "warning", "error", "critical"]

export interface NotificationLine {
  readonly code: string
  readonly severity: Severity
  readonly text: string
}

const severityOf = (type: string | undefined): Severity => {
  const lower = (type ?? "").toLowerCase()
  return severities.find((s) => s === lower) ?? "info"
}

const lineOf = (key: string, notification: Notification): NotificationLine => {
  const code = notification.code ?? Number(key)
  return {
    code: String(code),
    severity: severityOf(notification.type),
    text: words[code] ?? notification.message ?? `Notice ${code}.`
  }
}

/** The notifications of one level, most severe first. */
export const notificationLines = (notifications: Notifications | null | undefined): ReadonlyArray<NotificationLine> =>
  Object.entries(notifications ?? {})
    .map(([key, notification]) => lineOf(key, notification))
    .sort((a, b) => severities.indexOf(b.severity) - severities.indexOf(a.severity) || a.code.localeCompare(b.code))
