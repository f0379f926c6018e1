/**
 * The SQL of the partition job (database `ros`): `drop_ros_partition(date)` (spec ros-ocp-backend §4.3), run under
 * a transaction-scoped advisory lock so that housekeepers of several processes never drop the same tables at once.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Option, Schema } from "effect"

/** The advisory lock every partition job of this database takes. */
const PARTITION_JOB_LOCK = "ros-ocp/housekeeper/drop_ros_partition"

const Locked = Schema.Struct({ locked: Schema.Boolean })
const Dropped = Schema.Struct({ dropped: Schema.Int })

export class PartitionRepo extends Effect.Service<PartitionRepo>()("ros/housekeeper/PartitionRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /**
     * Drops every half-month partition whose lower bound is before `cutoff` (`YYYY-MM-DD`) and returns how many;
     * None when another process is running the job right now.
     */
    const dropPartitionsBefore = Effect.fn("PartitionRepo.dropPartitionsBefore")(function* (cutoff: string) {
      yield* Effect.annotateCurrentSpan({ cutoff })
      return yield* sql.withTransaction(
        Effect.gen(function* () {
          const [lock] = yield* sql`SELECT pg_try_advisory_xact_lock(hashtext(${PARTITION_JOB_LOCK})) AS locked`
          if (!Schema.decodeUnknownSync(Locked)(lock).locked) return Option.none<number>()
          const [row] = yield* sql`SELECT drop_ros_partition(${cutoff}::date) AS dropped`
          return Option.some(Schema.decodeUnknownSync(Dropped)(row).dropped)
        })
      )
    })

    return { dropPartitionsBefore } as const
  })
}) {}
