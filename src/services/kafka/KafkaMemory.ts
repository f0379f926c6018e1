/**
 * A deterministic in-memory Kafka for unit tests of logic. It keeps the semantics tests rely on:
 * per-key partitioning and order, committed offsets per consumer group, redelivery of uncommitted
 * messages to the next member, partitions split across the members of a group, poison messages
 * committed. Unknown topics are refused, as the live producer (auto-creation off) refuses them.
 */
import { Effect, FiberSet, Queue, type Scope } from "effect"
import {
  type ConsumerOptions,
  type IncomingMessage,
  KafkaFailure,
  type KafkaService,
  type OutgoingMessage,
  type TopicSpec
} from "./KafkaService.js"
import { handleMessage } from "./MessageHandling.js"

interface Member {
  readonly id: number
  readonly topics: ReadonlyArray<string>
  readonly wake: Queue.Queue<void>
}

interface Group {
  readonly committed: Map<string, number>
  readonly members: Array<Member>
}

/** Java's String.hashCode: stable across runs, so key → partition is deterministic. */
const hash = (key: string) => {
  let h = 0
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0
  return Math.abs(h)
}

const encode = (value: string | Uint8Array) => (typeof value === "string" ? new TextEncoder().encode(value) : value)

export const makeMemory: Effect.Effect<KafkaService, never, Scope.Scope> = Effect.gen(function* () {
  const topics = new Map<string, Array<Array<IncomingMessage>>>()
  const groups = new Map<string, Group>()
  let roundRobin = 0
  let nextMemberId = 0
  let clock = 0

  const wakeAll = (group?: Group) =>
    Effect.forEach(
      group ? group.members : [...groups.values()].flatMap((g) => g.members),
      (m) => Queue.offer(m.wake, undefined),
      {
        discard: true
      }
    )

  const send = (messages: ReadonlyArray<OutgoingMessage>) =>
    Effect.gen(function* () {
      const unknown = messages.find((m) => !topics.has(m.topic))
      if (unknown !== undefined) {
        return yield* new KafkaFailure({ operation: "send", message: `unknown topic ${unknown.topic}` })
      }
      for (const m of messages) {
        const partitions = topics.get(m.topic)!
        const index =
          m.key === undefined || m.key === null ? roundRobin++ % partitions.length : hash(m.key) % partitions.length
        const log = partitions[index]!
        log.push({
          topic: m.topic,
          partition: index,
          offset: String(log.length),
          key: m.key ?? null,
          value: encode(m.value),
          headers: { ...m.headers },
          timestamp: String(++clock)
        })
      }
      yield* wakeAll()
    })

  const ensureTopics = (specs: ReadonlyArray<TopicSpec>) =>
    Effect.sync(() => {
      for (const spec of specs) {
        if (!topics.has(spec.topic))
          topics.set(
            spec.topic,
            Array.from({ length: spec.partitions }, () => [])
          )
      }
    })

  /** Partitions owned by `member`: the group's sorted partitions dealt round-robin over its members. */
  const assigned = (group: Group, member: Member) => {
    const all = [...new Set(group.members.flatMap((m) => m.topics))]
      .sort()
      .flatMap((topic) => (topics.get(topic) ?? []).map((_, partition) => ({ topic, partition })))
    const position = group.members.indexOf(member)
    return all.filter(
      (_, i) => position >= 0 && i % group.members.length === position && member.topics.includes(all[i]!.topic)
    )
  }

  const consume = <A, E, R>(options: ConsumerOptions<A, E, R>) =>
    Effect.gen(function* () {
      const missing = options.topics.find((t) => !topics.has(t))
      if (missing !== undefined) {
        return yield* new KafkaFailure({ operation: "subscribe", message: `unknown topic ${missing}` })
      }
      const group = groups.get(options.groupId) ?? { committed: new Map<string, number>(), members: [] }
      groups.set(options.groupId, group)
      const member: Member = { id: nextMemberId++, topics: options.topics, wake: yield* Queue.sliding<void>(1) }
      const fromBeginning = options.fromBeginning ?? true
      if (!fromBeginning) {
        for (const topic of options.topics) {
          topics.get(topic)!.forEach((log, partition) => {
            const key = `${topic}:${partition}`
            if (!group.committed.has(key)) group.committed.set(key, log.length)
          })
        }
      }
      yield* Effect.acquireRelease(
        Effect.sync(() => group.members.push(member)).pipe(Effect.zipRight(wakeAll(group))),
        () =>
          Effect.sync(() => group.members.splice(group.members.indexOf(member), 1)).pipe(
            Effect.zipRight(wakeAll(group))
          )
      )
      const fibers = yield* FiberSet.make<void, never>()

      /** Handles the next uncommitted message of one owned partition; false when there is none. */
      const step = Effect.gen(function* () {
        for (const { topic, partition } of assigned(group, member)) {
          const key = `${topic}:${partition}`
          const offset = group.committed.get(key) ?? 0
          const message = topics.get(topic)![partition]![offset]
          if (message === undefined) continue
          yield* handleMessage(options, message)
          // Another member may have committed past it while this one handled it (after a rebalance).
          if ((group.committed.get(key) ?? 0) <= offset) group.committed.set(key, offset + 1)
          return true
        }
        return false
      })

      const loop = Effect.gen(function* () {
        while (true) {
          const progressed = yield* step
          if (!progressed) yield* Queue.take(member.wake)
        }
      })
      yield* FiberSet.run(fibers, loop)
    })

  return { send, consume, ensureTopics } satisfies KafkaService
})
