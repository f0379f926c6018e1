/**
 * `hccm.ros.events` as the processor reads it (spec ros-ocp-backend §1.4): Go's lenient decoding (keys in any
 * case, unknown keys ignored, newer koku's provider_uuid/operator_version/object_keys optional) with upstream's
 * validation (request_id, b64_identity, org_id, source_id, cluster_alias non-empty; cluster_uuid a UUID; files
 * present, possibly empty). The producer's exact shape is schema/koku/RosEventMessage.ts.
 */
import { Schema } from "effect"
import { goKeys } from "./GoJsonKeys.js"

const Required = (name: string) => Schema.String.pipe(Schema.minLength(1, { message: () => `${name} is required` }))

export const RosEventMetadataInput = goKeys(
  Schema.Struct({
    account: Schema.optional(Schema.String),
    org_id: Required("metadata.org_id"),
    source_id: Required("metadata.source_id"),
    cluster_uuid: Schema.UUID.annotations({ message: () => "metadata.cluster_uuid must be a UUID" }),
    cluster_alias: Required("metadata.cluster_alias")
  })
)

export const RosEvent = goKeys(
  Schema.Struct({
    request_id: Required("request_id"),
    b64_identity: Required("b64_identity"),
    metadata: RosEventMetadataInput,
    files: Schema.Array(Schema.String)
  })
).annotations({ identifier: "RosEvent" })
export type RosEvent = typeof RosEvent.Type

export const RosEventJson = Schema.parseJson(RosEvent)
