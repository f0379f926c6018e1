/**
 * Why an upload cannot be shipped to ROS as it is: a property of the upload, so retrying cannot help. The koku
 * stage records it as `koku_processed` failed (with {@link PayloadRejected.message} as the error a user reads)
 * and commits the message; nothing of the upload is written anywhere.
 */
import { Schema } from "effect"

export const RejectionProblem = Schema.Literal(
  /** The staged object is gone (or never was). */
  "upload_missing",
  "empty_upload",
  "not_gzip",
  "truncated_gzip",
  "corrupt_tar",
  /** Absolute path, `..`, a nested path, a duplicate name. */
  "unsafe_entry",
  /** Symbolic or hard link, device, FIFO… */
  "unsupported_entry_type",
  "too_many_entries",
  "entry_too_large",
  "archive_too_large",
  "manifest_missing",
  "manifest_invalid",
  "listed_file_missing",
  "ros_file_invalid"
)
export type RejectionProblem = typeof RejectionProblem.Type

const summary: Record<RejectionProblem, string> = {
  upload_missing: "the uploaded tarball is not in the object store",
  empty_upload: "the upload is empty",
  not_gzip: "the upload is not gzip-compressed",
  truncated_gzip: "the gzip stream is truncated or corrupt",
  corrupt_tar: "the tar archive is corrupt",
  unsafe_entry: "the archive holds an unsafe entry",
  unsupported_entry_type: "the archive holds an entry that is not a regular file",
  too_many_entries: "the archive holds too many entries",
  entry_too_large: "an archive entry is too large",
  archive_too_large: "the archive is too large uncompressed",
  manifest_missing: "the archive has no manifest.json at its root",
  manifest_invalid: "manifest.json is invalid",
  listed_file_missing: "manifest.json lists files the archive does not hold",
  ros_file_invalid: "a resource-optimization file is not a ROS CSV"
}

export class PayloadRejected extends Schema.TaggedError<PayloadRejected>()("PayloadRejected", {
  problem: RejectionProblem,
  /** The specifics: the entry name, the limit, the parser's words. */
  detail: Schema.String
}) {
  override get message(): string {
    return this.detail.length === 0 ? summary[this.problem] : `${summary[this.problem]}: ${this.detail}`
  }
}
