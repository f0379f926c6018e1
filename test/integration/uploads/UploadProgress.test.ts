/**
 * An upload's milestones on real PostgreSQL: each is reported exactly once, and only when the last piece it
 * waits for has settled, also when the pieces settle concurrently on several connections (as on several runners).
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { migrations } from "../../../src/migrations/index.js"
import { applyMigrations } from "../../../src/services/Database.js"
import { UploadProgress } from "../../../src/uploads/UploadProgress.js"
import { UploadStatusRepo } from "../../../src/uploads/UploadStatusRepo.js"
import { scratchDatabase } from "../../support/scratchDatabase.js"

const ProgressScratch = Layer.mergeAll(UploadProgress.Default, UploadStatusRepo.Default).pipe(
  Layer.provideMerge(Layer.effectDiscard(applyMigrations(migrations.ros))),
  Layer.provideMerge(scratchDatabase("upload_progress"))
)

let uploads = 0
const newUpload = Effect.gen(function* () {
  const requestId = `req-${++uploads}-${Math.random().toString(36).slice(2, 8)}`
  yield* (yield* UploadStatusRepo).received({ requestId, orgId: "3340851" })
  return requestId
})

/** The stage events reported after `received`, in order. */
const events = (requestId: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql<{ stage: string; outcome: string; detail: Record<string, unknown> }>`
      SELECT stage, outcome, detail FROM upload_events WHERE request_id = ${requestId} AND stage <> 'received'
      ORDER BY id`
  )

/** One file of the upload read, handing on `experiments`. */
const fileRead = (requestId: string, filesExpected: number, fileKey: string, experiments: ReadonlyArray<string>) =>
  Effect.flatMap(UploadProgress, (progress) =>
    progress
      .expectExperiments(requestId, filesExpected, experiments, fileKey)
      .pipe(
        Effect.zipRight(
          progress.fileDone({ requestId, filesExpected, fileKey, outcome: "ingested", detail: {}, experiments: [] })
        )
      )
  )

const names = (n: number) => Array.from({ length: n }, (_, i) => `3340851|111|c1|ns|deployment|app-${i}`)

/** The pending counts the progress row keeps, next to the same counts taken from upload_experiments. */
const pendingCounts = (requestId: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql<{ kept: Array<number>; counted: Array<number> }>`
      SELECT ARRAY[p.experiment_rows, p.results_pending, p.recommendations_pending] AS kept,
             ARRAY[(SELECT count(*)::int FROM upload_experiments e WHERE e.request_id = p.request_id),
                   (SELECT count(*)::int FROM upload_experiments e
                    WHERE e.request_id = p.request_id AND e.results = 'pending'),
                   (SELECT count(*)::int FROM upload_experiments e
                    WHERE e.request_id = p.request_id AND e.results = 'sent' AND e.recommendation = 'pending')]
               AS counted
      FROM upload_progress p WHERE p.request_id = ${requestId}`.pipe(Effect.map((rows) => rows[0]))
  )

describe("upload progress counts (migration ros 10)", () => {
  it.layer(scratchDatabase("upload_counts"))((it) => {
    it.effect("are taken from the rows an upload already has when the migration runs", () =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const before = Object.fromEntries(Object.entries(migrations.ros).filter(([id]) => Number.parseInt(id, 10) < 10))
        yield* applyMigrations(before)
        yield* sql`INSERT INTO upload_progress (request_id, files_expected) VALUES ('r1', 1), ('r2', 1), ('r3', 1)`
        yield* sql`
          INSERT INTO upload_experiments (request_id, experiment_name, file_key, results, recommendation)
          VALUES ('r1', 'a', 'f', 'pending', 'pending'), ('r1', 'b', 'f', 'sent', 'pending'),
                 ('r1', 'c', 'f', 'sent', 'stored'), ('r1', 'd', 'f', 'rejected', 'pending'),
                 ('r2', 'a', 'f', 'sent', 'pending'), ('r2', 'a', 'g', 'sent', 'pending')`
        yield* applyMigrations(migrations.ros)
        const rows = yield* sql<{ request_id: string; kept: Array<number> }>`
          SELECT request_id, ARRAY[experiment_rows, results_pending, recommendations_pending] AS kept
          FROM upload_progress ORDER BY request_id`
        expect(rows).toEqual([
          { request_id: "r1", kept: [4, 1, 1] },
          { request_id: "r2", kept: [2, 0, 2] },
          { request_id: "r3", kept: [0, 0, 0] }
        ])
      })
    )
  })
})

describe("upload progress", () => {
  it.layer(ProgressScratch)((it) => {
    it.effect("reports each milestone once, after its last piece", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const requestId = yield* newUpload
        const experiments = names(3)
        yield* fileRead(requestId, 2, "a.csv", experiments)
        expect(yield* events(requestId)).toEqual([])
        yield* progress.fileDone({
          requestId,
          filesExpected: 2,
          fileKey: "b.csv",
          outcome: "failed",
          detail: { error: "missing columns" },
          experiments: []
        })
        expect((yield* events(requestId)).map((e) => [e.stage, e.outcome, e.detail])).toEqual([
          ["ingested", "done", { files: 2, files_ingested: 1, experiments: 3 }]
        ])

        for (const name of experiments.slice(0, 2)) {
          yield* progress.experimentDone({ requestId, experimentName: name, outcome: "sent", fileKey: "a.csv" })
        }
        expect(yield* events(requestId)).toHaveLength(1)
        yield* progress.experimentDone({
          requestId,
          experimentName: experiments[2] ?? "",
          outcome: "rejected",
          detail: "refused",
          fileKey: "a.csv"
        })
        expect((yield* events(requestId)).map((e) => [e.stage, e.outcome, e.detail])[1]).toEqual([
          "experiments_updated",
          "done",
          { experiments: 3, updated: 2 }
        ])

        // The rejected experiment gets no recommendation; the two sent ones settle the upload.
        yield* progress.recommendationDone({ requestId, experimentName: experiments[0] ?? "", outcome: "stored" })
        expect(yield* events(requestId)).toHaveLength(2)
        yield* progress.recommendationDone({ requestId, experimentName: experiments[1] ?? "", outcome: "invalid" })
        const all = yield* events(requestId)
        expect(all.map((e) => [e.stage, e.outcome, e.detail])[2]).toEqual([
          "recommendations_ready",
          "done",
          { experiments: 2, stored: 1, unchanged: 0, without_valid_recommendation: 1 }
        ])
        // A late duplicate settles nothing new.
        yield* progress.recommendationDone({ requestId, experimentName: experiments[1] ?? "", outcome: "invalid" })
        expect(yield* events(requestId)).toHaveLength(3)
      })
    )

    it.effect("an experiment fed by two files is updated only when both shares are sent", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const requestId = yield* newUpload
        const [name = ""] = names(1)
        for (const fileKey of ["a.csv", "b.csv"]) {
          yield* fileRead(requestId, 2, fileKey, [name])
        }
        yield* progress.experimentDone({ requestId, experimentName: name, outcome: "sent", fileKey: "a.csv" })
        expect((yield* events(requestId)).map((e) => e.stage)).toEqual(["ingested"])
        yield* progress.experimentDone({ requestId, experimentName: name, outcome: "sent", fileKey: "b.csv" })
        expect((yield* events(requestId)).map((e) => e.stage)).toEqual(["ingested", "experiments_updated"])
      })
    )

    it.effect("the recommendation after a first file does not stand for the one after a later file", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const [name = ""] = names(1)
        const sent = (requestId: string, fileKey: string, maxIntervalEnd: string) =>
          progress.experimentDone({ requestId, experimentName: name, outcome: "sent", fileKey, maxIntervalEnd })
        const decided = (requestId: string, maxEndtimeReport: string) =>
          progress.recommendationDone({ requestId, experimentName: name, outcome: "invalid", maxEndtimeReport })
        const stages = (requestId: string) => Effect.map(events(requestId), (all) => all.map((e) => e.stage))
        const early = "2026-11-20T06:00:00.000Z"
        const late = "2026-11-20T12:00:00.000Z"

        // The first file's refresh comes while the second file's share is still on its way.
        const a = yield* newUpload
        for (const fileKey of ["a.csv", "b.csv"]) yield* fileRead(a, 2, fileKey, [name])
        yield* sent(a, "a.csv", early)
        yield* decided(a, early)
        yield* sent(a, "b.csv", late)
        expect(yield* stages(a)).toEqual(["ingested", "experiments_updated"])
        yield* decided(a, late)
        expect(yield* stages(a)).toEqual(["ingested", "experiments_updated", "recommendations_ready"])

        // The first file's refresh ends only after the second file's results were sent.
        const b = yield* newUpload
        for (const fileKey of ["a.csv", "b.csv"]) yield* fileRead(b, 2, fileKey, [name])
        yield* sent(b, "a.csv", early)
        yield* sent(b, "b.csv", late)
        yield* decided(b, early)
        expect(yield* stages(b)).toEqual(["ingested", "experiments_updated"])
        yield* decided(b, late)
        expect(yield* stages(b)).toEqual(["ingested", "experiments_updated", "recommendations_ready"])
      })
    )

    it.effect("every engine refusal fails the stage and no recommendation milestone follows", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const requestId = yield* newUpload
        const experiments = names(2)
        yield* fileRead(requestId, 1, "a.csv", experiments)
        for (const name of experiments) {
          yield* progress.experimentDone({ requestId, experimentName: name, outcome: "rejected", fileKey: "a.csv" })
        }
        const all = yield* events(requestId)
        expect(all.map((e) => [e.stage, e.outcome])).toEqual([
          ["ingested", "done"],
          ["experiments_updated", "failed"]
        ])
        expect(all[1]?.detail.error).toBe("the recommendation engine refused all 2 experiment(s)")
      })
    )

    it.effect("pieces settled concurrently on several connections report each milestone exactly once", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const requestId = yield* newUpload
        const experiments = names(300)
        const files = ["a.csv", "b.csv", "c.csv"]
        yield* Effect.forEach(
          files,
          (fileKey, i) =>
            Effect.gen(function* () {
              const share = experiments.filter((_, n) => n % files.length === i)
              yield* fileRead(requestId, files.length, fileKey, share)
            }),
          { concurrency: "unbounded" }
        )
        yield* Effect.forEach(
          experiments,
          (name, n) =>
            progress
              .experimentDone({
                requestId,
                experimentName: name,
                outcome: "sent",
                fileKey: files[n % files.length] ?? ""
              })
              .pipe(
                Effect.zipRight(progress.recommendationDone({ requestId, experimentName: name, outcome: "stored" }))
              ),
          { concurrency: 8 }
        )
        const all = yield* events(requestId)
        expect(all.map((e) => [e.stage, e.outcome])).toEqual([
          ["ingested", "done"],
          ["experiments_updated", "done"],
          ["recommendations_ready", "done"]
        ])
        expect(all[2]?.detail).toEqual({ experiments: 300, stored: 300, unchanged: 0, without_valid_recommendation: 0 })
        expect(yield* pendingCounts(requestId)).toEqual({ kept: [300, 0, 0], counted: [300, 0, 0] })
      })
    )

    it.effect("the progress row's pending counts follow every registration, settle and repeat", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const requestId = yield* newUpload
        const experiments = names(6)
        const seen: Array<{ kept: Array<number>; counted: Array<number> } | undefined> = []
        const check = pendingCounts(requestId).pipe(Effect.tap((c) => Effect.sync(() => seen.push(c))))
        yield* fileRead(requestId, 2, "a.csv", experiments)
        // Registered twice (a file read again): nothing new to count.
        yield* fileRead(requestId, 2, "a.csv", experiments)
        yield* fileRead(requestId, 2, "b.csv", experiments.slice(0, 2))
        yield* check
        const [e0 = "", e1 = "", e2 = "", e3 = ""] = experiments
        yield* progress.experimentDone({ requestId, experimentName: e0, outcome: "sent", fileKey: "a.csv" })
        yield* progress.experimentDone({ requestId, experimentName: e1, outcome: "rejected", fileKey: "a.csv" })
        // Without a file: both of e0's shares at once.
        yield* progress.experimentDone({ requestId, experimentName: e0, outcome: "sent" })
        yield* progress.experimentDone({ requestId, experimentName: e2, outcome: "sent", fileKey: "a.csv" })
        yield* check
        yield* progress.recommendationDone({ requestId, experimentName: e0, outcome: "stored" })
        // A repeat, and a decision for an experiment whose results are still pending (it settles nothing).
        yield* progress.recommendationDone({ requestId, experimentName: e0, outcome: "stored" })
        yield* progress.recommendationDone({ requestId, experimentName: e3, outcome: "not_due" })
        // A settle that changes its outcome again.
        yield* progress.experimentDone({ requestId, experimentName: e2, outcome: "rejected", fileKey: "a.csv" })
        yield* check
        expect(seen.map((c) => c?.kept)).toEqual([
          [8, 8, 0],
          [8, 4, 3],
          [8, 4, 0]
        ])
        for (const c of seen) expect(c?.kept).toEqual(c?.counted)

        // An upload's progress deleted (retention): its rows go by cascade, and the counting does not fail.
        const sql = yield* SqlClient.SqlClient
        yield* sql`DELETE FROM upload_progress WHERE request_id = ${requestId}`
        expect(yield* pendingCounts(requestId)).toBeUndefined()
      })
    )

    it.effect("the last pieces of many uploads, settled at the same instant, still complete every upload", () =>
      Effect.gen(function* () {
        const progress = yield* UploadProgress
        const rounds = yield* Effect.forEach(
          Array.from({ length: 20 }),
          () =>
            Effect.gen(function* () {
              const requestId = yield* newUpload
              const experiments = names(4)
              yield* fileRead(requestId, 1, "a.csv", experiments)
              // Without the upload's lock each transaction would see the others' pieces still pending.
              yield* Effect.forEach(
                experiments,
                (name) =>
                  progress.experimentDone({ requestId, experimentName: name, outcome: "sent", fileKey: "a.csv" }),
                { concurrency: "unbounded" }
              )
              return (yield* events(requestId)).map((e) => e.stage)
            }),
          { concurrency: 2 }
        )
        expect(rounds.filter((stages) => !stages.includes("experiments_updated"))).toEqual([])
      })
    )
  })
})
