/**
 * ClusterIngest's behaviour: stream one usage CSV from its URL through validation and aggregation, record the
 * cluster, store the workloads and their usage rows a batch of experiments at a time, and hand each experiment's
 * intervals to its Experiment entity, waiting for it to have sent them to the engine. The IngestFile message is
 * answered only when every experiment is done, so a crash before that ingests the file again (IngestFile is
 * persisted): every write is an upsert and the engine answers a repeated result "already exists".
 * A bad file is recorded with its reason and the message's other files go on.
 */
import { Cause, Chunk, type Duration, Effect, Layer, Metric, Schedule, Schema, Stream } from "effect"
import type { ExperimentUsage } from "../schema/ros/ExperimentUsage.js"
import type { UsageCsvError } from "../schema/ros/UsageCsvError.js"
import { readUsageCsv } from "../src/processor/csv/AggregateUsageCsv.js"
import { csvKindFromUrl } from "../src/processor/csv/HeaderLayout.js"
import { drainConcurrently } from "../src/processor/drainConcurrently.js"
import {
  downloadUsageFile,
  type UsageFileRefused,
  type UsageFileUnavailable
} from "../src/processor/UsageFileDownload.js"
import { metricRowsOf, workloadRowOf } from "../src/processor/UsageRows.js"
import { WorkloadRepo } from "../src/processor/WorkloadRepo.js"
import { UploadProgress } from "../src/uploads/UploadProgress.js"
import { UploadStatusRepo } from "../src/uploads/UploadStatusRepo.js"
import { ClusterIngest, type IngestFilePayload } from "./ClusterIngest.js"
import { Experiment } from "./Experiment.js"

export interface ClusterIngestOptions {
  readonly maxCsvBytes: number
  readonly namespaceEnabled: boolean
  /** How long database or cluster trouble is retried before the file is recorded as failed (default 1 hour). */
  readonly retryFor?: Duration.DurationInput
  /**
   * Experiments of one file handed on at once (default 16): each holds one experiment's intervals in memory
   * until the engine has them, so this (with the two stored batches ahead of it) bounds what a file being ingested holds
   * beyond its aggregates.
   */
  readonly concurrentHandOffs?: number
  /**
   * Files being ingested at once by one runner process, whatever their clusters (default 2). A file holds its
   * aggregates from the first byte read to its last hand-off, so this is what bounds a runner's memory when many
   * clusters upload at once; a file beyond it waits for one to finish.
   */
  readonly concurrentFiles?: number
}

export const filesIngested = Metric.counter("rosocp_files_ingested_total", {
  description: "usage CSV files read and handed on"
})
export const invalidFiles = Metric.counter("rosocp_invalid_csv_total", {
  description: "usage CSV files refused (unreachable, malformed, missing columns, no valid rows)"
})

type FileError = UsageFileUnavailable | UsageFileRefused | UsageCsvError

/** What a user reads in the upload status for a refused file. */
export const describeFileError = (error: FileError): string => {
  switch (error._tag) {
    case "UsageFileUnavailable":
    case "UsageFileRefused":
      return `could not read the file: ${error.message}`
    case "MissingColumns":
      return `the ${error.kind} CSV lacks required columns: ${error.missing.join(", ")}`
    case "NoValidRows":
      return `the ${error.kind} CSV has no valid rows (${
        Object.entries(error.dropped)
          .filter(([, n]) => n > 0)
          .map(([reason, n]) => `${n} ${reason}`)
          .join(", ") || "no data rows"
      })`
    case "MalformedCsv":
      return `the file is not valid CSV (line ${error.line}: ${error.message})`
  }
}

/** Experiments whose workloads and usage rows are stored together (two statements per batch and table). */
const STORE_BATCH = 100

/** An Experiment could not be reached or died while handling the hand-off; it is tried again. */
class HandOffFailed extends Schema.TaggedError<HandOffFailed>()("HandOffFailed", {
  experimentName: Schema.String,
  message: Schema.String
}) {}

export const ClusterIngestLive = (options: ClusterIngestOptions) =>
  Layer.unwrapEffect(
    // Made once for the process: the handlers below are built for each entity as it starts.
    Effect.map(Effect.makeSemaphore(options.concurrentFiles ?? 2), (fileSlots) =>
      clusterIngestHandlers(options, fileSlots)
    )
  )

const clusterIngestHandlers = (options: ClusterIngestOptions, fileSlots: Effect.Semaphore) =>
  ClusterIngest.toLayer(
    Effect.gen(function* () {
      const repo = yield* WorkloadRepo
      const progress = yield* UploadProgress
      const status = yield* UploadStatusRepo
      const experiments = yield* Experiment.client
      const retryFor = options.retryFor ?? "1 hour"

      const refuse = (file: IngestFilePayload, reason: string) =>
        Effect.gen(function* () {
          yield* Effect.logWarning(`usage file refused: ${reason}`).pipe(Effect.annotateLogs({ file: file.fileKey }))
          yield* Metric.increment(invalidFiles)
          yield* status.report({
            requestId: file.requestId,
            stage: "ingested",
            outcome: "failed",
            error: `${file.fileKey}: ${reason}`,
            detail: { file: file.fileKey }
          })
          yield* progress.fileDone({
            requestId: file.requestId,
            filesExpected: file.fileCount,
            fileKey: file.fileKey,
            outcome: "failed",
            detail: { error: reason },
            experiments: []
          })
        })

      /** The batch's workloads and usage rows, then its experiments registered in the upload's progress. */
      const store = (file: IngestFilePayload, clusterId: number, batch: ReadonlyArray<ExperimentUsage>) =>
        Effect.gen(function* () {
          const ids = yield* repo.upsertWorkloads(batch.map((usage) => workloadRowOf(usage, file.orgId, clusterId)))
          const handOffs = batch.map((usage) => {
            const workloadId = ids.get(usage.experimentName)
            // Never taken: the upsert returns a row for every experiment of the batch.
            if (workloadId === undefined) throw new Error(`no workload row for ${usage.experimentName}`)
            return { usage, workloadId }
          })
          yield* repo.insertMetrics(
            file.orgId,
            handOffs.flatMap((h) => metricRowsOf(h.usage, h.workloadId))
          )
          yield* progress.expectExperiments(
            file.requestId,
            file.fileCount,
            batch.map((usage) => usage.experimentName),
            file.fileKey
          )
          return handOffs
        })

      /**
       * Waits for the Experiment to have sent the intervals (it retries the engine itself, and records a refusal).
       * Its runner going away fails or kills the call: tried again, on whichever runner owns it then; after
       * ENGINE_RETRY_FOR the experiment is recorded as not sent, with the reason, and the file goes on.
       */
      const handOff = (
        file: IngestFilePayload,
        { usage, workloadId }: { readonly usage: ExperimentUsage; readonly workloadId: number }
      ) =>
        experiments(usage.experimentName)
          .AddResults({ requestId: file.requestId, fileKey: file.fileKey, orgId: file.orgId, workloadId, usage })
          .pipe(
            Effect.catchAllCause(
              (cause): Effect.Effect<never, HandOffFailed> =>
                Cause.isInterruptedOnly(cause)
                  ? Effect.interrupt
                  : Effect.fail(
                      new HandOffFailed({ experimentName: usage.experimentName, message: Cause.pretty(cause) })
                    )
            ),
            Effect.tapError((e) => Effect.logWarning(`hand-off failed, trying again: ${e.message}`)),
            Effect.retry(
              Schedule.exponential("1 second").pipe(
                Schedule.union(Schedule.spaced("30 seconds")),
                Schedule.upTo(retryFor)
              )
            ),
            Effect.catchAll((error) =>
              progress.experimentDone({
                requestId: file.requestId,
                experimentName: usage.experimentName,
                fileKey: file.fileKey,
                outcome: "rejected",
                detail: `could not be handed to its Experiment: ${error.message}`
              })
            )
          )

      /**
       * `reported` outlives the attempts of one IngestFile: a file read again after it was reported ingested (its
       * hand-offs failed, and so did recording them) is neither reported nor counted a second time.
       */
      const ingest = (file: IngestFilePayload, reported: { ingested: boolean }) =>
        Effect.gen(function* () {
          const kind = csvKindFromUrl(file.url)
          if (kind === "namespace" && !options.namespaceEnabled) {
            yield* progress.fileDone({
              requestId: file.requestId,
              filesExpected: file.fileCount,
              fileKey: file.fileKey,
              outcome: "ingested",
              detail: { skipped: "namespace recommendations are disabled" },
              experiments: []
            })
            return
          }
          const usage = yield* downloadUsageFile(file.url, options.maxCsvBytes).pipe(
            Effect.flatMap((bytes) =>
              readUsageCsv(bytes, {
                scope: { orgId: file.orgId, sourceId: file.sourceId, clusterUuid: file.clusterUuid },
                kind
              })
            ),
            Effect.retry({
              while: (e) => e._tag === "UsageFileUnavailable",
              schedule: Schedule.exponential("500 millis").pipe(Schedule.intersect(Schedule.recurs(4)))
            }),
            Effect.scoped,
            Effect.either
          )
          if (usage._tag === "Left") return yield* refuse(file, describeFileError(usage.left))
          const clusterId = yield* repo.upsertCluster({
            orgId: file.orgId,
            account: file.account,
            sourceId: file.sourceId,
            clusterUuid: file.clusterUuid,
            clusterAlias: file.clusterAlias
          })
          let stored = 0
          // The file counts as ingested once it is read and stored; sending its experiments is the next stage.
          const ingested = Effect.suspend(() =>
            reported.ingested
              ? Effect.void
              : progress
                  .fileDone({
                    requestId: file.requestId,
                    filesExpected: file.fileCount,
                    fileKey: file.fileKey,
                    outcome: "ingested",
                    detail: { file: file.fileKey, kind: usage.right._tag, rows: usage.right.rows, experiments: stored },
                    experiments: []
                  })
                  .pipe(
                    Effect.zipRight(Metric.increment(filesIngested)),
                    Effect.zipRight(Effect.sync(() => (reported.ingested = true)))
                  )
          )
          const usages: Stream.Stream<ExperimentUsage> = usage.right.experiments
          const storedAhead = usages.pipe(
            Stream.grouped(STORE_BATCH),
            Stream.mapEffect((batch) =>
              store(file, clusterId, Chunk.toReadonlyArray(batch)).pipe(
                Effect.tap((handOffs) => Effect.sync(() => (stored += handOffs.length)))
              )
            ),
            Stream.concat(Stream.drain(Stream.fromEffect(ingested))),
            // Up to two batches stored ahead of the one being handed on, so the writes overlap the engine's work.
            Stream.buffer({ capacity: 1 }),
            Stream.flattenIterables
          )
          yield* drainConcurrently(storedAhead, options.concurrentHandOffs ?? 16, (experiment) =>
            handOff(file, experiment)
          )
        }).pipe(
          Effect.annotateLogs({ requestId: file.requestId, file: file.fileKey }),
          Effect.withSpan("ClusterIngest.IngestFile", { attributes: { requestId: file.requestId, file: file.fileKey } })
        )

      return ClusterIngest.of({
        IngestFile: (request) => {
          const reported = { ingested: false }
          // The slot is taken per attempt, so a file waiting to be tried again does not hold one.
          return fileSlots
            .withPermits(1)(ingest(request.payload, reported))
            .pipe(
              // Database or cluster trouble is usually passing: try again rather than lose the file, but not
              // forever, or one permanent error would hold back every later file of the cluster.
              Effect.retry(
                Schedule.exponential("1 second").pipe(
                  Schedule.union(Schedule.spaced("30 seconds")),
                  Schedule.upTo(options.retryFor ?? "1 hour")
                )
              ),
              Effect.catchAll((error) =>
                reported.ingested
                  ? // Stored and reported ingested: only recording its hand-offs failed, for as long as it was tried.
                    Effect.logError(
                      "the file was ingested but not every experiment's hand-off could be recorded",
                      error
                    )
                  : refuse(request.payload, `could not be stored: ${error.message}`).pipe(
                      Effect.catchAll((again) => Effect.logError("the file's failure could not be recorded", again))
                    )
              ),
              Effect.orDie
            )
        }
      })
    }),
    { maxIdleTime: "5 minutes" }
  )
