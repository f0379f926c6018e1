/**
 * Whether a request id is already taken by an upload (database `ros`, table upload_status). A client may send its
 * own id; reusing one would overwrite that upload's object and mix two uploads' histories (even two orgs'), so
 * ingress gives such a request a fresh id instead.
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"

export class UploadIdRepo extends Effect.Service<UploadIdRepo>()("ros/ingress/UploadIdRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const findOne = SqlSchema.findOne({
      Request: Schema.String,
      Result: Schema.Struct({ request_id: Schema.String }),
      execute: (requestId) => sql`SELECT request_id FROM upload_status WHERE request_id = ${requestId}`
    })

    const isTaken = Effect.fn("UploadIdRepo.isTaken")(function* (requestId: string) {
      yield* Effect.annotateCurrentSpan({ requestId })
      return Option.isSome(yield* findOne(requestId))
    })

    return { isTaken } as const
  })
}) {}
