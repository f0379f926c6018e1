/**
 * The `links` of a list (ros-ocp-backend.md §5.6): the request path with every query parameter of the request,
 * keys sorted as Go's `url.Values.Encode` sorts them, `limit` and `offset` replaced.
 *
 * Where we differ from upstream on purpose: the links point where their names say. `first` is offset 0 (upstream:
 * the current page), `last` is the last page (upstream: current offset + limit), `previous` exists from the second
 * page on (upstream: only past the second), and values stay percent-encoded, so a link always parses back to the
 * same query (upstream unescapes them, which breaks values containing `&` or `=`).
 */
import type { CollectionLinks } from "../../schema/api/Collection.js"
import type { Paging } from "./ListOptions.js"

export type QueryEntries = ReadonlyArray<readonly [string, string]>

/** Percent-encoding that keeps brackets and colons readable (`filter[exact:cluster]`). */
const encode = (text: string): string =>
  encodeURIComponent(text).replace(/%5B/gi, "[").replace(/%5D/gi, "]").replace(/%3A/gi, ":")

const linkTo = (path: string, entries: QueryEntries, limit: number, offset: number): string => {
  const kept = entries.filter(([key]) => key !== "limit" && key !== "offset")
  const all: Array<readonly [string, string]> = [...kept, ["limit", String(limit)], ["offset", String(offset)]]
  // Array.prototype.sort is stable: values of one key keep their order, as in Go.
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `${path}?${all.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&")}`
}

export const collectionLinks = (
  path: string,
  entries: QueryEntries,
  paging: Paging,
  count: number
): CollectionLinks => {
  const { limit, offset } = paging
  if (limit <= 0) {
    // Every row (-1) or none (0) on one page: there is no other page to point to.
    const only = linkTo(path, entries, limit, 0)
    return { first: only, last: only }
  }
  const lastOffset = count === 0 ? 0 : Math.floor((count - 1) / limit) * limit
  return {
    first: linkTo(path, entries, limit, 0),
    ...(offset > 0
      ? { previous: linkTo(path, entries, limit, Math.max(0, Math.min(offset - limit, lastOffset))) }
      : {}),
    ...(offset + limit < count ? { next: linkTo(path, entries, limit, offset + limit) } : {}),
    last: linkTo(path, entries, limit, lastOffset)
  }
}
