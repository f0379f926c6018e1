/**
 * ClusterIngest, id `<org_id>/<cluster_uuid>` (design.md §2): the ingestion of one cluster's uploads, one file
 * at a time and in order. Each file arrives as a persisted message whose primary key is the upload's request id
 * and the file, so a redelivered Kafka message or a runner that died mid-file never ingests a file twice.
 */
import { ClusterSchema, Entity } from "@effect/cluster"
import { Rpc } from "@effect/rpc"
import { Schema } from "effect"

export const IngestFilePayload = Schema.Struct({
  requestId: Schema.String,
  /** host and path of the URL: stable across redeliveries, unlike the presigned query */
  fileKey: Schema.String,
  url: Schema.String,
  /** how many files the hccm.ros.events message listed */
  fileCount: Schema.Int,
  orgId: Schema.String,
  account: Schema.optional(Schema.String),
  sourceId: Schema.String,
  clusterUuid: Schema.String,
  clusterAlias: Schema.String
})
export type IngestFilePayload = typeof IngestFilePayload.Type

export const ClusterIngest = Entity.make("ClusterIngest", [
  Rpc.make("IngestFile", {
    payload: IngestFilePayload.fields,
    primaryKey: (p) => `${p.requestId} ${p.fileKey}`
  }).annotate(ClusterSchema.Persisted, true)
])

export const clusterIngestId = (orgId: string, clusterUuid: string) => `${orgId}/${clusterUuid}`
