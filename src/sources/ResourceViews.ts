/**
 * Rows rendered as sources-api-go renders them over HTTP (`ToResponse()`): ids and foreign keys as strings,
 * RFC 3339 timestamps, and upstream's `omitempty` choices (an unset optional field is left out).
 */
import type { ApplicationResponse } from "../../schema/sources/Application.js"
import type { ApplicationTypeResponse } from "../../schema/sources/ApplicationType.js"
import type { SourceResponse } from "../../schema/sources/Source.js"
import type { SourceTypeResponse } from "../../schema/sources/SourceType.js"
import type { ApplicationRow, ApplicationTypeRow, SourceRow, SourceTypeRow } from "./SourcesRows.js"

/** RFC 3339 in UTC to the second, as Go's `time.RFC3339` prints it. */
export const rfc3339 = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, "Z")

/** The optional availability fields both resources share, left out when unset. */
const availability = (row: {
  readonly availability_status: string
  readonly last_checked_at: Date | null
  readonly last_available_at: Date | null
  readonly paused_at: Date | null
}) => ({
  ...(row.availability_status === "" ? {} : { availability_status: row.availability_status }),
  ...(row.last_checked_at === null ? {} : { last_checked_at: rfc3339(row.last_checked_at) }),
  ...(row.last_available_at === null ? {} : { last_available_at: rfc3339(row.last_available_at) }),
  ...(row.paused_at === null ? {} : { paused_at: rfc3339(row.paused_at) })
})

export const sourceTypeResponse = (row: SourceTypeRow): SourceTypeResponse => ({
  id: row.id,
  created_at: rfc3339(row.created_at),
  updated_at: rfc3339(row.updated_at),
  name: row.name,
  product_name: row.product_name,
  category: row.category,
  vendor: row.vendor,
  schema: row.schema,
  icon_url: row.icon_url
})

export const applicationTypeResponse = (row: ApplicationTypeRow): ApplicationTypeResponse => ({
  id: row.id,
  created_at: rfc3339(row.created_at),
  updated_at: rfc3339(row.updated_at),
  name: row.name,
  display_name: row.display_name,
  dependent_applications: row.dependent_applications,
  supported_source_types: row.supported_source_types,
  supported_authentication_types: row.supported_authentication_types
})

export const sourceResponse = (row: SourceRow): SourceResponse => ({
  ...availability(row),
  id: row.id,
  created_at: rfc3339(row.created_at),
  updated_at: rfc3339(row.updated_at),
  name: row.name,
  uid: row.uid,
  ...(row.version === null ? {} : { version: row.version }),
  ...(row.imported === null ? {} : { imported: row.imported }),
  ...(row.source_ref === null ? {} : { source_ref: row.source_ref }),
  app_creation_workflow: row.app_creation_workflow,
  source_type_id: row.source_type_id
})

export const applicationResponse = (row: ApplicationRow): ApplicationResponse => ({
  ...availability(row),
  id: row.id,
  created_at: rfc3339(row.created_at),
  updated_at: rfc3339(row.updated_at),
  ...(row.availability_status_error === "" ? {} : { availability_status_error: row.availability_status_error }),
  extra: row.extra,
  source_id: row.source_id,
  application_type_id: row.application_type_id
})
