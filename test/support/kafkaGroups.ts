/**
 * Kafka consumer-group set-up for tests that read a shared topic.
 */
import { Effect } from "effect"
import { Kafka as KafkaJs, logLevel } from "kafkajs"
import { KafkaSettings } from "../../src/services/Settings.js"

/**
 * Commits the topic's current end offsets for a new group, so that the group's first member reads only
 * what is published from now on (a group without offsets would resolve "latest" only after it joined,
 * racing with the test's first write).
 */
export const positionGroupAtEnd = (groupId: string, topic: string) =>
  Effect.gen(function* () {
    const settings = yield* KafkaSettings
    const admin = new KafkaJs({
      clientId: "ros-ocp-test",
      brokers: [...settings.brokers],
      logLevel: logLevel.NOTHING
    }).admin()
    yield* Effect.acquireUseRelease(
      Effect.promise(() => admin.connect()),
      () =>
        Effect.promise(async () => {
          const ends = await admin.fetchTopicOffsets(topic)
          await admin.setOffsets({
            groupId,
            topic,
            partitions: ends.map((p) => ({ partition: p.partition, offset: p.offset }))
          })
        }),
      () => Effect.promise(() => admin.disconnect())
    )
  }).pipe(Effect.orDie)
