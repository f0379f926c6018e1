/**
 * One container's recommendation: who it is, every term and engine side by side, the notifications, and the
 * usage charts of the chosen term and engine.
 */
import { getContainer } from "../api/RosClient"
import { ErrorNotice } from "../components/ErrorNotice"
import { ViewChoiceControls } from "../components/ViewChoiceControls"
import { formatDateTime } from "../format/Dates"
import { clusterName } from "../format/RecommendationView"
import { defaultList, formatRoute, type Route, type ViewChoice } from "../route/Route"
import { useRemote } from "../useRemote"
import { NotificationsPanel } from "./NotificationsPanel"
import { TermsComparison } from "./TermsComparison"
import { UsageCharts } from "./UsageCharts"

export const RecommendationDetailPage = ({
  id,
  view,
  navigate,
  orgId
}: {
  readonly id: string
  readonly view: ViewChoice
  readonly navigate: (next: Route) => void
  readonly orgId: string
}) => {
  const remote = useRemote(id, (signal) => getContainer(id, orgId, signal))
  const back = formatRoute({ page: "recommendations", list: { ...defaultList, ...view } })
  const item = remote.data
  return (
    <section aria-labelledby="detail-title">
      <p class="breadcrumb">
        <a href={back}>← All recommendations</a>
      </p>
      {remote.error !== undefined ? (
        <>
          <h1 id="detail-title">Recommendation</h1>
          <ErrorNotice title="This recommendation could not be loaded." message={remote.error} />
        </>
      ) : item === undefined ? (
        <>
          <h1 id="detail-title">Recommendation</h1>
          <p class="loading" role="status">
            Loading the recommendation…
          </p>
        </>
      ) : (
        <>
          <h1 id="detail-title">
            <span class="muted">Container</span> {item.container}
          </h1>
          <dl class="facts">
            <div>
              <dt>Workload</dt>
              <dd>
                {item.workload} <span class="muted">({item.workload_type})</span>
              </dd>
            </div>
            <div>
              <dt>Project</dt>
              <dd>{item.project}</dd>
            </div>
            <div>
              <dt>Cluster</dt>
              <dd title={item.cluster_uuid}>{clusterName(item)}</dd>
            </div>
            <div>
              <dt>Monitoring ended</dt>
              <dd>{formatDateTime(item.recommendations.monitoring_end_time)}</dd>
            </div>
            <div>
              <dt>Last reported</dt>
              <dd>{formatDateTime(item.last_reported)}</dd>
            </div>
          </dl>
          <ViewChoiceControls
            idPrefix="detail"
            view={view}
            onChange={(next) => navigate({ page: "recommendation", id, view: next })}
          />
          <TermsComparison data={item.recommendations} view={view} />
          <UsageCharts data={item.recommendations} view={view} />
          <NotificationsPanel data={item.recommendations} />
        </>
      )}
    </section>
  )
}
