/**
 * The message ingress publishes on platform.upload.announce for every stored upload (ingress-koku-sources.md
 * A.9), in insights-ingress-go's exact JSON: its field names, its field order (Go marshals struct fields in
 * declaration order, and the Struct below encodes its properties in the order they are listed), and its
 * omissions (`omitempty` fields are absent when empty). koku's listener reads it (spec C.1).
 */
import { Schema } from "effect"

/** Go's zero `time.Time` as `encoding/json` writes it: the `stale_timestamp` of an upload without metadata. */
export const GO_ZERO_TIME = "0001-01-01T00:00:00Z"

/** The Kafka header naming the service, which consumers filter on (koku keeps `hccm` only). */
export const SERVICE_HEADER = "service"

/**
 * `metadata`: what the client's optional `metadata` part said (upstream's `validators.Metadata`). Only
 * `reporter` and `stale_timestamp` are always present.
 */
export const AnnounceMetadata = Schema.Struct({
  ip_addresses: Schema.optional(Schema.Array(Schema.String)),
  account: Schema.optional(Schema.String),
  org_id: Schema.optional(Schema.String),
  insights_id: Schema.optional(Schema.String),
  machine_id: Schema.optional(Schema.String),
  subscription_manager_id: Schema.optional(Schema.String),
  mac_addresses: Schema.optional(Schema.Array(Schema.String)),
  fqdn: Schema.optional(Schema.String),
  bios_uuid: Schema.optional(Schema.String),
  display_name: Schema.optional(Schema.String),
  ansible_host: Schema.optional(Schema.String),
  custom_metadata: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.String })),
  /** `"ingress"` when the client sent a metadata part, else `""`. */
  reporter: Schema.String,
  /** Now + 30 days when the client sent a metadata part, else Go's zero time. */
  stale_timestamp: Schema.String,
  /** Becomes the Kafka message key. */
  queue_key: Schema.optional(Schema.String)
}).annotations({ identifier: "AnnounceMetadata" })
export type AnnounceMetadata = typeof AnnounceMetadata.Type

/** The metadata of an upload that came without a metadata part (every operator upload). */
export const noMetadata: AnnounceMetadata = { reporter: "", stale_timestamp: GO_ZERO_TIME }

export const AnnounceMessage = Schema.Struct({
  /** The identity's `account_number`; `""` when it has none. */
  account: Schema.String,
  /** The second group of the part's content type (`tar` for the operator's `application/vnd.redhat.hccm.tar+tgz`). */
  category: Schema.String,
  /** The file part's Content-Type exactly as received. */
  content_type: Schema.String,
  metadata: AnnounceMetadata,
  request_id: Schema.String,
  /** Upstream sets it to the org_id. */
  principal: Schema.String,
  /** `identity.org_id`, or `identity.internal.org_id` when that is empty. */
  org_id: Schema.String,
  /** The first group of the part's content type (`hccm`); also the `service` header. */
  service: Schema.String,
  /** Bytes of the file part. */
  size: Schema.Int,
  /** A presigned GET URL of the stored object. */
  url: Schema.String,
  /** Never set by ingress; kept so a message from elsewhere still decodes. */
  id: Schema.optional(Schema.String),
  /** The x-rh-identity header as received. */
  b64_identity: Schema.String,
  /** Go's RFC 3339 with nanoseconds, trailing zeros trimmed: `2025-01-01T10:00:00.123456789Z`. */
  timestamp: Schema.String
}).annotations({ identifier: "AnnounceMessage" })
export type AnnounceMessage = typeof AnnounceMessage.Type

/** The message value as published: JSON text in upstream's field order. */
export const AnnounceMessageJson = Schema.parseJson(AnnounceMessage)
