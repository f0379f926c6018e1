/**
 * Experiment's behaviour. Passing failures (engine unreachable, database or Kafka down) are retried here with
 * backoff for up to ENGINE_RETRY_FOR, so nothing is lost while the engine restarts; the engine refusing the
 * experiment is recorded in the upload status and not retried. Messages of one experiment run one at a time,
 * so its results reach the engine in order.
 */
import { Duration, Effect, Layer, Metric, Schedule } from "effect"
import { refreshRecommendation } from "../src/poller/RefreshRecommendation.js"
import { sendResults } from "../src/processor/SendResults.js"
import type { EngineRejected } from "../src/services/EngineClient.js"
import { UploadProgress } from "../src/uploads/UploadProgress.js"
import { UploadStatusRepo } from "../src/uploads/UploadStatusRepo.js"
import { AddResultsUnrecorded, Experiment, RefreshUnrecorded } from "./Experiment.js"

export interface ExperimentOptions {
  readonly chunkSize: number
  readonly recommendationTopic: string
  readonly pollIntervalHours: number
  readonly retryFor: Duration.Duration
  /**
   * AddResults messages (hand-offs) this process's Experiment entities handle at once (default 16). The entities
   * of a large upload would otherwise all call the engine and the database together: more requests in flight than
   * either can serve, each holding a database connection while it waits, until the hand-offs of ClusterIngest and
   * the cluster's own storage queries find none left in the pool (DB_POOL_SIZE, 20 by default).
   */
  readonly concurrentMessages?: number
  /**
   * Refreshes this process's Experiment entities handle at once (default 4), apart from the hand-offs: a Refresh
   * queued behind a large upload's hand-offs held its entity's mailbox, so the next file's hand-off of that
   * experiment waited behind it, and the poller's partition waited too (it commits only after the answer).
   */
  readonly concurrentRefreshes?: number
}

export const rejectedExperiments = Metric.counter("rosocp_rejected_experiments_total", {
  description: "experiments the engine refused to create or to update"
})

const isPassing = (error: { readonly _tag: string }) => error._tag !== "EngineRejected"

export const ExperimentLive = (options: ExperimentOptions) =>
  Layer.unwrapEffect(
    // Made once for the process: the handlers below are built for each entity as it starts.
    Effect.map(
      Effect.all([
        Effect.makeSemaphore(options.concurrentMessages ?? 16),
        Effect.makeSemaphore(options.concurrentRefreshes ?? 4)
      ]),
      ([handOffSlots, refreshSlots]) => experimentHandlers(options, handOffSlots, refreshSlots)
    )
  )

const experimentHandlers = (
  options: ExperimentOptions,
  handOffSlots: Effect.Semaphore,
  refreshSlots: Effect.Semaphore
) =>
  Experiment.toLayer(
    Effect.gen(function* () {
      const progress = yield* UploadProgress
      const status = yield* UploadStatusRepo
      /**
       * The engine has this experiment: it created it for an earlier message of this entity (createExperiment is
       * then skipped; should the engine have lost it since, sendResults creates it again).
       */
      let created = false
      /**
       * The last Refresh this entity completed: the poller hands a message on again when it could not commit its
       * offset, and the repeat is answered without asking the engine or settling the upload a second time.
       */
      let lastRefresh: string | undefined

      const schedule = Schedule.exponential("500 millis").pipe(
        Schedule.union(Schedule.spaced("30 seconds")),
        Schedule.jittered,
        Schedule.upTo(options.retryFor)
      )
      const retrying = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.retry(effect, { while: isPassing, schedule })

      const rejected = (requestId: string, experimentName: string, error: EngineRejected) =>
        Effect.gen(function* () {
          yield* Metric.increment(rejectedExperiments)
          yield* Effect.logWarning(`the engine refused the experiment: ${error.message}`)
          yield* status.report({
            requestId,
            stage: "experiments_updated",
            outcome: "failed",
            error: `${experimentName}: the recommendation engine refused it (${error.operation}: ${error.message})`
          })
        })

      const gaveUp = (requestId: string, experimentName: string, error: { readonly message: string }) =>
        Effect.gen(function* () {
          yield* Metric.increment(rejectedExperiments)
          yield* Effect.logError(`results not sent after retrying for ${Duration.format(options.retryFor)}`, error)
          yield* status.report({
            requestId,
            stage: "experiments_updated",
            outcome: "failed",
            error: `${experimentName}: not sent, still failing after ${Duration.format(options.retryFor)} (${error.message})`
          })
        })

      return Experiment.of({
        AddResults: ({ payload }) =>
          sendResults({
            requestId: payload.requestId,
            orgId: payload.orgId,
            workloadId: payload.workloadId,
            usage: payload.usage,
            chunkSize: options.chunkSize,
            recommendationTopic: options.recommendationTopic,
            created
          }).pipe(
            Effect.tap(() => Effect.sync(() => (created = true))),
            retrying,
            Effect.matchEffect({
              onSuccess: () =>
                progress.experimentDone({
                  requestId: payload.requestId,
                  experimentName: payload.usage.experimentName,
                  fileKey: payload.fileKey,
                  outcome: "sent",
                  maxIntervalEnd: payload.usage.maxIntervalEnd
                }),
              onFailure: (error) =>
                (error._tag === "EngineRejected"
                  ? rejected(payload.requestId, payload.usage.experimentName, error)
                  : gaveUp(payload.requestId, payload.usage.experimentName, error)
                ).pipe(
                  Effect.zipRight(
                    progress.experimentDone({
                      requestId: payload.requestId,
                      experimentName: payload.usage.experimentName,
                      fileKey: payload.fileKey,
                      outcome: "rejected",
                      detail: error.message
                    })
                  )
                )
            }),
            handOffSlots.withPermits(1),
            Effect.mapError((error) => new AddResultsUnrecorded({ message: error.message }))
          ),
        Refresh: (request) => {
          const key = `${request.payload.requestId} ${request.payload.maxEndtimeReport}`
          if (key === lastRefresh) return Effect.void
          return refreshRecommendation(
            String(request.address.entityId),
            request.payload,
            options.pollIntervalHours
          ).pipe(
            retrying,
            Effect.matchEffect({
              onSuccess: (outcome) =>
                progress.recommendationDone({
                  requestId: request.payload.requestId,
                  experimentName: request.address.entityId,
                  outcome,
                  maxEndtimeReport: request.payload.maxEndtimeReport
                }),
              onFailure: (error) =>
                Effect.logWarning(`no recommendation stored: ${error.message}`).pipe(
                  Effect.zipRight(
                    progress.recommendationDone({
                      requestId: request.payload.requestId,
                      experimentName: request.address.entityId,
                      outcome: "rejected",
                      detail: error.message,
                      maxEndtimeReport: request.payload.maxEndtimeReport
                    })
                  )
                )
            }),
            Effect.tap(() => Effect.sync(() => (lastRefresh = key))),
            refreshSlots.withPermits(1),
            Effect.mapError((error) => new RefreshUnrecorded({ message: error.message }))
          )
        }
      })
    }),
    { maxIdleTime: "2 minutes" }
  )
