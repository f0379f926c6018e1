/**
 * The poller role's consumer (spec ros-ocp-backend §1.5, §3.8): each rosocp.kruize.recommendations message
 * (keys in any case, as Go reads them) becomes a Refresh of its Experiment, which decides whether a
 * recommendation is due, asks the engine and stores the answer. The offset is committed once the Experiment has
 * answered; a Refresh that fails (no runner hosts the experiment yet, the database is away) is handed on again
 * with backoff. Every message waits for its answer, so the partitions are handled at once, and within a partition
 * up to POLLER_CONCURRENT_MESSAGES messages of different experiments (those of one experiment in order).
 */
import { DateTime, Effect, Layer } from "effect"
import { Experiment } from "../../actors/Experiment.js"
import { type RecommendationMessage, RecommendationMessageJson } from "../../schema/ros/RecommendationMessage.js"
import { formatKruizeTimestamp } from "../processor/csv/GoTimestamp.js"
import { Kafka } from "../services/Kafka.js"
import { KafkaSettings, PipelineSettings } from "../services/Settings.js"

const TOPIC_PARTITIONS = 3

const make = Effect.gen(function* () {
  const kafka = yield* Kafka
  const topics = yield* KafkaSettings
  const settings = yield* PipelineSettings
  const experiments = yield* Experiment.client

  const handOff = (message: RecommendationMessage) => {
    const m = message.Metadata
    if (m.ExperimentType === "namespace" && settings.disableNamespaceRecommendations) {
      return Effect.logDebug("namespace recommendations are disabled")
    }
    return experiments(m.Experiment_name)
      .Refresh({
        requestId: message.Request_id,
        orgId: m.Org_id,
        workloadId: m.Workload_id,
        maxEndtimeReport: formatKruizeTimestamp(DateTime.toEpochMillis(m.Max_endtime_report)),
        experimentType: m.ExperimentType
      })
      .pipe(Effect.annotateLogs({ experiment: m.Experiment_name, requestId: message.Request_id }))
  }

  yield* kafka.ensureTopics([{ topic: topics.recommendationTopic, partitions: TOPIC_PARTITIONS }])
  yield* kafka.consume({
    groupId: settings.pollerGroupId,
    topics: [topics.recommendationTopic],
    value: RecommendationMessageJson,
    handle: handOff,
    partitionsConcurrently: TOPIC_PARTITIONS,
    concurrentKeys: settings.pollerConcurrentMessages
  })
  yield* Effect.logInfo(`poller consuming ${topics.recommendationTopic} as ${settings.pollerGroupId}`)
})

export const RecommendationConsumer = Layer.scopedDiscard(make.pipe(Effect.annotateLogs({ service: "poller" })))
