/**
 * The body of a successful upload (202) and of a test request (200), as insights-ingress-go answers
 * (ingress-koku-sources.md A.2 step 12): `upload` is always there, its two fields only when not empty.
 */
import { Schema } from "effect"

export const UploadAccepted = Schema.Struct({
  request_id: Schema.String,
  upload: Schema.Struct({
    account_number: Schema.optional(Schema.String),
    org_id: Schema.optional(Schema.String)
  })
}).annotations({ identifier: "UploadAccepted" })
export type UploadAccepted = typeof UploadAccepted.Type

export const uploadAccepted = (requestId: string, account: string, orgId: string): UploadAccepted => ({
  request_id: requestId,
  upload: {
    ...(account === "" ? {} : { account_number: account }),
    ...(orgId === "" ? {} : { org_id: orgId })
  }
})
