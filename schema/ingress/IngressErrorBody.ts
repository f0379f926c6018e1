/**
 * Every error ingress answers, as JSON (design.md §7: upstream answers plain text, or nothing for 415/500).
 * `message` carries upstream's text where upstream has one (`Bad Request: missing x-rh-identity header`,
 * `Upload denied. Please contact Red Hat Support.`, `File or upload field not found`, ...).
 */
import { Schema } from "effect"

export const IngressErrorBody = Schema.Struct({
  status: Schema.Int,
  message: Schema.String,
  /** The request id of the refused request, as in the x-rh-insights-request-id header. */
  request_id: Schema.String
}).annotations({ identifier: "IngressErrorBody" })
export type IngressErrorBody = typeof IngressErrorBody.Type
