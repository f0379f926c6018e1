/**
 * Kafka over kafkajs. Offsets are committed by hand, only after the handler has succeeded (or declared the
 * message poison), so a crash never skips a message.
 */

import { Deferred, Effect, Exit, FiberId, FiberSet, Runtime, Schedule, type Scope } from "effect"
import type { ConfigError } from "effect/ConfigError"
import {
  type Consumer,
  type EachBatchPayload,
  type IHeaders,
  Kafka as KafkaJs,
  logLevel as KafkaLogLevel,
  type KafkaMessage,
  type LogEntry,
  Partitioners
} from "kafkajs"
import { coalesced } from "../Coalesced.js"
import { KafkaSettings } from "../Settings.js"
import {
  type ConsumerOptions,
  type IncomingMessage,
  type KafkaError,
  KafkaFailure,
  type KafkaService,
  KafkaUnavailable,
  type OutgoingMessage,
  type TopicSpec
} from "./KafkaService.js"
import { handleMessage } from "./MessageHandling.js"

/** kafkajs marks passing failures `retriable`; exhausted retries and connection errors are passing too. */
const toKafkaError = (operation: string) => (cause: unknown) => {
  const e = cause as { name?: string; message?: string; retriable?: boolean }
  const message = e?.message ?? String(cause)
  const passing =
    e?.retriable === true ||
    [
      "KafkaJSConnectionError",
      "KafkaJSNumberOfRetriesExceeded",
      "KafkaJSRequestTimeoutError",
      "KafkaJSBrokerNotFound"
    ].includes(e?.name ?? "")
  return passing ? new KafkaUnavailable({ operation, message }) : new KafkaFailure({ operation, message })
}

const attempt = <A>(operation: string, f: () => Promise<A>) =>
  Effect.tryPromise({ try: f, catch: toKafkaError(operation) })

const headersOf = (headers: IHeaders | undefined): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value
    if (first !== undefined) out[name] = typeof first === "string" ? first : first.toString("utf8")
  }
  return out
}

const toIncoming = (topic: string, partition: number, m: KafkaMessage): IncomingMessage => ({
  topic,
  partition,
  offset: m.offset,
  key: m.key === null ? null : m.key.toString("utf8"),
  value: m.value === null ? null : new Uint8Array(m.value.buffer, m.value.byteOffset, m.value.byteLength),
  headers: headersOf(m.headers),
  timestamp: m.timestamp
})

const toKafkaJsMessage = (m: OutgoingMessage) => ({
  key: m.key ?? null,
  value: typeof m.value === "string" ? m.value : Buffer.from(m.value.buffer, m.value.byteOffset, m.value.byteLength),
  ...(m.headers === undefined ? {} : { headers: { ...m.headers } })
})

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString()

const SENDS_PER_REQUEST = 500
/**
 * Handled messages are committed together: a commit per message was a round trip to the broker each time (its
 * socket writes alone were a tenth of the poller's CPU profile). A crash redelivers at most these, and every
 * handler here is idempotent.
 */
const COMMIT_EVERY_MESSAGES = 100
const COMMIT_AFTER_MS = 1_000

export const makeLive: Effect.Effect<KafkaService, KafkaError | ConfigError, Scope.Scope> = Effect.gen(function* () {
  const settings = yield* KafkaSettings
  const runtime = yield* Effect.runtime<never>()
  const log = (entry: LogEntry) => {
    const text = `kafkajs ${entry.namespace}: ${entry.log.message}`
    const effect =
      entry.level === KafkaLogLevel.ERROR
        ? Effect.logError(text)
        : entry.level === KafkaLogLevel.WARN
          ? Effect.logWarning(text)
          : Effect.logDebug(text)
    Runtime.runFork(runtime)(effect)
  }
  const kafka = new KafkaJs({
    clientId: settings.clientId,
    brokers: [...settings.brokers],
    connectionTimeout: 3000,
    retry: { initialRetryTime: 200, retries: 5 },
    logLevel: KafkaLogLevel.INFO,
    logCreator: () => log
  })

  const producer = yield* Effect.acquireRelease(
    Effect.gen(function* () {
      const p = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false })
      yield* attempt("connect producer", () => p.connect())
      return p
    }),
    (p) => Effect.promise(() => p.disconnect())
  )

  const sendNow = (messages: ReadonlyArray<OutgoingMessage>) => {
    const byTopic = new Map<string, Array<ReturnType<typeof toKafkaJsMessage>>>()
    for (const m of messages) {
      const list = byTopic.get(m.topic) ?? []
      list.push(toKafkaJsMessage(m))
      byTopic.set(m.topic, list)
    }
    return attempt("send", () =>
      producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, msgs]) => ({ topic, messages: msgs })) })
    ).pipe(
      Effect.asVoid,
      Effect.withSpan("Kafka.send", { attributes: { messages: messages.length }, captureStackTrace: false })
    )
  }

  // Sends made while one is in flight share the next produce request: many Experiment entities each send one
  // message, and each caller is answered when its own messages are acknowledged.
  const send = yield* coalesced<ReadonlyArray<OutgoingMessage>, KafkaError>({
    max: SENDS_PER_REQUEST,
    run: (sends) => sendNow(sends.flat()),
    closing: new KafkaUnavailable({ operation: "send", message: "the producer is closing" })
  })

  const ensureTopics = (topics: ReadonlyArray<TopicSpec>) =>
    Effect.acquireUseRelease(
      Effect.sync(() => kafka.admin()).pipe(Effect.tap((a) => attempt("connect admin", () => a.connect()))),
      (admin) =>
        Effect.gen(function* () {
          const existing = new Set(yield* attempt("list topics", () => admin.listTopics()))
          const missing = topics.filter((t) => !existing.has(t.topic))
          if (missing.length === 0) return
          yield* attempt("create topics", () =>
            admin.createTopics({
              waitForLeaders: true,
              topics: missing.map((t) => ({ topic: t.topic, numPartitions: t.partitions, replicationFactor: 1 }))
            })
          )
        }),
      (admin) => Effect.promise(() => admin.disconnect())
    ).pipe(Effect.withSpan("Kafka.ensureTopics"))

  const consume = <A, E, R>(options: ConsumerOptions<A, E, R>) =>
    Effect.gen(function* () {
      const concurrentKeys = Math.max(1, options.concurrentKeys ?? 1)
      const consumer: Consumer = yield* Effect.acquireRelease(
        Effect.gen(function* () {
          const c = kafka.consumer({
            groupId: options.groupId,
            maxWaitTimeInMs: 500,
            allowAutoTopicCreation: false,
            // kafkajs asks for a heartbeat interval of at most a third of the session (its default is 3 s).
            ...(options.sessionTimeoutMs === undefined
              ? {}
              : {
                  sessionTimeout: options.sessionTimeoutMs,
                  heartbeatInterval: Math.min(3_000, Math.floor(options.sessionTimeoutMs / 3))
                }),
            retry: { initialRetryTime: 200, retries: 8 }
          })
          yield* attempt("connect consumer", () => c.connect())
          return c
        }),
        (c) => Effect.promise(() => c.disconnect())
      )
      // Acquired after the consumer, so released before it: in-flight handlers stop first,
      // then the member leaves the group.
      const fibers = yield* FiberSet.make<unknown, never>()
      const runFork = yield* FiberSet.runtime(fibers)<R>()
      const joined = yield* Deferred.make<void>()
      consumer.on(consumer.events.GROUP_JOIN, () => {
        Deferred.unsafeDone(joined, Exit.void)
      })

      const processBatch = async (payload: EachBatchPayload) => {
        const { batch } = payload
        // The offset after the last handled message, not committed yet.
        let handled: string | undefined
        let handledCount = 0
        let lastCommit = Date.now()
        // Through the batch's own commit, which kafkajs still sends while the consumer stops (it waits for this
        // function before leaving the group); consumer.commitOffsets is skipped once stopping has begun. Run on
        // the service's runtime because the handlers' FiberSet is already closed then.
        const commit = async () => {
          if (handled === undefined) return
          const offset = handled
          handled = undefined
          handledCount = 0
          lastCommit = Date.now()
          await Runtime.runPromise(runtime)(
            attempt("commit", () =>
              payload.commitOffsetsIfNecessary({
                topics: [{ topic: batch.topic, partitions: [{ partition: batch.partition, offset }] }]
              })
            ).pipe(
              Effect.catchAll((e) =>
                Effect.logWarning("offset commit failed; these messages will be delivered again", e.message)
              )
            )
          )
        }
        // One heartbeat for the whole batch keeps the group membership while a long message is handled; a fiber
        // of its own for every message cost more than many messages' handling. kafkajs sends one only when its
        // heartbeat interval has passed since the last (its own included), so this asks every second: asked at
        // the interval's pace, a call just before it was due was skipped and the next came a whole interval
        // later, and with a session of twice the interval a busy machine lost the membership.
        const heartbeat = runFork(
          attempt("heartbeat", () => payload.heartbeat()).pipe(
            Effect.ignore,
            Effect.repeat(Schedule.spaced("1 second"))
          )
        )
        // Messages of different keys are handled at once, up to `concurrentKeys`; those of one key one after the
        // other, in order. Only the offsets before the first message not yet handled are committed.
        const launched: Array<{ readonly offset: string; done: boolean }> = []
        let contiguous = 0
        const advance = () => {
          while (launched[contiguous]?.done === true) {
            const { offset } = launched[contiguous]!
            payload.resolveOffset(offset)
            handled = nextOffset(offset)
            handledCount += 1
            contiguous += 1
          }
        }
        /** Each key's last launched message: true once handled, false if it (or one before it) was not. */
        const lastOfKey = new Map<string, Promise<boolean>>()
        const running = new Set<Promise<boolean>>()
        let failed = false
        try {
          for (const raw of batch.messages) {
            while (running.size >= concurrentKeys) await Promise.race(running)
            if (failed || !payload.isRunning() || payload.isStale()) break
            if (handledCount >= COMMIT_EVERY_MESSAGES || Date.now() - lastCommit >= COMMIT_AFTER_MS) await commit()
            const message = toIncoming(batch.topic, batch.partition, raw)
            const entry = { offset: raw.offset, done: false }
            launched.push(entry)
            const key = message.key ?? ""
            const run: Promise<boolean> = (lastOfKey.get(key) ?? Promise.resolve(true))
              .then(async (before) => {
                if (!before || failed) return false
                const exit = await new Promise<Exit.Exit<unknown, unknown>>((resolve) => {
                  runFork(handleMessage(options, message)).addObserver(resolve)
                })
                if (Exit.isFailure(exit)) {
                  failed = true
                  return false
                }
                entry.done = true
                advance()
                return true
              })
              .finally(() => {
                running.delete(run)
                if (lastOfKey.get(key) === run) lastOfKey.delete(key)
              })
            lastOfKey.set(key, run)
            running.add(run)
          }
          await Promise.all(running)
        } finally {
          heartbeat.unsafeInterruptAsFork(FiberId.none)
          await commit()
        }
      }

      yield* attempt("subscribe", () =>
        consumer.subscribe({ topics: [...options.topics], fromBeginning: options.fromBeginning ?? true })
      )
      yield* attempt("run consumer", () =>
        consumer.run({
          autoCommit: false,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1,
          eachBatch: processBatch
        })
      )
      yield* Deferred.await(joined).pipe(
        Effect.timeoutFail({
          duration: "60 seconds",
          onTimeout: () =>
            new KafkaUnavailable({ operation: "join group", message: `no group assignment for ${options.groupId}` })
        })
      )
    }).pipe(Effect.withSpan("Kafka.consume", { attributes: { groupId: options.groupId } }))

  return { send, consume, ensureTopics } satisfies KafkaService
})
