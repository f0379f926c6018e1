/**
 * Every stage of the pipeline reports here what happened to an upload (database `ros`); the track
 * endpoint reads it back, scoped to the caller's org. Writes are idempotent enough for at-least-once
 * delivery: the first `received` wins, and a repeated event only repeats a line of history.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import {
  type UploadStage as Stage,
  type StageOutcome,
  UploadStage,
  UploadState,
  type UploadTrack,
  uploadStages
} from "../../schema/uploads/UploadStatus.js"

const StatusRow = Schema.Struct({
  request_id: Schema.String,
  org_id: Schema.String,
  account: Schema.NullOr(Schema.String),
  cluster_uuid: Schema.NullOr(Schema.String),
  status: UploadState,
  stage: UploadStage,
  error_stage: Schema.NullOr(UploadStage),
  error: Schema.NullOr(Schema.String),
  created_at: Schema.DateFromSelf,
  updated_at: Schema.DateFromSelf
})

const EventRow = Schema.Struct({
  stage: UploadStage,
  outcome: Schema.Literal("done", "failed", "skipped"),
  detail: Schema.Record({ key: Schema.String, value: Schema.Unknown }),
  at: Schema.DateFromSelf
})

export interface StageReport {
  readonly requestId: string
  readonly stage: Stage
  readonly outcome: StageOutcome
  readonly detail?: Readonly<Record<string, unknown>>
  /** Set once the manifest names the cluster. */
  readonly clusterUuid?: string
  /** The error a user should read, for a failed stage. */
  readonly error?: string
}

const order = (stage: Stage) => uploadStages.indexOf(stage)

export class UploadStatusRepo extends Effect.Service<UploadStatusRepo>()("ros/UploadStatusRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /** The first stage: creates the upload's row (a repeated call changes nothing). */
    const received = Effect.fn("UploadStatusRepo.received")(function* (upload: {
      readonly requestId: string
      readonly orgId: string
      readonly account?: string
      readonly detail?: Readonly<Record<string, unknown>>
    }) {
      yield* sql.withTransaction(
        Effect.gen(function* () {
          const created = yield* sql`
            INSERT INTO upload_status (request_id, org_id, account, stage)
            VALUES (${upload.requestId}, ${upload.orgId}, ${upload.account ?? null}, 'received')
            ON CONFLICT (request_id) DO NOTHING
            RETURNING request_id`
          if (created.length === 1) {
            yield* sql`
              INSERT INTO upload_events (request_id, stage, outcome, detail)
              VALUES (${upload.requestId}, 'received', 'done', ${JSON.stringify(upload.detail ?? {})}::jsonb)`
          }
        })
      )
    })

    const currentRow = SqlSchema.findOne({
      Request: Schema.String,
      Result: Schema.Struct({ stage: UploadStage, status: UploadState }),
      execute: (requestId) => sql`SELECT stage, status FROM upload_status WHERE request_id = ${requestId} FOR UPDATE`
    })

    /**
     * A later stage's outcome. The upload's stage only moves forward; a failure marks it failed with the
     * reason; `recommendations_ready` done marks it done. Unknown request ids are ignored.
     */
    const report = Effect.fn("UploadStatusRepo.report")(function* (r: StageReport) {
      yield* Effect.annotateCurrentSpan({ requestId: r.requestId, stage: r.stage, outcome: r.outcome })
      const detail = JSON.stringify(r.error === undefined ? (r.detail ?? {}) : { ...r.detail, error: r.error })
      yield* sql.withTransaction(
        Effect.gen(function* () {
          const current = yield* currentRow(r.requestId)
          if (Option.isNone(current)) return
          const stage = order(r.stage) > order(current.value.stage) ? r.stage : current.value.stage
          const failed = r.outcome === "failed"
          const status =
            failed || current.value.status === "failed"
              ? "failed"
              : r.stage === "recommendations_ready" && r.outcome === "done"
                ? "done"
                : current.value.status
          yield* sql`
            INSERT INTO upload_events (request_id, stage, outcome, detail)
            VALUES (${r.requestId}, ${r.stage}, ${r.outcome}, ${detail}::jsonb)`
          yield* sql`
            UPDATE upload_status SET
              stage = ${stage},
              status = ${status},
              error_stage = CASE WHEN ${failed} THEN ${r.stage} ELSE error_stage END,
              error = CASE WHEN ${failed} THEN ${r.error ?? "failed"} ELSE error END,
              cluster_uuid = COALESCE(${r.clusterUuid ?? null}, cluster_uuid),
              updated_at = now()
            WHERE request_id = ${r.requestId}`
        })
      )
    })

    const findStatus = SqlSchema.findOne({
      Request: Schema.Struct({ requestId: Schema.String, orgId: Schema.String }),
      Result: StatusRow,
      execute: ({ requestId, orgId }) =>
        sql`SELECT request_id, org_id, account, cluster_uuid, status, stage, error_stage, error, created_at, updated_at
            FROM upload_status WHERE request_id = ${requestId} AND org_id = ${orgId}`
    })

    const findEvents = SqlSchema.findAll({
      Request: Schema.String,
      Result: EventRow,
      execute: (requestId) =>
        sql`SELECT stage, outcome, detail, at FROM upload_events WHERE request_id = ${requestId} ORDER BY id`
    })

    /**
     * The status row and its events from one snapshot: a report writes both in one transaction, and two reads at
     * read-committed could see its event with the status from before it.
     */
    const snapshot = (requestId: string, orgId: string) =>
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY`
          const row = yield* findStatus({ requestId, orgId })
          if (Option.isNone(row)) return Option.none()
          return Option.some({ row: row.value, events: yield* findEvents(requestId) })
        })
      )

    /** The upload as the track endpoint shows it; none for another org's upload. */
    const track = Effect.fn("UploadStatusRepo.track")(function* (requestId: string, orgId: string) {
      const found = yield* snapshot(requestId, orgId)
      if (Option.isNone(found)) return Option.none<UploadTrack>()
      const { row: r, events } = found.value
      return Option.some<UploadTrack>({
        request_id: r.request_id,
        org_id: r.org_id,
        account: r.account,
        cluster_uuid: r.cluster_uuid,
        status: r.status,
        stage: r.stage,
        error: r.error_stage === null ? null : { stage: r.error_stage, message: r.error ?? "" },
        created_at: r.created_at.toISOString(),
        updated_at: r.updated_at.toISOString(),
        events: events.map((e) => ({ stage: e.stage, outcome: e.outcome, detail: e.detail, at: e.at.toISOString() }))
      })
    })

    const recentRows = SqlSchema.findAll({
      Request: Schema.Struct({ orgId: Schema.String, limit: Schema.Number }),
      Result: Schema.Struct({ request_id: Schema.String }),
      execute: ({ orgId, limit }) =>
        sql`SELECT request_id FROM upload_status WHERE org_id = ${orgId} ORDER BY created_at DESC LIMIT ${limit}`
    })

    /** The org's most recent uploads, newest first. */
    const recent = Effect.fn("UploadStatusRepo.recent")(function* (orgId: string, limit: number) {
      const ids = yield* recentRows({ orgId, limit })
      const tracks = yield* Effect.forEach(ids, (r) => track(r.request_id, orgId))
      return tracks.flatMap((t) => (Option.isSome(t) ? [t.value] : []))
    })

    return { received, report, track, recent } as const
  })
}) {}
