/**
 * The error body of sources-api-go (`util/error_document.go`): a list of `{detail, status}` with the HTTP
 * status as a string. koku recognises a missing source by `404` and "source not found" in this text.
 */
import { Schema } from "effect"

export const ErrorDocument = Schema.Struct({
  errors: Schema.Array(Schema.Struct({ detail: Schema.String, status: Schema.String }))
})
export type ErrorDocument = typeof ErrorDocument.Type

export const errorDocument = (detail: string, status: number): ErrorDocument => ({
  errors: [{ detail, status: String(status) }]
})
