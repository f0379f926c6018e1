/**
 * Rows of the `sources` database as the repository returns them (bigint ids arrive as strings from node-postgres,
 * timestamps as Dates, jsonb parsed), and the columns each collection lets a client filter and sort on
 * (sources-api-go `dao/filtering.go` `allowedFilterColumns`, minus the jsonb ones).
 */
import { Schema } from "effect"
import type { Columns } from "./ListQuery.js"

const Timestamp = Schema.DateFromSelf
const OptionalTimestamp = Schema.NullOr(Schema.DateFromSelf)
const OptionalText = Schema.NullOr(Schema.String)

export const SourceTypeRow = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  product_name: Schema.String,
  category: Schema.String,
  vendor: Schema.String,
  schema: Schema.Unknown,
  icon_url: Schema.String,
  created_at: Timestamp,
  updated_at: Timestamp
})
export type SourceTypeRow = typeof SourceTypeRow.Type

export const ApplicationTypeRow = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  display_name: Schema.String,
  dependent_applications: Schema.Array(Schema.String),
  supported_source_types: Schema.Array(Schema.String),
  supported_authentication_types: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) }),
  created_at: Timestamp,
  updated_at: Timestamp
})
export type ApplicationTypeRow = typeof ApplicationTypeRow.Type

export const SourceRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  name: Schema.String,
  uid: Schema.String,
  version: OptionalText,
  imported: OptionalText,
  source_ref: OptionalText,
  app_creation_workflow: Schema.String,
  availability_status: Schema.String,
  last_checked_at: OptionalTimestamp,
  last_available_at: OptionalTimestamp,
  paused_at: OptionalTimestamp,
  source_type_id: Schema.String,
  created_at: Timestamp,
  updated_at: Timestamp
})
export type SourceRow = typeof SourceRow.Type

export const ApplicationRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  source_id: Schema.String,
  application_type_id: Schema.String,
  extra: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  availability_status: Schema.String,
  availability_status_error: Schema.String,
  last_checked_at: OptionalTimestamp,
  last_available_at: OptionalTimestamp,
  paused_at: OptionalTimestamp,
  created_at: Timestamp,
  updated_at: Timestamp
})
export type ApplicationRow = typeof ApplicationRow.Type

export const sourceTypeColumns: Columns = {
  id: "integer",
  created_at: "timestamp",
  updated_at: "timestamp",
  category: "text",
  name: "text",
  product_name: "text",
  vendor: "text",
  icon_url: "text"
}

export const applicationTypeColumns: Columns = {
  id: "integer",
  created_at: "timestamp",
  updated_at: "timestamp",
  name: "text",
  display_name: "text"
}

export const sourceColumns: Columns = {
  id: "integer",
  created_at: "timestamp",
  updated_at: "timestamp",
  paused_at: "timestamp",
  name: "text",
  uid: "text",
  version: "text",
  imported: "text",
  source_ref: "text",
  app_creation_workflow: "text",
  source_type_id: "integer",
  availability_status: "text",
  last_checked_at: "timestamp",
  last_available_at: "timestamp"
}

export const applicationColumns: Columns = {
  id: "integer",
  created_at: "timestamp",
  updated_at: "timestamp",
  paused_at: "timestamp",
  availability_status: "text",
  last_checked_at: "timestamp",
  last_available_at: "timestamp",
  availability_status_error: "text",
  source_id: "integer",
  application_type_id: "integer"
}
