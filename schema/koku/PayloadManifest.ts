/**
 * `manifest.json` of a cost-management operator upload (ingress-koku-sources.md B.3), decoded with koku's rules:
 * `uuid` is a UUID4, `cluster_id` and `date` are required, every listed file is a single path component, naive
 * times are UTC, `null` lists are empty, unknown keys are ignored. Both operator layouts decode the same way: the
 * pre-4.1 one (`<uuid>_openshift_usage_report.<n>.csv`) and the 4.1+ one (`<uuid>-ros-openshift-….<n>.csv`), since
 * only the lists say which files are ROS files, never the names.
 *
 * One rule is ours: `cluster_id` must be a UUID, because ROS drops any hccm.ros.events message whose
 * `cluster_uuid` is not one (C.4); refusing the upload here says why, where the user can read it.
 */
import { Option, ParseResult, Schema } from "effect"

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const UUID4_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i

export const ManifestUuid = Schema.String.pipe(
  Schema.filter((s) => UUID4_PATTERN.test(s) || `uuid must be a version 4 UUID, got ${JSON.stringify(s)}`)
)

export const ClusterId = Schema.String.pipe(
  Schema.filter(
    (s) =>
      UUID_PATTERN.test(s) ||
      `cluster_id must be a UUID (ROS drops messages whose cluster_uuid is not one), got ${JSON.stringify(s)}`
  )
)

/** Longest file name most file systems accept, in UTF-8 bytes. */
const MAX_NAME_BYTES = 255

/** Why `name` cannot be a file of the payload, or undefined when it can. */
export const fileNameProblem = (name: string): string | undefined => {
  if (name.length === 0) return "is empty"
  if (name === "." || name === "..") return "is a relative directory reference"
  if (name.includes("/") || name.includes("\\")) return "is not a single path component"
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused
  if (/[\u0000-\u001f\u007f]/.test(name)) return "contains control characters"
  if (Buffer.byteLength(name, "utf8") > MAX_NAME_BYTES) return `is longer than ${MAX_NAME_BYTES} bytes`
  return undefined
}

/** A file name listed in the manifest: one path component, as koku's validator demands. */
export const PayloadFileName = Schema.String.pipe(
  Schema.filter((name) => {
    const problem = fileNameProblem(name)
    return problem === undefined || `file name ${JSON.stringify(name)} ${problem}`
  })
)

const GO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/

/** RFC 3339 (any fraction, Go writes nanoseconds), or a naive date-time taken as UTC as koku does. */
export const parseManifestTime = (text: string): Date | undefined => {
  const m = GO_TIME.exec(text.trim())
  if (m === null) return undefined
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", , sign, oh = "0", om = "0"] = m
  const millis = Number(fraction.padEnd(3, "0").slice(0, 3))
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), millis)
  const date = new Date(utc)
  // Date.UTC rolls 2026-02-31 over into March; a real timestamp survives the round trip.
  if (
    date.getUTCFullYear() !== Number(y) ||
    date.getUTCMonth() !== Number(mo) - 1 ||
    date.getUTCDate() !== Number(d) ||
    date.getUTCHours() !== Number(h) ||
    date.getUTCMinutes() !== Number(mi) ||
    date.getUTCSeconds() !== Number(s)
  ) {
    return undefined
  }
  const offsetMinutes = sign === undefined ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om))
  return new Date(utc - offsetMinutes * 60_000)
}

export const ManifestTime = Schema.transformOrFail(Schema.String, Schema.DateFromSelf, {
  strict: true,
  decode: (text, _, ast) => {
    const date = parseManifestTime(text)
    return date === undefined
      ? ParseResult.fail(new ParseResult.Type(ast, text, `not an RFC 3339 time: ${JSON.stringify(text)}`))
      : ParseResult.succeed(date)
  },
  encode: (date) => ParseResult.succeed(date.toISOString())
})

const FileNames = Schema.Array(PayloadFileName)

/** Go marshals an empty slice as `null`; an absent list is empty too. Encodes an empty list back to `null`. */
const fileList = Schema.optionalToRequired(Schema.NullOr(FileNames), FileNames, {
  decode: (list) => Option.getOrElse(Option.flatMap(list, Option.fromNullable), () => []),
  encode: (list) => Option.some(list.length === 0 ? null : list)
})

export const PayloadManifest = Schema.Struct({
  uuid: ManifestUuid,
  cluster_id: ClusterId,
  /** The operator's git commit (not a semver). */
  version: Schema.optionalWith(Schema.String, { default: () => "" }),
  date: ManifestTime,
  /** Cost report files (not ROS). */
  files: fileList,
  /** ROS report files; `null` (Go's empty slice) means none. */
  resource_optimization_files: fileList,
  start: Schema.optional(Schema.NullOr(ManifestTime)),
  end: Schema.optional(Schema.NullOr(ManifestTime)),
  /** Not written by the operator; koku accepts it and otherwise derives it from `version`. */
  operator_version: Schema.optional(Schema.String),
  certified: Schema.optional(Schema.Boolean),
  daily_reports: Schema.optional(Schema.Boolean),
  cr_status: Schema.optional(Schema.Unknown)
}).annotations({ identifier: "PayloadManifest" })
export type PayloadManifest = typeof PayloadManifest.Type

/** manifest.json's text to the manifest (the bytes must be JSON). */
export const PayloadManifestJson = Schema.parseJson(PayloadManifest)
