/**
 * The status of one upload through the whole pipeline (design.md §7: every upload has a visible status),
 * as the track endpoint serves it. Each stage appends an event; the upload's status is the latest of them.
 */
import { Schema } from "effect"

/** The stages in pipeline order. */
export const UploadStage = Schema.Literal(
  "received",
  "stored",
  "announced",
  "koku_processed",
  "ingested",
  "experiments_updated",
  "recommendations_ready"
)
export type UploadStage = typeof UploadStage.Type

export const uploadStages: ReadonlyArray<UploadStage> = UploadStage.literals

export const StageOutcome = Schema.Literal("done", "failed", "skipped")
export type StageOutcome = typeof StageOutcome.Type

export const UploadState = Schema.Literal("in_progress", "done", "failed")
export type UploadState = typeof UploadState.Type

export const UploadEvent = Schema.Struct({
  stage: UploadStage,
  outcome: StageOutcome,
  /** Counts, file names, the error text: whatever the stage has to say, as JSON. */
  detail: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  at: Schema.String
})
export type UploadEvent = typeof UploadEvent.Type

export const UploadTrack = Schema.Struct({
  request_id: Schema.String,
  org_id: Schema.String,
  account: Schema.NullOr(Schema.String),
  cluster_uuid: Schema.NullOr(Schema.String),
  status: UploadState,
  /** The furthest stage reached. */
  stage: UploadStage,
  error: Schema.NullOr(Schema.Struct({ stage: UploadStage, message: Schema.String })),
  created_at: Schema.String,
  updated_at: Schema.String,
  events: Schema.Array(UploadEvent)
}).annotations({ identifier: "UploadTrack" })
export type UploadTrack = typeof UploadTrack.Type
