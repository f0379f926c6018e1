/**
 * Go's encoding/json matches object keys to struct fields case-insensitively, so upstream's consumers accept
 * `Request_id`, `request_id` and `REQUEST_ID` alike (spec ros-ocp-backend §1.4, §1.5). `goKeys` gives a struct
 * schema the same leniency on decode: every key is renamed to the field it matches ignoring case (an exact match
 * wins), unknown keys are dropped; encoding writes the fields' own names.
 */
import { Schema } from "effect"

const renameKeys = (input: Readonly<Record<string, unknown>>, fields: ReadonlyArray<string>) => {
  const byLowerCase = new Map(fields.map((f) => [f.toLowerCase(), f]))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    const field = fields.includes(key) ? key : byLowerCase.get(key.toLowerCase())
    // The exact spelling wins over a case-insensitive match that came earlier.
    if (field !== undefined && (field === key || !(field in out))) out[field] = value
  }
  return out
}

export const goKeys = <Fields extends Schema.Struct.Fields>(struct: Schema.Struct<Fields>) =>
  Schema.transform(Schema.Record({ key: Schema.String, value: Schema.Unknown }), Schema.encodedSchema(struct), {
    strict: false,
    decode: (input) => renameKeys(input, Object.keys(struct.fields)),
    encode: (output) => output
  }).pipe(Schema.compose(struct))
