/**
 * Vitest global setup: after the whole run, deletes the Kafka topics and consumer groups test runs left behind. Every
 * test names its own with a unique suffix (`<name>-<time base36>-<6 random>`, see `unique`); left behind, they pile
 * up on a developer's long-lived Kafka (hundreds per run) until restarting it takes longer than `infra/up` waits.
 * Best effort: a failure is printed, never fails the run. Names without the suffix (the real topics) are kept, and
 * so are the ones made in the last STALE_AFTER_MS: another test run or a benchmark may be using them right now
 * (deleting them made that run's sends fail with "This server does not host this topic-partition").
 */
import { Effect } from "effect"
import { Kafka, logLevel } from "kafkajs"
import { KafkaSettings } from "../../src/services/Settings.js"

const TEST_NAME = /-([0-9a-z]{8})-[0-9a-z]{6}$/
const STALE_AFTER_MS = 30 * 60_000

/** A test topic or group made long enough ago that no run still uses it (its name says when). */
const isStaleTestName = (name: string, now: number) => {
  const made = TEST_NAME.exec(name)?.[1]
  return made !== undefined && now - Number.parseInt(made, 36) > STALE_AFTER_MS
}

const cleanUp = async () => {
  const settings = await Effect.runPromise(KafkaSettings)
  const admin = new Kafka({
    clientId: "ros-ocp-test-cleanup",
    brokers: [...settings.brokers],
    logLevel: logLevel.NOTHING,
    retry: { retries: 1 }
  }).admin()
  await admin.connect()
  try {
    const now = Date.now()
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => isStaleTestName(g, now))
    if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined)
    const topics = (await admin.listTopics()).filter((t) => isStaleTestName(t, now))
    for (let i = 0; i < topics.length; i += 100) {
      await admin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 30_000 })
    }
    return { groups: groups.length, topics: topics.length }
  } finally {
    await admin.disconnect()
  }
}

export default () => async () => {
  try {
    const removed = await cleanUp()
    if (removed.topics + removed.groups > 0) {
      process.stdout.write(`kafka: removed ${removed.topics} test topic(s) and ${removed.groups} test group(s)\n`)
    }
  } catch (error) {
    // No Kafka running (a run of unit tests only) leaves nothing to clean.
    const message = error instanceof Error ? error.message : String(error)
    if (!/ECONNREFUSED|Connection error/i.test(message)) {
      process.stdout.write(`kafka: test topics left in place (${message})\n`)
    }
  }
}
