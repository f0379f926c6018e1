/**
 * The processor role's consumer (spec ros-ocp-backend §1.3, §1.4): each hccm.ros.events message is decoded
 * with upstream's validation (an invalid one is poison: logged, counted, committed) and each of its files is
 * handed to the cluster's ClusterIngest as a persisted message. The offset is committed only once every file
 * is durably stored; a redelivery finds the same primary keys and changes nothing.
 */
import { Effect, Layer } from "effect"
import { ClusterIngest, clusterIngestId } from "../../actors/ClusterIngest.js"
import { type RosEvent, RosEventJson } from "../../schema/ros/RosEvent.js"
import { Kafka } from "../services/Kafka.js"
import { KafkaSettings } from "../services/Settings.js"
import { fileKeyOf } from "./UsageFileDownload.js"

const TOPIC_PARTITIONS = 3

const make = Effect.gen(function* () {
  const kafka = yield* Kafka
  const topics = yield* KafkaSettings
  const clusters = yield* ClusterIngest.client

  const handOff = (event: RosEvent) =>
    Effect.gen(function* () {
      const m = event.metadata
      // Upstream reads duplicate URLs twice; one file is one piece of work.
      const files = [...new Map(event.files.map((url) => [fileKeyOf(url), url])).entries()]
      if (files.length === 0) {
        yield* Effect.logWarning("hccm.ros.events message without files")
        return
      }
      const cluster = clusters(clusterIngestId(m.org_id, m.cluster_uuid))
      yield* Effect.forEach(
        files,
        ([fileKey, url]) =>
          cluster.IngestFile(
            {
              requestId: event.request_id,
              fileKey,
              url,
              fileCount: files.length,
              orgId: m.org_id,
              ...(m.account === undefined ? {} : { account: m.account }),
              sourceId: m.source_id,
              clusterUuid: m.cluster_uuid,
              clusterAlias: m.cluster_alias
            },
            { discard: true }
          ),
        { discard: true }
      )
      yield* Effect.logInfo(`handed ${files.length} file(s) to ClusterIngest`)
    }).pipe(Effect.annotateLogs({ requestId: event.request_id, cluster: event.metadata.cluster_uuid }))

  yield* kafka.ensureTopics([{ topic: topics.uploadTopic, partitions: TOPIC_PARTITIONS }])
  yield* kafka.consume({
    groupId: topics.consumerGroupId,
    topics: [topics.uploadTopic],
    value: RosEventJson,
    handle: handOff
  })
  yield* Effect.logInfo(`processor consuming ${topics.uploadTopic} as ${topics.consumerGroupId}`)
})

/** The consumer, for the life of the layer; needs Kafka and the ROS cluster (Sharding). */
export const RosEventConsumer = Layer.scopedDiscard(make.pipe(Effect.annotateLogs({ service: "processor" })))
