/**
 * The list envelope of every sources-api-go collection (`util/collection_response.go`): `links.first` repeats
 * the request with its limit and offset, `links.last` is the next page (upstream's naming, kept as is).
 */
import { Schema } from "effect"

export const CollectionMeta = Schema.Struct({
  count: Schema.Number,
  limit: Schema.Number,
  offset: Schema.Number
})

export const CollectionLinks = Schema.Struct({
  first: Schema.String,
  last: Schema.String
})

export const Collection = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    data: Schema.Array(item),
    meta: CollectionMeta,
    links: CollectionLinks
  })
