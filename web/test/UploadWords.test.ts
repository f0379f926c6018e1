import { describe, expect, it } from "vitest"
import type { UploadTrack } from "../src/api/TrackClient"
import { errorSentence, stageStates } from "../src/format/UploadWords"

const upload: UploadTrack = {
  request_id: "r1",
  org_id: "o1",
  account: null,
  cluster_uuid: null,
  status: "failed",
  stage: "koku_processed",
  error: { stage: "koku_processed", message: "manifest.json is missing" },
  created_at: "2026-08-12T00:00:00Z",
  updated_at: "2026-08-12T00:01:00Z",
  events: [
    { stage: "received", outcome: "done", detail: {}, at: "2026-08-12T00:00:00Z" },
    { stage: "stored", outcome: "done", detail: {}, at: "2026-08-12T00:00:01Z" },
    { stage: "koku_processed", outcome: "failed", detail: {}, at: "2026-08-12T00:01:00Z" }
  ]
}

describe("an upload's stages in words", () => {
  it("gives every stage a state, and the error a sentence", () => {
    const states = stageStates(upload)
    expect([...states.entries()]).toEqual([
      ["received", "done"],
      ["stored", "done"],
      ["koku_processed", "failed"],
      ["announced", "waiting"],
      ["ingested", "waiting"],
      ["experiments_updated", "waiting"],
      ["recommendations_ready", "waiting"]
    ])
    expect(errorSentence(upload)).toBe("Reports extracted failed: manifest.json is missing")
  })
})
