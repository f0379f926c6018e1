/**
 * One page of container recommendations: who the container is, and for the chosen term and engine its current
 * and recommended CPU and memory requests with the change. Column headers sort on the server.
 */
import type { ContainerRecommendation, ContainerSortKey } from "../api/RecommendationTypes"
import { VariationBadge } from "../components/VariationBadge"
import { formatDateTime } from "../format/Dates"
import { formatQuantity, type Resource } from "../format/Quantity"
import { cellOf, clusterName } from "../format/RecommendationView"
import { termSortKey } from "../format/Terms"
import { formatRoute, type ListState } from "../route/Route"

interface Column {
  readonly label: string
  /** The API's `order_by` key; none: not sortable. */
  readonly sort?: ContainerSortKey
  /** The first click sorts this way. */
  readonly firstHow?: "asc" | "desc"
  readonly numeric?: boolean
}

const columnsFor = (list: ListState): ReadonlyArray<Column> => {
  const suffix = `${termSortKey[list.term]}_${list.engine}` as const
  return [
    { label: "Container", sort: "container", firstHow: "asc" },
    { label: "Workload", sort: "workload", firstHow: "asc" },
    { label: "Type", sort: "workload_type", firstHow: "asc" },
    { label: "Project", sort: "project", firstHow: "asc" },
    { label: "Cluster", sort: "cluster", firstHow: "asc" },
    { label: "CPU request", sort: "cpu_request_current", firstHow: "desc", numeric: true },
    { label: "CPU recommended", numeric: true },
    { label: "CPU change", sort: `cpu_variation_${suffix}`, firstHow: "asc", numeric: true },
    { label: "Memory request", sort: "memory_request_current", firstHow: "desc", numeric: true },
    { label: "Memory recommended", numeric: true },
    { label: "Memory change", sort: `memory_variation_${suffix}`, firstHow: "asc", numeric: true },
    { label: "Last reported", sort: "last_reported", firstHow: "desc" }
  ]
}

const SortHeader = ({
  column,
  list,
  onSort
}: {
  readonly column: Column
  readonly list: ListState
  readonly onSort: (orderBy: string, orderHow: "asc" | "desc") => void
}) => {
  const className = column.numeric === true ? "num" : undefined
  if (column.sort === undefined) {
    return (
      <th scope="col" class={className}>
        {column.label}
      </th>
    )
  }
  const sortKey = column.sort
  const active = list.orderBy === sortKey
  const next = active ? (list.orderHow === "asc" ? "desc" : "asc") : (column.firstHow ?? "asc")
  return (
    <th
      scope="col"
      class={className}
      aria-sort={active ? (list.orderHow === "asc" ? "ascending" : "descending") : "none"}
    >
      <button type="button" class="sort" onClick={() => onSort(sortKey, next)}>
        {column.label}
        <span class="sort-mark" aria-hidden="true">
          {active ? (list.orderHow === "asc" ? "▲" : "▼") : "↕"}
        </span>
        <span class="visually-hidden">, sort {next === "asc" ? "ascending" : "descending"}</span>
      </button>
    </th>
  )
}

const ResourceCells = ({
  item,
  list,
  resource
}: {
  readonly item: ContainerRecommendation
  readonly list: ListState
  readonly resource: Resource
}) => {
  const cell = cellOf(item.recommendations, list, "requests", resource)
  return (
    <>
      <td class="num">{formatQuantity(resource, cell.current)}</td>
      <td class="num">{cell.recommended === undefined ? "—" : formatQuantity(resource, cell.recommended)}</td>
      <td class="num">
        <VariationBadge variation={cell.variation} />
      </td>
    </>
  )
}

export const RecommendationsTable = ({
  items,
  list,
  busy,
  onSort
}: {
  readonly items: ReadonlyArray<ContainerRecommendation>
  readonly list: ListState
  readonly busy: boolean
  readonly onSort: (orderBy: string, orderHow: "asc" | "desc") => void
}) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
  <section class="table-scroll" aria-label="Container recommendations" tabIndex={0}>
    <table class="data" aria-busy={busy} aria-describedby="list-caption">
      <thead>
        <tr>
          {columnsFor(list).map((column) => (
            <SortHeader key={column.label} column={column} list={list} onSort={onSort} />
          ))}
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.id} data-id={item.id}>
            <th scope="row">
              <a href={formatRoute({ page: "recommendation", id: item.id, view: list })}>{item.container}</a>
            </th>
            <td>{item.workload}</td>
            <td>{item.workload_type}</td>
            <td>{item.project}</td>
            <td class="ellipsis" title={item.cluster_uuid}>
              {clusterName(item)}
            </td>
            <ResourceCells item={item} list={list} resource="cpu" />
            <ResourceCells item={item} list={list} resource="memory" />
            <td>{formatDateTime(item.last_reported)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </section>
)
