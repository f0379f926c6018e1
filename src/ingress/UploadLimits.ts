/**
 * How big an upload may be (ingress-koku-sources.md A.5): the file part's limit is its service's entry in
 * INGRESS_MAXSIZEMAP, else INGRESS_DEFAULTMAXSIZE. The whole request body gets a little more room for the
 * multipart framing and a metadata part; a body announced (Content-Length) or read beyond that is refused
 * without looking further.
 */

export interface SizeLimits {
  readonly defaultMaxSize: number
  readonly maxSizeMap: Readonly<Record<string, number>>
}

/** Largest `metadata` (or other non-file) part kept in memory; real ones are well under 2 KiB. */
export const MAX_FIELD_BYTES = 64 * 1024

/** Room for boundaries, part headers and the metadata part around the file. */
export const ENVELOPE_BYTES = 1024 * 1024

/** Largest number of parts in one upload (the operator sends one; insights-client two). */
export const MAX_PARTS = 32

/** The limit of the file part of `service`. */
export const maxFileSize = (limits: SizeLimits, service: string): number =>
  limits.maxSizeMap[service] ?? limits.defaultMaxSize

/** The limit of a whole request body, whatever the service. */
export const maxBodySize = (limits: SizeLimits): number =>
  Math.max(limits.defaultMaxSize, ...Object.values(limits.maxSizeMap)) + ENVELOPE_BYTES

/** A declared Content-Length that no accepted upload could have; undefined when absent or not a number. */
export const declaredLengthTooLarge = (limits: SizeLimits, contentLength: string | undefined): number | undefined => {
  if (contentLength === undefined || !/^\d+$/.test(contentLength.trim())) return undefined
  const declared = Number(contentLength.trim())
  return declared > maxBodySize(limits) ? declared : undefined
}
