/**
 * What the koku stage reads from the Sources API (ingress-koku-sources.md D.1/D.2) to find the source of an
 * upload: only the fields it uses, so any server of the contract answers it (sources-api-go, our sources role,
 * or on-prem koku's `/api/cost-management/v1`). Ids are strings over HTTP; a number is accepted too.
 */
import { Schema } from "effect"

const Id = Schema.Union(
  Schema.String,
  Schema.Number.pipe(Schema.int()).pipe(
    Schema.transform(Schema.String, { strict: true, decode: (n) => n.toFixed(0), encode: (s) => Number(s) })
  )
)

export const ApplicationTypeItem = Schema.Struct({ id: Id, name: Schema.String })

export const ApplicationTypePage = Schema.Struct({ data: Schema.Array(ApplicationTypeItem) })

export const SourceItem = Schema.Struct({
  id: Id,
  name: Schema.String,
  uid: Schema.optional(Schema.NullOr(Schema.String)),
  source_ref: Schema.optional(Schema.NullOr(Schema.String))
})
export type SourceItem = typeof SourceItem.Type

export const SourcePage = Schema.Struct({ data: Schema.Array(SourceItem) })
