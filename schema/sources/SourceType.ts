/**
 * A source type as sources-api-go answers it (`model/source_type_http.go`): ids are strings in HTTP.
 * ros-ocp seeds only `openshift`, the one the cost-management operator looks up.
 */
import { Schema } from "effect"

export const SourceTypeResponse = Schema.Struct({
  id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  name: Schema.String,
  product_name: Schema.String,
  category: Schema.String,
  vendor: Schema.String,
  /** The UI form definition (authentication and endpoint fields), kept as upstream seeds it. */
  schema: Schema.Unknown,
  icon_url: Schema.String
})
export type SourceTypeResponse = typeof SourceTypeResponse.Type
