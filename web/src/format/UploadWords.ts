/**
 * An upload's stages and outcomes in plain words (schema/uploads/UploadStatus.ts).
 */
import type { UploadTrack } from "../api/TrackClient"

export type Stage = UploadTrack["stage"]
export type UploadEvent = UploadTrack["events"][number]

export const stages: ReadonlyArray<Stage> = [
  "received",
  "stored",
  "announced",
  "koku_processed",
  "ingested",
  "experiments_updated",
  "recommendations_ready"
]

export const stageWords: Readonly<Record<Stage, string>> = {
  received: "Received",
  stored: "Stored",
  announced: "Announced for processing",
  koku_processed: "Reports extracted",
  ingested: "Usage ingested",
  experiments_updated: "Sent to the engine",
  recommendations_ready: "Recommendations ready"
}

export const statusWords: Readonly<Record<UploadTrack["status"], string>> = {
  in_progress: "In progress",
  done: "Done",
  failed: "Failed"
}

/** Where one stage stands for this upload. */
export type StageState = "done" | "failed" | "skipped" | "waiting"

export const stageStateWords: Readonly<Record<StageState, string>> = {
  done: "done",
  failed: "failed",
  skipped: "skipped",
  waiting: "not reached yet"
}

/** The latest outcome of each stage the upload reached. */
export const stageStates = (upload: UploadTrack): ReadonlyMap<Stage, StageState> => {
  const states = new Map<Stage, StageState>()
  for (const event of upload.events) states.set(event.stage, event.outcome)
  for (const stage of stages) if (!states.has(stage)) states.set(stage, "waiting")
  return states
}

/** The error of a failed upload as a sentence. */
export const errorSentence = (upload: UploadTrack): string | undefined =>
  upload.error === null ? undefined : `${stageWords[upload.error.stage]} failed: ${upload.error.message}`

const detailValue = (value: unknown): string => {
  if (typeof value === "string") return value
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  if (Array.isArray(value)) return value.map((item) => detailValue(item)).join(", ")
  return JSON.stringify(value)
}

/** "rows accepted: 1200" style lines of a stage's detail. */
export const detailLines = (event: UploadEvent): ReadonlyArray<string> =>
  Object.entries(event.detail).map(([key, value]) => `${key.replaceAll("_", " ")}: ${detailValue(value)}`)
