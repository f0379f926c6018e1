/**
 * The recommendation's notifications in words, at every level: the whole recommendation, each term, each engine.
 */
import { engines, type RecommendationData, terms } from "../api/RecommendationTypes"
import { type NotificationLine, notificationLines } from "../format/NotificationWords"
import { engineWords, termWords } from "../format/Terms"

interface Group {
  readonly where: string
  readonly lines: ReadonlyArray<NotificationLine>
}

const groupsOf = (data: RecommendationData): ReadonlyArray<Group> => {
  const groups: Array<Group> = [{ where: "This recommendation", lines: notificationLines(data.notifications) }]
  for (const term of terms) {
    const recommendation = data.recommendation_terms?.[term]
    if (recommendation === undefined) continue
    const termLines = notificationLines(recommendation.notifications)
    const noEngines = Object.keys(recommendation.recommendation_engines ?? {}).length === 0
    groups.push({
      where: termWords[term],
      lines:
        noEngines && termLines.length === 0
          ? [{ code: "120001", severity: "info", text: "There is not enough usage data yet for this term." }]
          : termLines
    })
    for (const engine of engines) {
      groups.push({
        where: `${termWords[term]}, ${engineWords[engine]}`,
        lines: notificationLines(recommendation.recommendation_engines?.[engine]?.notifications)
      })
    }
  }
  return groups.filter((group) => group.lines.length > 0)
}

export const NotificationsPanel = ({ data }: { readonly data: RecommendationData }) => {
  const groups = groupsOf(data)
  return (
    <section class="card" aria-labelledby="notifications-title">
      <h2 id="notifications-title">Notifications</h2>
      {groups.length === 0 ? (
        <p class="muted">No notifications.</p>
      ) : (
        <dl class="notifications">
          {groups.map((group) => (
            <div key={group.where}>
              <dt>{group.where}</dt>
              {group.lines.map((line) => (
                <dd key={line.code} class={`severity-${line.severity}`}>
                  <span class="severity">{line.severity}</span> {line.text} <span class="code">(code {line.code})</span>
                </dd>
              ))}
            </div>
          ))}
        </dl>
      )}
    </section>
  )
}
