/**
 * `housekeeper --partitions` (spec ros-ocp-backend §4.3): drops the half-month partitions of workload_metrics and
 * historical_recommendation_sets that are older than DATA_RETENTION_PERIOD days, at start and then every
 * PARTITION_JOB_INTERVAL (upstream runs it as a cron job every 15 days). A run that fails (the database away) is
 * tried again a few times, then logged; the next interval brings the next try, and the loop never stops.
 */
import { Clock, ConfigError, Duration, Effect, Layer, Metric, Option, Schedule } from "effect"
import { PipelineSettings } from "../services/Settings.js"
import { PartitionRepo } from "./PartitionRepo.js"
import { partitionCutoff } from "./RetentionDate.js"

export const partitionsDropped = Metric.counter("ros_housekeeper_partitions_dropped_total", {
  description: "Partitions of workload_metrics and historical_recommendation_sets dropped by the retention job"
})

const runRetry = Schedule.exponential("1 second").pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(4)))

const make = Effect.gen(function* () {
  const repo = yield* PartitionRepo
  const { retentionDays, partitionJobInterval } = yield* PipelineSettings
  // A negative period would put the cutoff in the future and drop the partitions being written.
  if (retentionDays < 0) {
    return yield* Effect.fail(ConfigError.InvalidData(["DATA_RETENTION_PERIOD"], "must be 0 or more days"))
  }

  const runOnce = Effect.gen(function* () {
    const cutoff = partitionCutoff(yield* Clock.currentTimeMillis, retentionDays)
    const dropped = yield* repo.dropPartitionsBefore(cutoff)
    if (Option.isNone(dropped)) return yield* Effect.logInfo("partition job already running in another process")
    yield* Metric.incrementBy(partitionsDropped, dropped.value)
    yield* Effect.logInfo(`dropped ${dropped.value} partition(s) starting before ${cutoff}`)
  }).pipe(Effect.withSpan("PartitionRetention.run"))

  yield* runOnce.pipe(
    Effect.retry(runRetry),
    Effect.catchAll((error) =>
      Effect.logError(`partition job failed; next try in ${Duration.format(partitionJobInterval)}`, error)
    ),
    Effect.repeat(Schedule.spaced(partitionJobInterval)),
    Effect.forkScoped
  )
})

/** The job, running for the life of the layer. */
export const PartitionRetention = Layer.scopedDiscard(make.pipe(Effect.annotateLogs({ service: "housekeeper" })))
