/**
 * Kruize's notification catalogue (kruize.md §3.11, `RecommendationConstants.java`): every code the studied commit
 * defines, with its exact type and message, including the ones this engine never emits (accelerators, runtimes,
 * 221003/221004, 323003, 324002) so a stored or upstream response can be interpreted.
 */
import type {
  NotificationMap,
  NotificationType,
  RecommendationNotification
} from "../../../schema/kruize/Recommendation.js"

const catalogue = {
  111000: ["info", "Recommendations Are Available"],
  111101: ["info", "Short Term Recommendations Available"],
  111102: ["info", "Medium Term Recommendations Available"],
  111103: ["info", "Long Term Recommendations Available"],
  112101: ["info", "Cost Recommendations Available"],
  112102: ["info", "Performance Recommendations Available"],
  112103: ["info", "Model Recommendations Available"],
  112104: ["info", "Runtimes Recommendations Available"],
  120001: ["info", "There is not enough data available to generate a recommendation."],
  128001: ["info", "Accelerator Recommendations are available"],
  221001: ["error", "Number of pods cannot be zero"],
  221002: ["error", "Number of pods cannot be negative"],
  221003: ["error", "Duration hours cannot be zero"],
  221004: ["error", "Duration hours cannot be negative"],
  223001: ["error", "Amount field is missing in the CPU Section"],
  223002: ["error", "Invalid Amount in CPU Section"],
  223003: ["error", "Format field is missing in CPU Section"],
  223004: ["error", "Invalid Format in CPU Section"],
  224001: ["error", "Amount field is missing in the Memory Section"],
  224002: ["error", "Invalid Amount in Memory Section"],
  224003: ["error", "Format field is missing in Memory Section"],
  224004: ["error", "Invalid Format in Memory Section"],
  323001: ["notice", "CPU Usage is less than a millicore, No CPU Recommendations can be generated"],
  323002: ["notice", "CPU usage is zero, No CPU Recommendations can be generated"],
  323003: ["notice", "CPU metrics are not available, No CPU Recommendations can be generated"],
  323004: ["notice", "Workload is optimised wrt CPU REQUESTS, no changes needed"],
  323005: ["notice", "Workload is optimised wrt CPU LIMITS, no changes needed"],
  324001: ["notice", "Memory Usage is zero, No Memory Recommendations can be generated"],
  324002: ["notice", "Memory metrics are not available, No Memory Recommendations can be generated"],
  324003: ["notice", "Workload is optimised wrt MEMORY REQUESTS, no changes needed"],
  324004: ["notice", "Workload is optimised wrt MEMORY LIMITS, no changes needed"],
  328001: ["notice", "Accelerator is not supported by kruize"],
  423001: ["warning", "CPU Limit Not Set"],
  523001: ["critical", "CPU Request Not Set"],
  524001: ["critical", "Memory Request Not Set"],
  524002: ["critical", "Memory Limit Not Set"]
} as const satisfies Record<number, readonly [NotificationType, string]>

export type NotificationCode = keyof typeof catalogue

const build = (code: NotificationCode): RecommendationNotification => {
  const [type, message] = catalogue[code]
  return Object.freeze({ type, message, code })
}

/** One frozen object per code, shared by every response (they are never mutated). */
export const Notifications: { readonly [K in NotificationCode]: RecommendationNotification } = Object.freeze(
  Object.fromEntries(
    (Object.keys(catalogue) as ReadonlyArray<`${NotificationCode}`>).map((key) => {
      const code = Number(key) as NotificationCode
      return [code, build(code)]
    })
  ) as { [K in NotificationCode]: RecommendationNotification }
)

export const NOTIFICATION_CODES: ReadonlyArray<NotificationCode> = Object.keys(catalogue).map(
  (key) => Number(key) as NotificationCode
)

/** A notification map keyed by the code as a string; repeated codes collapse (Kruize keeps the first). */
export const notificationMap = (codes: Iterable<NotificationCode>): NotificationMap => {
  const map: Record<string, RecommendationNotification> = {}
  for (const code of codes) {
    const key = String(code)
    if (!(key in map)) map[key] = Notifications[code]
  }
  return map
}
