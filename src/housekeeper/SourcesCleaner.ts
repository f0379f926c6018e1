/**
 * `housekeeper --sources` (spec ros-ocp-backend §1.6): a thin consumer of platform.sources.event-stream in the
 * housekeeper's own group. When a cost-management application is destroyed, the org's clusters of that source
 * lose their engine experiments and then their rows (the delete cascades to workloads, metrics and
 * recommendations). Which messages count, and whose clusters, is {@link decideDestroy}'s business.
 *
 * Every message is committed only once its work is done. An engine that does not answer (`EngineUnavailable`) or
 * a database error fails the handler, and the consumer retries the message with backoff, uncommitted; an engine
 * that refuses a deletion (`EngineRejected`) is logged and counted, and the rest goes on, as upstream ignores
 * Kruize's answer. Handling is idempotent: a redelivered event finds experiments already gone (the engine's "not
 * found" counts as deleted) and no cluster left.
 */
import { Effect, Layer, Metric, Schema } from "effect"
import { EngineClient, type EngineRejected } from "../services/EngineClient.js"
import { Kafka } from "../services/Kafka.js"
import { KafkaSettings, PipelineSettings } from "../services/Settings.js"
import { costApplicationTypeId } from "./CostApplicationType.js"
import { decideDestroy, type SourceScope } from "./DestroyEvent.js"
import { SourceClustersRepo } from "./SourceClustersRepo.js"

export const experimentsDeleted = Metric.counter("ros_housekeeper_experiments_deleted_total", {
  description: "Engine experiments deleted because their source's cost-management application was destroyed"
})
export const engineRejections = Metric.counter("ros_housekeeper_engine_rejections_total", {
  description: "Experiment deletions the engine refused (logged; the source's data was deleted anyway)"
})
export const clustersDeleted = Metric.counter("ros_housekeeper_clusters_deleted_total", {
  description: "Cluster rows deleted, with everything below them, because their source was destroyed"
})

/** Experiments deleted at once; a cluster can hold thousands of workloads. */
const ENGINE_CONCURRENCY = 4

/** Topics a fresh broker may lack; an existing one is left as it is. */
const TOPIC_PARTITIONS = 3

const make = Effect.gen(function* () {
  const kafka = yield* Kafka
  const engine = yield* EngineClient
  const repo = yield* SourceClustersRepo
  const { sourcesEventTopic: topic } = yield* KafkaSettings
  const { housekeeperGroupId: groupId } = yield* PipelineSettings
  // Before consuming: without it no event can be judged (upstream exits; we wait a while, then fail the role).
  const costTypeId = yield* costApplicationTypeId()

  const deleteExperiment = (name: string) =>
    engine.deleteExperiment(name).pipe(
      Effect.zipRight(Metric.increment(experimentsDeleted)),
      Effect.catchTag("EngineRejected", (e: EngineRejected) =>
        Effect.logError(`engine refused to delete experiment ${name} (HTTP ${e.status}: ${e.message}); going on`).pipe(
          Effect.zipRight(Metric.increment(engineRejections))
        )
      )
    )

  const removeSourceData = Effect.fn("SourcesCleaner.removeSourceData")(function* (scope: SourceScope) {
    yield* Effect.annotateCurrentSpan({ orgId: scope.orgId, sourceId: scope.sourceId })
    const deleted = new Set<string>()
    let pending: ReadonlyArray<string> = yield* repo.experimentNames(scope)
    while (true) {
      const names = pending.filter((name) => !deleted.has(name))
      yield* Effect.forEach(
        names,
        (name) => deleteExperiment(name).pipe(Effect.tap(() => Effect.sync(() => deleted.add(name)))),
        {
          concurrency: ENGINE_CONCURRENCY,
          discard: true
        }
      )
      const outcome = yield* repo.deleteClusters(scope, deleted)
      if (outcome._tag === "Deleted") {
        yield* Metric.incrementBy(clustersDeleted, outcome.clusters)
        return yield* outcome.clusters === 0
          ? Effect.logInfo("no ROS data for the destroyed source")
          : Effect.logInfo(`deleted ${outcome.clusters} cluster(s) and ${deleted.size} experiment(s) of the source`)
      }
      // Workloads arrived while the experiments were being deleted: delete theirs too, then try again.
      pending = outcome.experimentNames
    }
  })

  yield* kafka.ensureTopics([{ topic, partitions: TOPIC_PARTITIONS }])
  yield* kafka.consume({
    groupId,
    topics: [topic],
    // Decoded by decideDestroy, after the event_type filter: other events' bodies are none of our business.
    value: Schema.String,
    handle: (text, message) =>
      Effect.flatMap(decideDestroy(costTypeId, message.headers, text), (decision) =>
        decision._tag === "Ignore"
          ? Effect.logDebug(`ignored: ${decision.reason}`)
          : removeSourceData(decision).pipe(
              Effect.annotateLogs({
                orgId: decision.orgId,
                sourceId: decision.sourceId,
                applicationId: decision.applicationId ?? ""
              })
            )
      ),
    isRetryable: (error) => error._tag !== "PoisonMessage"
  })
  yield* Effect.logInfo(`housekeeper consuming ${topic} as ${groupId}`)
})

/** The consumer, running for the life of the layer. */
export const SourcesCleaner = Layer.scopedDiscard(make.pipe(Effect.annotateLogs({ service: "housekeeper" })))
