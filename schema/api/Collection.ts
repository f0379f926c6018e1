/**
 * Upstream's list envelope (ros-ocp-backend.md §5.6): `data`, `meta` (count of all matching rows, the page's
 * limit and offset) and `links` to other pages, in upstream's key order.
 */
import { Schema } from "effect"

export const CollectionMeta = Schema.Struct({
  /** Rows matching the query, all pages together. */
  count: Schema.Int,
  /** Page size; -1 when the client asked for every row. */
  limit: Schema.Int,
  offset: Schema.Int
}).annotations({ identifier: "CollectionMeta" })
export type CollectionMeta = typeof CollectionMeta.Type

/** Request path and query with `limit`/`offset` replaced; `previous`/`next` only when such a page exists. */
export const CollectionLinks = Schema.Struct({
  first: Schema.String,
  previous: Schema.optional(Schema.String),
  next: Schema.optional(Schema.String),
  last: Schema.String
}).annotations({ identifier: "CollectionLinks" })
export type CollectionLinks = typeof CollectionLinks.Type

export const collectionOf = <A, I, R>(item: Schema.Schema<A, I, R>, identifier: string) =>
  Schema.Struct({
    data: Schema.Array(item),
    meta: CollectionMeta,
    links: CollectionLinks
  }).annotations({ identifier })
