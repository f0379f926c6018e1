/**
 * The optional `metadata` part of an upload (ingress-koku-sources.md A.2 step 9): JSON in the shape of the
 * announce message's metadata. Decoded the way Go's `json.Unmarshal` fills upstream's struct: unknown keys are
 * ignored, `null` leaves a field empty, and a value of the wrong type makes the whole part unusable (upstream then
 * announces as if there were no metadata part). `reporter` and `stale_timestamp` are ingress's to set.
 */
import { Schema } from "effect"

const Text = Schema.optional(Schema.NullOr(Schema.String))
const Texts = Schema.optional(Schema.NullOr(Schema.Array(Schema.String)))

export const UploadMetadata = Schema.Struct({
  ip_addresses: Texts,
  account: Text,
  org_id: Text,
  insights_id: Text,
  machine_id: Text,
  subscription_manager_id: Text,
  mac_addresses: Texts,
  fqdn: Text,
  bios_uuid: Text,
  display_name: Text,
  ansible_host: Text,
  custom_metadata: Schema.optional(Schema.NullOr(Schema.Record({ key: Schema.String, value: Schema.String }))),
  queue_key: Text
}).annotations({ identifier: "UploadMetadata" })
export type UploadMetadata = typeof UploadMetadata.Type

/** The part's text, parsed as JSON and decoded. */
export const UploadMetadataJson = Schema.parseJson(UploadMetadata)
