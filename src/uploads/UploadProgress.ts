/**
 * Turns the pieces of an upload's processing (its files, then the experiments they fed, then their
 * recommendations) into the upload's stage reports: `ingested` once every file of the message is read,
 * `experiments_updated` once every experiment's results reached the engine, `recommendations_ready` once each of
 * those has a recommendation decision. Pieces finish on different runners in any order, so every update locks
 * the upload's progress row and each milestone is reported once. Settling a piece reads the counts of pending
 * pieces that the progress row keeps; the upload's full counts are read only for the reports themselves.
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { UploadStage } from "../../schema/uploads/UploadStatus.js"
import { UploadStatusRepo } from "./UploadStatusRepo.js"

export type FileOutcome = "ingested" | "failed"
export type ResultsOutcome = "sent" | "rejected"
export type RecommendationOutcome = "stored" | "not_due" | "invalid" | "skipped" | "rejected"

interface Probe {
  readonly files_expected: number
  readonly files: number
  readonly has_experiments: boolean
  readonly results_pending: boolean
  readonly recommendations_pending: boolean
  readonly claimed: ReadonlyArray<string>
}

interface Counts {
  readonly files: number
  readonly files_ingested: number
  readonly files_expected: number
  readonly experiments: number
  readonly results_pending: number
  readonly results_sent: number
  readonly recommendations_pending: number
  readonly recommendations_stored: number
  readonly recommendations_not_due: number
  readonly recommendations_invalid: number
}

export class UploadProgress extends Effect.Service<UploadProgress>()("ros/UploadProgress", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const status = yield* UploadStatusRepo

    const lock = (requestId: string, filesExpected: number) =>
      sql`INSERT INTO upload_progress (request_id, files_expected) VALUES (${requestId}, ${filesExpected})
          ON CONFLICT (request_id) DO NOTHING`.pipe(
        Effect.zipRight(sql`SELECT 1 FROM upload_progress WHERE request_id = ${requestId} FOR UPDATE`)
      )

    const counts = (requestId: string) =>
      sql<Counts>`
        SELECT
          (SELECT count(*)::int FROM upload_files f WHERE f.request_id = p.request_id) AS files,
          (SELECT count(*)::int FROM upload_files f WHERE f.request_id = p.request_id AND f.outcome = 'ingested')
            AS files_ingested,
          p.files_expected,
          (SELECT count(DISTINCT e.experiment_name)::int FROM upload_experiments e WHERE e.request_id = p.request_id)
            AS experiments,
          (SELECT count(*)::int FROM upload_experiments e WHERE e.request_id = p.request_id AND e.results = 'pending')
            AS results_pending,
          (SELECT count(DISTINCT e.experiment_name)::int FROM upload_experiments e
            WHERE e.request_id = p.request_id AND e.results = 'sent') AS results_sent,
          (SELECT count(DISTINCT e.experiment_name)::int FROM upload_experiments e
            WHERE e.request_id = p.request_id AND e.results = 'sent' AND e.recommendation = 'pending')
            AS recommendations_pending,
          (SELECT count(DISTINCT e.experiment_name)::int FROM upload_experiments e
            WHERE e.request_id = p.request_id AND e.recommendation = 'stored') AS recommendations_stored,
          (SELECT count(DISTINCT e.experiment_name)::int FROM upload_experiments e
            WHERE e.request_id = p.request_id AND e.recommendation = 'not_due') AS recommendations_not_due,
          (SELECT count(DISTINCT e.experiment_name)::int FROM upload_experiments e
            WHERE e.request_id = p.request_id AND e.recommendation = 'invalid') AS recommendations_invalid
        FROM upload_progress p WHERE p.request_id = ${requestId}`.pipe(
        Effect.flatMap(([row]) =>
          // Only asked after the probe found the row, under its lock.
          row === undefined ? Effect.dieMessage(`upload ${requestId} has no progress row`) : Effect.succeed(row)
        )
      )

    /**
     * What decides whether a milestone may be due, from the progress row's counts (migration ros 10) and the
     * upload's few files and milestones; the full counts are read only when a milestone is about to be reported.
     */
    const probe = (requestId: string) =>
      sql<Probe>`
        SELECT
          p.files_expected,
          (SELECT count(*)::int FROM upload_files f WHERE f.request_id = p.request_id) AS files,
          p.experiment_rows > 0 AS has_experiments,
          p.results_pending > 0 AS results_pending,
          p.recommendations_pending > 0 AS recommendations_pending,
          ARRAY(SELECT m.stage FROM upload_milestones m WHERE m.request_id = p.request_id) AS claimed
        FROM upload_progress p WHERE p.request_id = ${requestId}`.pipe(Effect.map((rows) => rows[0]))

    /** True the first time `stage` is claimed for the upload. */
    const claim = (requestId: string, stage: UploadStage) =>
      sql`INSERT INTO upload_milestones (request_id, stage) VALUES (${requestId}, ${stage})
          ON CONFLICT DO NOTHING RETURNING stage`.pipe(Effect.map((rows) => rows.length === 1))

    const advance = (requestId: string) =>
      Effect.gen(function* () {
        const p = yield* probe(requestId)
        if (p === undefined || p.files < p.files_expected) return
        const claimed = new Set(p.claimed)
        if (!claimed.has("ingested") && (yield* claim(requestId, "ingested"))) {
          const c = yield* counts(requestId)
          yield* c.files_ingested > 0
            ? status.report({
                requestId,
                stage: "ingested",
                outcome: "done",
                detail: { files: c.files, files_ingested: c.files_ingested, experiments: c.experiments }
              })
            : status.report({
                requestId,
                stage: "ingested",
                outcome: "failed",
                error: `none of the ${c.files} usage file(s) could be ingested`
              })
        }
        if (!p.has_experiments || p.results_pending) return
        if (!claimed.has("experiments_updated") && (yield* claim(requestId, "experiments_updated"))) {
          const c = yield* counts(requestId)
          yield* c.results_sent > 0
            ? status.report({
                requestId,
                stage: "experiments_updated",
                outcome: "done",
                detail: { experiments: c.experiments, updated: c.results_sent }
              })
            : status.report({
                requestId,
                stage: "experiments_updated",
                outcome: "failed",
                error: `the recommendation engine refused all ${c.experiments} experiment(s)`
              })
        }
        if (p.recommendations_pending || claimed.has("recommendations_ready")) return
        const c = yield* counts(requestId)
        if (c.results_sent === 0) return
        if (yield* claim(requestId, "recommendations_ready")) {
          yield* status.report({
            requestId,
            stage: "recommendations_ready",
            outcome: "done",
            detail: {
              experiments: c.results_sent,
              stored: c.recommendations_stored,
              // Not due: the stored recommendation is less than RECOMMENDATION_POLL_INTERVAL_HOURS older.
              unchanged: c.recommendations_not_due,
              without_valid_recommendation: c.recommendations_invalid
            }
          })
        }
      })

    /** One file of the message is read (or refused); `experiments` are the ones it handed on. */
    const fileDone = Effect.fn("UploadProgress.fileDone")(function* (file: {
      readonly requestId: string
      readonly filesExpected: number
      readonly fileKey: string
      readonly outcome: FileOutcome
      readonly detail: Readonly<Record<string, unknown>>
      readonly experiments: ReadonlyArray<string>
    }) {
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* lock(file.requestId, file.filesExpected)
          yield* sql`
            INSERT INTO upload_files (request_id, file_key, outcome, detail)
            VALUES (${file.requestId}, ${file.fileKey}, ${file.outcome}, ${JSON.stringify(file.detail)}::jsonb)
            ON CONFLICT (request_id, file_key) DO UPDATE SET outcome = EXCLUDED.outcome, detail = EXCLUDED.detail`
          if (file.experiments.length > 0) {
            yield* sql`
              INSERT INTO upload_experiments (request_id, experiment_name)
              SELECT ${file.requestId}, unnest(${file.experiments}::text[])
              ON CONFLICT DO NOTHING`
          }
          yield* advance(file.requestId)
        })
      )
    })

    /** Experiments about to be handed on: registered first, so one that finishes at once is still counted. */
    const expectExperiments = Effect.fn("UploadProgress.expectExperiments")(function* (
      requestId: string,
      filesExpected: number,
      names: ReadonlyArray<string>,
      fileKey: string = ""
    ) {
      yield* sql.withTransaction(
        Effect.gen(function* () {
          yield* lock(requestId, filesExpected)
          yield* sql`
            INSERT INTO upload_experiments (request_id, experiment_name, file_key)
            SELECT ${requestId}, unnest(${names}::text[]), ${fileKey}
            ON CONFLICT DO NOTHING`
        })
      )
    })

    /** Under the upload's lock, reports what became due. */
    const reportDue = (requestId: string) =>
      sql.withTransaction(
        Effect.gen(function* () {
          const locked = yield* sql`SELECT 1 FROM upload_progress WHERE request_id = ${requestId} FOR UPDATE`
          if (locked.length === 0) return
          yield* advance(requestId)
        })
      )

    /**
     * `settled` is one call of a settle function (migration ros 8): the lock, the update and whether a milestone
     * may be due, in one round trip. Only then is the upload locked again to report it.
     */
    const settle = (requestId: string, settled: Effect.Effect<ReadonlyArray<{ readonly due: boolean }>, SqlError>) =>
      settled.pipe(Effect.flatMap((rows) => (rows[0]?.due === true ? reportDue(requestId) : Effect.void)))

    /**
     * An experiment's results reached the engine, or the engine refused the experiment. `fileKey` narrows it to
     * one file's share; `maxIntervalEnd` is the latest interval end that share sent.
     */
    const experimentDone = Effect.fn("UploadProgress.experimentDone")(function* (e: {
      readonly requestId: string
      readonly experimentName: string
      readonly outcome: ResultsOutcome
      readonly detail?: string
      readonly fileKey?: string
      readonly maxIntervalEnd?: string
    }) {
      yield* settle(
        e.requestId,
        sql<{ due: boolean }>`
          SELECT upload_settle_results(${e.requestId}, ${e.experimentName}, ${e.fileKey ?? null}::text,
                                       ${e.outcome}, ${e.detail ?? null}::text,
                                       ${e.maxIntervalEnd ?? null}::timestamptz) AS due`
      )
    })

    /**
     * The poller decided about an experiment's recommendation, for the data up to `maxEndtimeReport`. It settles the
     * shares whose results it covers: those already sent and ending no later. A share still on its way to the engine,
     * or sent with later data, waits for the recommendation its own results will bring; otherwise an upload could be
     * reported ready while the refresh after its last file is still running.
     */
    const recommendationDone = Effect.fn("UploadProgress.recommendationDone")(function* (r: {
      readonly requestId: string
      readonly experimentName: string
      readonly outcome: RecommendationOutcome
      readonly detail?: string
      readonly maxEndtimeReport?: string
    }) {
      yield* settle(
        r.requestId,
        sql<{ due: boolean }>`
          SELECT upload_settle_recommendation(${r.requestId}, ${r.experimentName}, ${r.outcome},
                                              ${r.detail ?? null}::text,
                                              ${r.maxEndtimeReport ?? null}::timestamptz) AS due`
      )
    })

    return { expectExperiments, fileDone, experimentDone, recommendationDone } as const
  }),
  dependencies: [UploadStatusRepo.Default]
}) {}
