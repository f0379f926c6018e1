/**
 * The `hccm.ros.events` message koku sends for each upload that carried ROS files (ingress-koku-sources.md C.4),
 * the contract between the koku stage and the processor. The field order below is koku's (`build_ros_msg`) and is
 * kept on the wire: {@link encodeRosEvent} writes the value the way Python's `json.dumps` does.
 */
import { Schema } from "effect"
import { pythonJsonDumps } from "./PythonJson.js"

export const RosEventMetadata = Schema.Struct({
  /** The announce `account`, or `"no_account"` when it is empty. */
  account: Schema.String,
  org_id: Schema.String,
  /** The Sources API source id, as a string. */
  source_id: Schema.String,
  provider_uuid: Schema.String,
  /** The manifest's cluster_id. */
  cluster_uuid: Schema.UUID,
  /** koku's operator version (`koku-metrics-operator:v4.1.0`), or the commit when it is not a known release. */
  operator_version: Schema.String,
  /** The source's name. */
  cluster_alias: Schema.String
})
export type RosEventMetadata = typeof RosEventMetadata.Type

export const RosEventMessage = Schema.Struct({
  request_id: Schema.String,
  b64_identity: Schema.String,
  metadata: RosEventMetadata,
  /** Presigned GET URLs of the ROS CSVs, index-aligned with `object_keys`. */
  files: Schema.Array(Schema.String),
  object_keys: Schema.Array(Schema.String)
}).annotations({ identifier: "RosEventMessage" })
export type RosEventMessage = typeof RosEventMessage.Type

/** The message as koku's producer writes it: keys in the order above, Python's separators and escapes. */
export const encodeRosEvent = (message: RosEventMessage): string => {
  const m = message.metadata
  return pythonJsonDumps({
    request_id: message.request_id,
    b64_identity: message.b64_identity,
    metadata: {
      account: m.account,
      org_id: m.org_id,
      source_id: m.source_id,
      provider_uuid: m.provider_uuid,
      cluster_uuid: m.cluster_uuid,
      operator_version: m.operator_version,
      cluster_alias: m.cluster_alias
    },
    files: message.files,
    object_keys: message.object_keys
  })
}

/** The message's text to the message (what the processor decodes). */
export const RosEventMessageJson = Schema.parseJson(RosEventMessage)
