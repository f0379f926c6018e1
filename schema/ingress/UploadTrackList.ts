/**
 * GET /api/ingress/v1/track?limit=N: the caller's org's most recent uploads, newest first.
 */
import { Schema } from "effect"
import { UploadTrack } from "../uploads/UploadStatus.js"

export const UploadTrackList = Schema.Struct({
  meta: Schema.Struct({ count: Schema.Int, limit: Schema.Int }),
  data: Schema.Array(UploadTrack)
}).annotations({ identifier: "UploadTrackList" })
export type UploadTrackList = typeof UploadTrackList.Type
