/**
 * A source (`model/source.go`, `model/source_http.go`): one OpenShift cluster of a tenant, with
 * `source_ref` = the cluster id. Ids are strings in HTTP; a request may send them as strings or numbers.
 */
import { Schema } from "effect"

export const AVAILABILITY_STATUSES = ["available", "in_progress", "partially_available", "unavailable"] as const
export const AvailabilityStatus = Schema.Literal(...AVAILABILITY_STATUSES)
export type AvailabilityStatus = typeof AvailabilityStatus.Type

export const APP_CREATION_WORKFLOWS = ["account_authorization", "manual_configuration"] as const
export const AppCreationWorkflow = Schema.Literal(...APP_CREATION_WORKFLOWS)

/** An id in a request body: sources-api-go accepts a JSON number or a string of digits. */
export const IdInput = Schema.Union(Schema.String, Schema.Number)

// Go leaves a field alone when the JSON has null for it, as when it is absent.
const Nullable = <A, I>(schema: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(schema))

export const SourceResponse = Schema.Struct({
  availability_status: Schema.optional(Schema.String),
  last_checked_at: Schema.optional(Schema.String),
  last_available_at: Schema.optional(Schema.String),
  paused_at: Schema.optional(Schema.String),
  id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  name: Schema.String,
  uid: Schema.optional(Schema.String),
  version: Schema.optional(Schema.String),
  imported: Schema.optional(Schema.String),
  source_ref: Schema.optional(Schema.String),
  app_creation_workflow: Schema.String,
  source_type_id: Schema.String
})
export type SourceResponse = typeof SourceResponse.Type

/** POST /sources. `uid` is always generated, as upstream does. */
export const SourceCreateRequest = Schema.Struct({
  name: Nullable(Schema.String),
  uid: Nullable(Schema.String),
  version: Nullable(Schema.String),
  imported: Nullable(Schema.String),
  source_ref: Nullable(Schema.String),
  app_creation_workflow: Nullable(Schema.String),
  availability_status: Nullable(Schema.String),
  source_type_id: Nullable(IdInput)
})
export type SourceCreateRequest = typeof SourceCreateRequest.Type

/** PATCH /sources/:id: only these fields can change; others are ignored, as upstream does. */
export const SourceEditRequest = Schema.Struct({
  name: Nullable(Schema.String),
  version: Nullable(Schema.String),
  imported: Nullable(Schema.String),
  source_ref: Nullable(Schema.String),
  availability_status: Nullable(Schema.String)
})
export type SourceEditRequest = typeof SourceEditRequest.Type
