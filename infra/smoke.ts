/**
 * Smoke test of the local servers with the project's own clients:
 * Kafka (kafkajs: admin create topic, produce, consume in a group, commit, read the committed offsets back,
 * delete topic) and S3 (@aws-sdk/client-s3: put, get, anonymous GET allowed on ros-data and denied elsewhere).
 *
 *   node --import tsx infra/smoke.ts [--kafka 127.0.0.1:29092] [--s3 http://127.0.0.1:9000]
 *
 * Exit code 0 when every check passed; one line per check.
 */

import { parseArgs } from "node:util"
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3"
import { Kafka, logLevel } from "kafkajs"

// The SDK warns on every run that its 2027 releases need Node 22; this tooling targets Node 20 on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"

const { values } = parseArgs({
  options: {
    kafka: { type: "string", default: "127.0.0.1:29092" },
    s3: { type: "string", default: "http://127.0.0.1:9000" }
  }
})
const bootstrap = values.kafka
const s3Endpoint = values.s3

const step = async <A>(name: string, run: () => Promise<A>): Promise<A> => {
  const t0 = performance.now()
  try {
    const a = await run()
    console.log(`ok   ${name} (${Math.round(performance.now() - t0)} ms)`)
    return a
  } catch (e) {
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`)
    throw e
  }
}

const withTimeout = <A>(ms: number, what: string, p: Promise<A>): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what}: timed out after ${ms} ms`)), ms)
    p.then(
      (a) => {
        clearTimeout(t)
        resolve(a)
      },
      (e: unknown) => {
        clearTimeout(t)
        reject(e)
      }
    )
  })

const kafkaSmoke = async (): Promise<void> => {
  const kafka = new Kafka({ clientId: "ros-ocp-infra-smoke", brokers: [bootstrap], logLevel: logLevel.ERROR })
  const admin = kafka.admin()
  const topic = `infra-smoke-${Date.now()}`
  const groupId = `${topic}-group`
  const count = 30
  await admin.connect()
  try {
    await step(`kafka admin describeCluster ${bootstrap}`, async () => {
      const c = await admin.describeCluster()
      if (c.brokers.length === 0) throw new Error("no brokers in cluster metadata")
    })
    await step(`kafka admin createTopics ${topic} (3 partitions)`, async () => {
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
        waitForLeaders: true
      })
      if (!created) throw new Error("topic already existed")
    })
    const producer = kafka.producer({ allowAutoTopicCreation: false })
    await producer.connect()
    await step(`kafka produce ${count} keyed messages (acks=all)`, async () => {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ key: `k${i % 7}`, value: `v${i}` }))
      })
    })
    await producer.disconnect()

    const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1_000 })
    await consumer.connect()
    await consumer.subscribe({ topics: [topic], fromBeginning: true })
    const seen = new Set<string>()
    await step(`kafka consume ${count} messages in group ${groupId} + commitOffsets`, () =>
      withTimeout(
        60_000,
        "consume",
        new Promise<void>((resolve, reject) => {
          consumer
            .run({
              autoCommit: false,
              eachMessage: async ({ topic: t, partition, message }) => {
                seen.add(message.value?.toString() ?? "")
                await consumer.commitOffsets([
                  { topic: t, partition, offset: (BigInt(message.offset) + 1n).toString() }
                ])
                if (seen.size === count) resolve()
              }
            })
            .catch(reject)
        })
      )
    )
    await consumer.disconnect()
    await step("kafka admin fetchOffsets shows every message committed", async () => {
      const offsets = await admin.fetchOffsets({ groupId, topics: [topic] })
      const total = offsets.flatMap((t) => t.partitions).reduce((n, p) => n + Number(p.offset), 0)
      if (total !== count) throw new Error(`committed offsets sum to ${total}, expected ${count}`)
    })
    await step(`kafka admin deleteTopics + deleteGroups`, async () => {
      await admin.deleteGroups([groupId])
      await admin.deleteTopics({ topics: [topic] })
    })
  } finally {
    await admin.disconnect()
  }
}

const s3Smoke = async (): Promise<void> => {
  const s3 = new S3Client({
    endpoint: s3Endpoint,
    region: process.env.S3_REGION ?? "us-east-1",
    forcePathStyle: true,
    credentials: {
      accessKeyId: process.env.S3_ACCESS_KEY ?? "minioadmin",
      secretAccessKey: process.env.S3_SECRET ?? "minioadmin"
    }
  })
  const key = `infra-smoke/${Date.now()}.txt`
  const body = "hello from infra/smoke.ts"
  try {
    for (const bucket of ["ros-data", "insights-upload-perma"]) {
      await step(`s3 put+get ${bucket}/${key}`, async () => {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: "text/plain" }))
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))
        const text = await got.Body?.transformToString()
        if (text !== body) throw new Error(`read back ${JSON.stringify(text)}`)
      })
    }
    await step("s3 anonymous GET allowed on ros-data", async () => {
      const r = await fetch(`${s3Endpoint}/ros-data/${key}`)
      if (r.status !== 200 || (await r.text()) !== body) throw new Error(`HTTP ${r.status}`)
    })
    await step("s3 anonymous GET denied on insights-upload-perma", async () => {
      const r = await fetch(`${s3Endpoint}/insights-upload-perma/${key}`)
      if (r.status !== 403) throw new Error(`expected HTTP 403, got ${r.status}`)
    })
  } finally {
    for (const bucket of ["ros-data", "insights-upload-perma"]) {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined)
    }
    s3.destroy()
  }
}

try {
  await kafkaSmoke()
  await s3Smoke()
  console.log("smoke: all checks passed")
} catch {
  process.exitCode = 1
}
