/**
 * Server-side paging: rows per page, where we are, previous and next.
 */
import { pageSizes } from "../route/Route"

export const Pager = ({
  count,
  limit,
  offset,
  onPage,
  onLimit
}: {
  readonly count: number
  readonly limit: number
  readonly offset: number
  readonly onPage: (offset: number) => void
  readonly onLimit: (limit: number) => void
}) => {
  const pages = Math.max(1, Math.ceil(count / limit))
  const page = Math.min(pages, Math.floor(offset / limit) + 1)
  const first = count === 0 ? 0 : offset + 1
  const last = Math.min(count, offset + limit)
  return (
    <nav class="pager" aria-label="Pages">
      <div class="field inline">
        <label for="page-size">Rows per page</label>
        <select id="page-size" value={String(limit)} onChange={(event) => onLimit(Number(event.currentTarget.value))}>
          {pageSizes.map((size) => (
            <option key={size} value={String(size)}>
              {size}
            </option>
          ))}
        </select>
      </div>
      <p class="range" aria-live="polite">
        {first}–{last} of {count.toLocaleString()} · page {page} of {pages}
      </p>
      <div class="actions">
        <button type="button" onClick={() => onPage(0)} disabled={offset === 0} aria-label="First page">
          «
        </button>
        <button type="button" onClick={() => onPage(Math.max(0, offset - limit))} disabled={offset === 0}>
          Previous
        </button>
        <button type="button" onClick={() => onPage(offset + limit)} disabled={offset + limit >= count}>
          Next
        </button>
        <button
          type="button"
          onClick={() => onPage((pages - 1) * limit)}
          disabled={offset + limit >= count}
          aria-label="Last page"
        >
          »
        </button>
      </div>
    </nav>
  )
}
