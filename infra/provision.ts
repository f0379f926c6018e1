/**
 * Creates the Kafka topics and S3 buckets of the flow on the local servers, idempotently.
 * Run by `infra/up` after the servers are up; prints one line per server and exits non-zero
 * with a one-line reason (prefixed by the server name) when something is wrong.
 *
 *   node --import tsx infra/provision.ts --kafka 127.0.0.1:29092 --s3 http://127.0.0.1:9000 [--only kafka|s3] [--timeout 90]
 *
 * Names follow src/services/Settings.ts (same env vars, same defaults), so a renamed topic or bucket
 * is provisioned under the name the app will use. KAFKA_TOPIC_PARTITIONS (default 3) sets the partition count.
 */

import { parseArgs } from "node:util"
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException
} from "@aws-sdk/client-s3"
import { type Admin, Kafka, logLevel } from "kafkajs"

class ProvisionError extends Error {
  constructor(
    readonly server: "kafka" | "s3",
    message: string
  ) {
    super(message)
  }
}

const env = (name: string, fallback: string): string => {
  const v = process.env[name]
  return v === undefined || v.trim() === "" ? fallback : v.trim()
}

// The SDK warns on every run that its 2027 releases need Node 22; this tooling targets Node 20 on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"

const { values } = parseArgs({
  options: {
    kafka: { type: "string", default: "127.0.0.1:29092" },
    s3: { type: "string", default: "http://127.0.0.1:9000" },
    only: { type: "string" },
    timeout: { type: "string", default: "90" }
  }
})

const timeoutMs = Number(values.timeout) * 1000
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
  console.error(`provision: --timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`)
  process.exit(2)
}

const partitions = Number(env("KAFKA_TOPIC_PARTITIONS", "3"))
if (!Number.isInteger(partitions) || partitions < 1) {
  console.error(
    `kafka: KAFKA_TOPIC_PARTITIONS must be a positive integer, got ${JSON.stringify(process.env.KAFKA_TOPIC_PARTITIONS)}`
  )
  process.exit(2)
}

const topics: ReadonlyArray<string> = [
  env("INGRESS_KAFKAANNOUNCETOPIC", "platform.upload.announce"),
  env("UPLOAD_TOPIC", "hccm.ros.events"),
  env("RECOMMENDATION_TOPIC", "rosocp.kruize.recommendations"),
  env("SOURCES_EVENT_TOPIC", "platform.sources.event-stream")
]

const publicBucket = env("REQUESTED_ROS_BUCKET", "ros-data")
const privateProbeBucket = env("INGRESS_STAGEBUCKET", "insights-upload-perma")
const buckets: ReadonlyArray<string> = [
  privateProbeBucket,
  env("PROCESSED_UPLOAD_BUCKET", "insights-upload-perm"),
  env("KOKU_BUCKET", "koku-bucket"),
  publicBucket
]

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

const messageOf = (e: unknown): string => {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause
    return cause instanceof Error && !e.message.includes(cause.message) ? `${e.message}: ${cause.message}` : e.message
  }
  return String(e)
}

/** Retries `attempt` until it succeeds or the deadline passes; the last error names what was being waited for. */
const retryUntil = async <A>(deadline: number, server: "kafka" | "s3", what: string, attempt: () => Promise<A>) => {
  let last: unknown
  for (;;) {
    try {
      return await attempt()
    } catch (e) {
      last = e
    }
    if (Date.now() >= deadline) {
      throw new ProvisionError(server, `${what} did not succeed within ${values.timeout}s: ${messageOf(last)}`)
    }
    await sleep(500)
  }
}

// ---------------------------------------------------------------- Kafka

const leadersReady = async (admin: Admin): Promise<string[]> => {
  const { topics: meta } = await admin.fetchTopicMetadata({ topics: [...topics] })
  return meta
    .filter((t) => t.partitions.length < partitions || t.partitions.some((p) => p.leader < 0))
    .map((t) => t.name)
}

const provisionKafka = async (deadline: number): Promise<string> => {
  const broker = values.kafka
  const kafka = new Kafka({
    clientId: "ros-ocp-infra",
    brokers: [broker],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    retry: { retries: 3, initialRetryTime: 200, maxRetryTime: 2000 }
  })
  const admin = kafka.admin()
  await retryUntil(deadline, "kafka", `connecting to ${broker}`, async () => {
    await admin.connect()
    const cluster = await admin.describeCluster()
    if (cluster.brokers.length === 0) throw new Error("the broker reports no brokers in its metadata")
  })
  try {
    const existing = new Set(await admin.listTopics())
    const missing = topics.filter((t) => !existing.has(t))
    if (missing.length > 0) {
      await retryUntil(deadline, "kafka", `creating topics ${missing.join(", ")}`, () =>
        admin.createTopics({
          topics: missing.map((topic) => ({ topic, numPartitions: partitions, replicationFactor: 1 })),
          waitForLeaders: true,
          timeout: 30_000
        })
      )
    }
    const present = topics.filter((t) => existing.has(t))
    const grown: string[] = []
    if (present.length > 0) {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: present })
      const tooFew = meta.filter((t) => t.partitions.length < partitions).map((t) => t.name)
      if (tooFew.length > 0) {
        await admin.createPartitions({ topicPartitions: tooFew.map((topic) => ({ topic, count: partitions })) })
        grown.push(...tooFew)
      }
    }
    await retryUntil(deadline, "kafka", "waiting for partition leaders", async () => {
      const notReady = await leadersReady(admin)
      if (notReady.length > 0) throw new Error(`no leader yet for ${notReady.join(", ")}`)
    })
    // The first group coordinator lookup creates __consumer_offsets; do it now so the first
    // consumer of a test does not wait for it ("The group coordinator is not available").
    await retryUntil(deadline, "kafka", "creating the group coordinator (__consumer_offsets)", () =>
      admin.fetchOffsets({ groupId: "ros-ocp-infra-warmup", topics: [topics[0] ?? "platform.upload.announce"] })
    )
    const notes = [
      missing.length > 0 ? `created ${missing.join(", ")}` : "",
      grown.length > 0 ? `grew to ${partitions} partitions: ${grown.join(", ")}` : ""
    ].filter((s) => s !== "")
    return `kafka: ${topics.length} topics ready with ${partitions} partitions${notes.length > 0 ? ` (${notes.join("; ")})` : ""}`
  } finally {
    await admin.disconnect()
  }
}

// ---------------------------------------------------------------- S3

const httpStatus = (e: unknown): number | undefined =>
  e instanceof S3ServiceException ? e.$metadata.httpStatusCode : undefined

const publicReadPolicy = (bucket: string): string =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PublicReadObjects",
        Effect: "Allow",
        Principal: "*",
        Action: ["s3:GetObject"],
        Resource: [`arn:aws:s3:::${bucket}/*`]
      }
    ]
  })

const anonymousGet = async (url: string): Promise<number> => {
  const r = await fetch(url, { signal: AbortSignal.timeout(10_000) })
  await r.arrayBuffer()
  return r.status
}

const provisionS3 = async (deadline: number): Promise<string> => {
  const endpoint = values.s3.replace(/\/+$/, "")
  const s3 = new S3Client({
    endpoint,
    region: env("S3_REGION", "us-east-1"),
    forcePathStyle: true,
    credentials: { accessKeyId: env("S3_ACCESS_KEY", "minioadmin"), secretAccessKey: env("S3_SECRET", "minioadmin") },
    maxAttempts: 2
  })
  try {
    const created: string[] = []
    for (const bucket of buckets) {
      const exists = await retryUntil(deadline, "s3", `checking bucket ${bucket} at ${endpoint}`, async () => {
        try {
          await s3.send(new HeadBucketCommand({ Bucket: bucket }))
          return true
        } catch (e) {
          const status = httpStatus(e)
          if (status === 404) return false
          if (status === 403) {
            throw new ProvisionError(
              "s3",
              `access denied on bucket ${bucket}: do S3_ACCESS_KEY/S3_SECRET match the running server?`
            )
          }
          throw e
        }
      }).catch((e: unknown) => {
        throw e instanceof ProvisionError ? e : new ProvisionError("s3", messageOf(e))
      })
      if (!exists) {
        try {
          await s3.send(new CreateBucketCommand({ Bucket: bucket }))
          created.push(bucket)
        } catch (e) {
          const name = e instanceof Error ? e.name : ""
          if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") {
            throw new ProvisionError("s3", `creating bucket ${bucket} failed: ${messageOf(e)}`)
          }
        }
      }
    }
    try {
      await s3.send(new PutBucketPolicyCommand({ Bucket: publicBucket, Policy: publicReadPolicy(publicBucket) }))
    } catch (e) {
      throw new ProvisionError("s3", `setting the public-read policy on ${publicBucket} failed: ${messageOf(e)}`)
    }
    // Prove it: an anonymous GET works on the public bucket and is refused on a private one.
    const probeKey = `.infra-probe/${process.pid}-${Date.now()}`
    try {
      for (const bucket of [publicBucket, privateProbeBucket]) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: probeKey, Body: "probe", ContentType: "text/plain" }))
      }
      const pub = await anonymousGet(`${endpoint}/${publicBucket}/${probeKey}`)
      if (pub !== 200) {
        throw new ProvisionError(
          "s3",
          `anonymous GET on ${publicBucket} answered HTTP ${pub}, expected 200 (policy not effective)`
        )
      }
      const priv = await anonymousGet(`${endpoint}/${privateProbeBucket}/${probeKey}`)
      if (priv !== 403) {
        throw new ProvisionError("s3", `anonymous GET on ${privateProbeBucket} answered HTTP ${priv}, expected 403`)
      }
    } finally {
      for (const bucket of [publicBucket, privateProbeBucket]) {
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: probeKey })).catch(() => undefined)
      }
    }
    return `s3: ${buckets.length} buckets ready${created.length > 0 ? ` (created ${created.join(", ")})` : ""}; ${publicBucket} is public-read (anonymous GET checked)`
  } finally {
    s3.destroy()
  }
}

// ---------------------------------------------------------------- main

const only = values.only
if (only !== undefined && only !== "kafka" && only !== "s3") {
  console.error(`provision: --only must be kafka or s3, got ${JSON.stringify(only)}`)
  process.exit(2)
}

const deadline = Date.now() + timeoutMs
const jobs: Array<["kafka" | "s3", Promise<string>]> = []
if (only === undefined || only === "kafka") jobs.push(["kafka", provisionKafka(deadline)])
if (only === undefined || only === "s3") jobs.push(["s3", provisionS3(deadline)])

let failed = false
for (const [server, job] of jobs) {
  try {
    console.log(await job)
  } catch (e) {
    failed = true
    const who = e instanceof ProvisionError ? e.server : server
    console.error(`${who}: provisioning failed: ${messageOf(e)}`)
  }
}
process.exit(failed ? 1 : 0)
