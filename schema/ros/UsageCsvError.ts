/**
 * Why a usage CSV yields nothing (ros-ocp-backend.md §2.1, §2.4). Upstream skips such a file and counts it in
 * `rosocp_invalid_csv_total` / `rosocp_invalid_namespace_csv_total`; none of these is worth a retry.
 */
import { Schema } from "effect"
import { CsvKind } from "./CsvKind.js"
import { DroppedRows } from "./RowCounts.js"

/** The header lacks required columns (an empty file has no header, so it lacks them all). */
export class MissingColumns extends Schema.TaggedError<MissingColumns>()("MissingColumns", {
  /** the kind the header was checked against */
  kind: CsvKind,
  /** the required columns the header lacks, in the spec's order */
  missing: Schema.Array(Schema.String)
}) {}

/** Every data row was dropped (or there was none): `no valid records present in CSV to process further`. */
export class NoValidRows extends Schema.TaggedError<NoValidRows>()("NoValidRows", {
  kind: CsvKind,
  dropped: DroppedRows
}) {}

/** The bytes are not well-formed CSV (unterminated quote, stray quote, a row with a different number of fields…). */
export class MalformedCsv extends Schema.TaggedError<MalformedCsv>()("MalformedCsv", {
  /** 1-based line where csv-parse gave up (for an unclosed quote, the last line: the quote swallowed the rest) */
  line: Schema.Number,
  /** csv-parse's error code, e.g. `CSV_QUOTE_NOT_CLOSED` */
  code: Schema.String,
  message: Schema.String
}) {}

export type UsageCsvError = MissingColumns | NoValidRows | MalformedCsv
