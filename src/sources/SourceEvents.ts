/**
 * The Kafka messages sources-api-go raises for a resource (D.3): the value is the resource's event JSON
 * (`ToEvent()`: integer ids, `2006-01-02 15:04:05 MST` timestamps, null for what is unset); the headers are
 * `x-rh-sources-account-number` (when known), `x-rh-sources-org-id`, `x-rh-identity` (the caller's header as
 * received), then `event_type` and `encoding: json`; the key is the org_id (else the account, else the
 * identity). Pure, so the exact bytes can be tested without a broker.
 */
import type { Identity } from "../../schema/identity/Identity.js"
import {
  type ApplicationEventBody,
  EventHeader,
  type SourceEventBody,
  type SourcesEventType
} from "../../schema/sources/SourcesEvent.js"
import type { OutgoingMessage } from "../services/Kafka.js"
import type { ApplicationRow, SourceRow } from "./SourcesRows.js"

const pad = (n: number) => String(n).padStart(2, "0")

/** Go's `2006-01-02 15:04:05 MST` of the instant in UTC, e.g. `2024-03-01 12:00:05 UTC`. */
export const recordTimestamp = (date: Date | null): string | null =>
  date === null
    ? null
    : `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
      `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} UTC`

/** Go's `StringValueOrNil`: an empty string is sent as null. */
const orNull = (value: string | null): string | null => (value === null || value === "" ? null : value)

/** The event's `tenant`: upstream's external tenant, i.e. the EBS account number ("" when there is none). */
const tenantOf = (identity: Identity) => identity.accountNumber ?? ""

export const sourceEventBody = (row: SourceRow, identity: Identity): SourceEventBody => ({
  availability_status: orNull(row.availability_status),
  last_checked_at: recordTimestamp(row.last_checked_at),
  last_available_at: recordTimestamp(row.last_available_at),
  paused_at: recordTimestamp(row.paused_at),
  id: Number(row.id),
  created_at: recordTimestamp(row.created_at),
  updated_at: recordTimestamp(row.updated_at),
  name: row.name,
  uid: row.uid,
  version: row.version,
  imported: row.imported,
  source_ref: row.source_ref,
  app_creation_workflow: row.app_creation_workflow,
  source_type_id: Number(row.source_type_id),
  tenant: tenantOf(identity)
})

export const applicationEventBody = (row: ApplicationRow, identity: Identity): ApplicationEventBody => ({
  availability_status: orNull(row.availability_status),
  last_checked_at: recordTimestamp(row.last_checked_at),
  last_available_at: recordTimestamp(row.last_available_at),
  paused_at: recordTimestamp(row.paused_at),
  id: Number(row.id),
  created_at: recordTimestamp(row.created_at),
  updated_at: recordTimestamp(row.updated_at),
  availability_status_error: orNull(row.availability_status_error),
  extra: row.extra,
  superkey_data: null,
  source_id: Number(row.source_id),
  application_type_id: Number(row.application_type_id),
  tenant: tenantOf(identity)
})

/** `ForwadableHeaders` then `event_type` and `encoding`, in upstream's order. */
export const eventHeaders = (identity: Identity, eventType: SourcesEventType): Record<string, string> => ({
  ...(identity.accountNumber === undefined ? {} : { [EventHeader.accountNumber]: identity.accountNumber }),
  [EventHeader.orgId]: identity.orgId,
  [EventHeader.identity]: identity.header,
  [EventHeader.eventType]: eventType,
  [EventHeader.encoding]: "json"
})

/** Partition key: the org_id, else the account number, else the identity header. */
export const eventKey = (identity: Identity): string =>
  identity.orgId.length > 0 ? identity.orgId : (identity.accountNumber ?? identity.header)

const message = (topic: string, identity: Identity, eventType: SourcesEventType, body: unknown): OutgoingMessage => ({
  topic,
  key: eventKey(identity),
  value: JSON.stringify(body),
  headers: eventHeaders(identity, eventType)
})

export const sourceEvent = (
  topic: string,
  identity: Identity,
  eventType: "Source.create" | "Source.update" | "Source.destroy",
  row: SourceRow
): OutgoingMessage => message(topic, identity, eventType, sourceEventBody(row, identity))

export const applicationEvent = (
  topic: string,
  identity: Identity,
  eventType: "Application.create" | "Application.update" | "Application.destroy",
  row: ApplicationRow
): OutgoingMessage => message(topic, identity, eventType, applicationEventBody(row, identity))
