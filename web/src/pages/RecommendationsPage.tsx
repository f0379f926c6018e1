/**
 * The container list: filters, term and engine, the table, and paging, all read from and written to the address.
 */
import { listContainers } from "../api/RosClient"
import { ErrorNotice } from "../components/ErrorNotice"
import { ViewChoiceControls } from "../components/ViewChoiceControls"
import { formatRoute, type ListState, type Route } from "../route/Route"
import { useRemote } from "../useRemote"
import { FiltersForm } from "./FiltersForm"
import { Pager } from "./Pager"
import { RecommendationsTable } from "./RecommendationsTable"

/** The API's own default start is the first of the current month; "any date" asks from the epoch. */
const ANY_DATE = "1970-01-01"

export const RecommendationsPage = ({
  list,
  navigate,
  orgId
}: {
  readonly list: ListState
  readonly navigate: (next: Route) => void
  readonly orgId: string
}) => {
  const query = {
    filters: list.filters,
    orderBy: list.orderBy,
    orderHow: list.orderHow,
    limit: list.limit,
    offset: list.offset,
    startDate: list.startDate === "" ? ANY_DATE : list.startDate
  }
  const key = formatRoute({ page: "recommendations", list: { ...list, term: "short_term", engine: "cost" } })
  const remote = useRemote(key, (signal) => listContainers(query, orgId, signal))
  const go = (changes: Partial<ListState>) => navigate({ page: "recommendations", list: { ...list, ...changes } })
  const filtered = Object.keys(list.filters).length > 0 || list.startDate !== ""
  const count = remote.data?.meta.count ?? 0

  return (
    <section aria-labelledby="list-title">
      <h1 id="list-title">Container recommendations</h1>
      <p id="list-caption" class="lede">
        Current and recommended CPU and memory requests per container. A negative change (
        <span class="variation variation-over">▼ over-provisioned</span>) frees resources; a positive one (
        <span class="variation variation-under">▲ under-provisioned</span>) asks for more.
      </p>
      <FiltersForm
        key={JSON.stringify([list.filters, list.startDate])}
        list={list}
        onApply={(filters, startDate) => go({ filters, startDate, offset: 0 })}
      />
      <ViewChoiceControls idPrefix="list" view={list} onChange={(view) => go(view)} />
      {remote.error !== undefined ? (
        <ErrorNotice title="Recommendations could not be loaded." message={remote.error} />
      ) : remote.data === undefined ? (
        <p class="loading" role="status">
          Loading recommendations…
        </p>
      ) : (
        <>
          <p class="count" role="status">
            {count === 1 ? "1 container" : `${count.toLocaleString()} containers`}
            {remote.busy ? " (updating…)" : ""}
          </p>
          {remote.data.data.length === 0 ? (
            <p class="empty">
              {filtered
                ? "No recommendations match these filters."
                : `No recommendations yet for org ${orgId}. Once an upload of this org is processed (see Uploads), they appear here.`}
            </p>
          ) : (
            <RecommendationsTable
              items={remote.data.data}
              list={list}
              busy={remote.busy}
              onSort={(orderBy, orderHow) => go({ orderBy, orderHow, offset: 0 })}
            />
          )}
          <Pager
            count={count}
            limit={list.limit}
            offset={list.offset}
            onPage={(offset) => go({ offset })}
            onLimit={(limit) => go({ limit, offset: 0 })}
          />
        </>
      )}
    </section>
  )
}
