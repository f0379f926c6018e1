/**
 * The envelope every create/update/delete endpoint answers with, success or error (kruize.md §1, "Success envelope",
 * "Error envelope"): `{message, httpcode, documentationLink, status}` with HTTP status == `httpcode`, plus `data` only
 * for updateResults partial failures (§2.6, `FailedUpdateResultsAPIObject`). Field order is Gson's.
 */
import { Schema } from "effect"
import { KruizeTimestamp } from "./KruizeTimestamp.js"

export const KruizeStatus = Schema.Literal("SUCCESS", "ERROR")
export type KruizeStatus = typeof KruizeStatus.Type

export const KruizeResponse = Schema.Struct({
  message: Schema.String,
  httpcode: Schema.Int,
  documentationLink: Schema.String,
  status: KruizeStatus
}).annotations({ identifier: "KruizeResponse" })
export type KruizeResponse = typeof KruizeResponse.Type

/** One rejected `/updateResults` record; `version`/`experiment_name`/times are omitted when the record had none. */
export const FailedResultRecord = Schema.Struct({
  interval_start_time: Schema.optional(KruizeTimestamp),
  interval_end_time: Schema.optional(KruizeTimestamp),
  errors: Schema.Array(KruizeResponse),
  version: Schema.optional(Schema.String),
  experiment_name: Schema.optional(Schema.String)
}).annotations({ identifier: "FailedResultRecord" })
export type FailedResultRecord = typeof FailedResultRecord.Type

/** 400 answer of `/updateResults` when at least one record failed; the other records are saved. */
export const UpdateResultsErrorResponse = Schema.Struct({
  message: Schema.String,
  httpcode: Schema.Literal(400),
  documentationLink: Schema.String,
  status: Schema.Literal("ERROR"),
  data: Schema.Array(FailedResultRecord)
}).annotations({ identifier: "UpdateResultsErrorResponse" })
export type UpdateResultsErrorResponse = typeof UpdateResultsErrorResponse.Type

export const successResponse = (message: string, httpcode: 200 | 201 = 201): KruizeResponse => ({
  message,
  httpcode,
  documentationLink: "",
  status: "SUCCESS"
})

export const errorResponse = (message: string, httpcode: number): KruizeResponse => ({
  message,
  httpcode,
  documentationLink: "",
  status: "ERROR"
})
