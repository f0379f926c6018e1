/**
 * Messages on `platform.sources.event-stream` (ingress-koku-sources.md D.3, `sapi:model/event_models.go`):
 * every value is the resource's event JSON with integer ids and `2006-01-02 15:04:05 MST` timestamps; the
 * headers carry the event type and who caused it. ROS's housekeeper reads `Application.destroy`
 * (ros-ocp-backend.md §1.6); koku reads the Application and Source events.
 */
import { Schema } from "effect"

export const SourcesEventType = Schema.Literal(
  "Source.create",
  "Source.update",
  "Source.destroy",
  "Application.create",
  "Application.update",
  "Application.destroy"
)
export type SourcesEventType = typeof SourcesEventType.Type

/** Header names, as sources-api-go sends them. */
export const EventHeader = {
  eventType: "event_type",
  encoding: "encoding",
  accountNumber: "x-rh-sources-account-number",
  orgId: "x-rh-sources-org-id",
  identity: "x-rh-identity"
} as const

export const SourcesEventHeaders = Schema.Struct({
  event_type: SourcesEventType,
  encoding: Schema.Literal("json"),
  "x-rh-identity": Schema.String,
  "x-rh-sources-org-id": Schema.optional(Schema.String),
  "x-rh-sources-account-number": Schema.optional(Schema.String)
})
export type SourcesEventHeaders = typeof SourcesEventHeaders.Type

const Nullable = Schema.NullOr(Schema.String)

/** `SourceEvent`: every key is always present, null when unset. */
export const SourceEventBody = Schema.Struct({
  availability_status: Nullable,
  last_checked_at: Nullable,
  last_available_at: Nullable,
  paused_at: Nullable,
  id: Schema.Int,
  created_at: Nullable,
  updated_at: Nullable,
  name: Nullable,
  uid: Nullable,
  version: Nullable,
  imported: Nullable,
  source_ref: Nullable,
  app_creation_workflow: Nullable,
  source_type_id: Schema.Int,
  /** The external tenant: the EBS account number, empty when the tenant has none. */
  tenant: Nullable
})
export type SourceEventBody = typeof SourceEventBody.Type

/** `ApplicationEvent`; ROS needs `id`, `source_id`, `application_type_id` and `tenant` of it. */
export const ApplicationEventBody = Schema.Struct({
  availability_status: Nullable,
  last_checked_at: Nullable,
  last_available_at: Nullable,
  paused_at: Nullable,
  id: Schema.Int,
  created_at: Nullable,
  updated_at: Nullable,
  availability_status_error: Nullable,
  extra: Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.Unknown })),
  superkey_data: Schema.Null,
  source_id: Schema.Int,
  application_type_id: Schema.Int,
  tenant: Nullable
})
export type ApplicationEventBody = typeof ApplicationEventBody.Type
