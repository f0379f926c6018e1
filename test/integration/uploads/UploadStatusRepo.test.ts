import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { migrations } from "../../../src/migrations/index.js"
import * as Database from "../../../src/services/Database.js"
import { UploadStatusRepo } from "../../../src/uploads/UploadStatusRepo.js"
import { scratchDatabase } from "../../support/scratchDatabase.js"

const Migrated = Layer.effectDiscard(Database.applyMigrations(migrations.ros)).pipe(
  Layer.provideMerge(scratchDatabase("ros_test_uploads"))
)
const RepoLive = UploadStatusRepo.Default.pipe(Layer.provideMerge(Migrated))

describe("UploadStatusRepo on the real database", () => {
  layer(RepoLive, { excludeTestServices: true })((it) => {
    it.effect("records each stage, moves forward only, and keeps the history", () =>
      Effect.gen(function* () {
        const repo = yield* UploadStatusRepo
        yield* repo.received({ requestId: "r1", orgId: "org1", account: "acct" })
        yield* repo.received({ requestId: "r1", orgId: "org1" })
        yield* repo.report({ requestId: "r1", stage: "stored", outcome: "done", detail: { bytes: 10 } })
        yield* repo.report({ requestId: "r1", stage: "koku_processed", outcome: "done", clusterUuid: "c-1" })
        // A late, repeated earlier stage does not move the upload back.
        yield* repo.report({ requestId: "r1", stage: "announced", outcome: "done" })
        const t = Option.getOrThrow(yield* repo.track("r1", "org1"))
        expect([t.status, t.stage, t.cluster_uuid, t.account, t.error]).toEqual([
          "in_progress",
          "koku_processed",
          "c-1",
          "acct",
          null
        ])
        expect(t.events.map((e) => e.stage)).toEqual(["received", "stored", "koku_processed", "announced"])
        expect(t.events[1]?.detail).toEqual({ bytes: 10 })
        yield* repo.report({ requestId: "r1", stage: "recommendations_ready", outcome: "done" })
        expect(Option.getOrThrow(yield* repo.track("r1", "org1")).status).toBe("done")
      })
    )

    it.effect("marks a failed stage with its reason, and keeps it failed", () =>
      Effect.gen(function* () {
        const repo = yield* UploadStatusRepo
        yield* repo.received({ requestId: "r2", orgId: "org1" })
        yield* repo.report({
          requestId: "r2",
          stage: "koku_processed",
          outcome: "failed",
          error: "manifest.json is missing"
        })
        yield* repo.report({ requestId: "r2", stage: "ingested", outcome: "done" })
        const t = Option.getOrThrow(yield* repo.track("r2", "org1"))
        expect([t.status, t.error]).toEqual([
          "failed",
          { stage: "koku_processed", message: "manifest.json is missing" }
        ])
        expect(t.events[1]?.detail).toEqual({ error: "manifest.json is missing" })
      })
    )

    it.effect("a track read while reports commit never shows an event without the status it set", () =>
      Effect.gen(function* () {
        const repo = yield* UploadStatusRepo
        const ids = Array.from({ length: 60 }, (_, i) => `race-${i}`)
        yield* Effect.forEach(ids, (requestId) => repo.received({ requestId, orgId: "org-race" }), { discard: true })
        const write = Effect.forEach(
          ids,
          (requestId) => repo.report({ requestId, stage: "koku_processed", outcome: "failed", error: "bad archive" }),
          { discard: true }
        )
        let torn = 0
        let seen = 0
        const read = Effect.forEach(
          ids,
          (requestId) =>
            Effect.gen(function* () {
              // Poll each upload until its failure shows, as a client of the track endpoint does.
              for (let i = 0; i < 500; i++) {
                const t = Option.getOrThrow(yield* repo.track(requestId, "org-race"))
                if (t.events.some((e) => e.outcome === "failed")) {
                  seen++
                  if (t.status !== "failed") torn++
                  return
                }
              }
            }),
          { discard: true, concurrency: 4 }
        )
        yield* Effect.all([write, read], { concurrency: 2, discard: true })
        expect(seen).toBe(ids.length)
        expect(torn).toBe(0)
      })
    )

    it.effect("shows an upload only to its own org, and ignores reports for unknown uploads", () =>
      Effect.gen(function* () {
        const repo = yield* UploadStatusRepo
        yield* repo.received({ requestId: "r3", orgId: "org1" })
        expect(Option.isNone(yield* repo.track("r3", "org2"))).toBe(true)
        yield* repo.report({ requestId: "nobody", stage: "stored", outcome: "done" })
        expect(Option.isNone(yield* repo.track("nobody", "org1"))).toBe(true)
        const recent = yield* repo.recent("org1", 2)
        expect(recent.map((u) => u.request_id)).toEqual(["r3", "r2"])
        expect(yield* repo.recent("org2", 10)).toEqual([])
      })
    )
  })
})
