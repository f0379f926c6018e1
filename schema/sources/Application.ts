/**
 * An application (`model/application.go`, `model/application_http.go`): a source enabled for one application
 * type. ROS cares about the cost-management one; on-prem charts put `{"bucket", "cluster_id"}` in `extra`.
 */
import { Schema } from "effect"
import { IdInput } from "./Source.js"

const Nullable = <A, I>(schema: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(schema))

export const ApplicationExtra = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type ApplicationExtra = typeof ApplicationExtra.Type

export const ApplicationResponse = Schema.Struct({
  availability_status: Schema.optional(Schema.String),
  last_checked_at: Schema.optional(Schema.String),
  last_available_at: Schema.optional(Schema.String),
  paused_at: Schema.optional(Schema.String),
  id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  availability_status_error: Schema.optional(Schema.String),
  extra: Schema.optional(ApplicationExtra),
  source_id: Schema.String,
  application_type_id: Schema.String
})
export type ApplicationResponse = typeof ApplicationResponse.Type

/** POST /applications. */
export const ApplicationCreateRequest = Schema.Struct({
  source_id: Nullable(IdInput),
  application_type_id: Nullable(IdInput),
  extra: Nullable(ApplicationExtra)
})
export type ApplicationCreateRequest = typeof ApplicationCreateRequest.Type

/** PATCH /applications/:id: koku reports the availability it found this way. */
export const ApplicationEditRequest = Schema.Struct({
  extra: Nullable(ApplicationExtra),
  availability_status: Nullable(Schema.String),
  availability_status_error: Nullable(Schema.String)
})
export type ApplicationEditRequest = typeof ApplicationEditRequest.Type
