/**
 * The upload track endpoint (ingress): the org's recent uploads with their stage-by-stage status. The page asks
 * its own origin by default (the API role forwards /api/ingress/v1/track* to ingress); VITE_TRACK_BASE at build
 * time points it elsewhere (that server must then allow this origin and the x-rh-identity header).
 */

import type { UploadTrackList } from "../../../schema/ingress/UploadTrackList.js"
import type { UploadTrack } from "../../../schema/uploads/UploadStatus.js"
import { ApiFailure } from "./ApiFailure"
import { getJson } from "./HttpJson"

export type { UploadTrack }

const configuredBase: unknown = import.meta.env.VITE_TRACK_BASE
export const TRACK_BASE = typeof configuredBase === "string" ? configuredBase.replace(/\/+$/, "") : ""

/** The most the endpoint gives in one answer. */
export const TRACK_MAX_LIMIT = 100

const isTrackList = (body: unknown): body is UploadTrackList =>
  typeof body === "object" && body !== null && Array.isArray((body as Record<string, unknown>).data)

export const recentUploads = async (
  limit: number,
  orgId: string,
  signal: AbortSignal
): Promise<ReadonlyArray<UploadTrack>> => {
  const body = await getJson(`${TRACK_BASE}/api/ingress/v1/track?limit=${limit}`, orgId, signal)
  if (!isTrackList(body)) throw new ApiFailure(502, "The upload tracker answered something the page cannot read.")
  return body.data
}
