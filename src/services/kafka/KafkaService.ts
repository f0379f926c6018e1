/**
 * The shape of the Kafka service shared by the live (kafkajs) and in-memory implementations.
 */
import type { Duration, Effect, Schedule, Scope } from "effect"
import { Schema } from "effect"

export interface OutgoingMessage {
  readonly topic: string
  /** Messages with the same key go to the same partition, so their order is kept. */
  readonly key?: string | null
  readonly value: string | Uint8Array
  readonly headers?: Readonly<Record<string, string>>
}

export interface IncomingMessage {
  readonly topic: string
  readonly partition: number
  /** Kafka offsets are 64-bit; kept as the decimal string the broker sends. */
  readonly offset: string
  readonly key: string | null
  readonly value: Uint8Array | null
  readonly headers: Readonly<Record<string, string>>
  readonly timestamp: string
}

export interface ConsumerOptions<A, E, R> {
  readonly groupId: string
  readonly topics: ReadonlyArray<string>
  /** Where a group without committed offsets starts; default true (nothing published before start is missed). */
  readonly fromBeginning?: boolean
  /**
   * Decodes the message value (UTF-8 text) into the handler's input, e.g. `Schema.parseJson(Upload)`.
   * A value that does not decode is poison: logged, counted and committed.
   */
  readonly value: Schema.Schema<A, string>
  /** The offset is committed only after this succeeds. */
  readonly handle: (value: A, message: IncomingMessage) => Effect.Effect<void, E, R>
  /**
   * Whether a handler failure is worth retrying (an unavailable database, a timeout). Default: every
   * failure is. A failure that is not retryable makes the message poison.
   */
  readonly isRetryable?: (error: E) => boolean
  /**
   * Retries of retryable failures. The default backs off exponentially up to 30 s and never gives up,
   * because a message that failed for a passing reason must not be lost; shutdown interrupts the wait
   * and the uncommitted message is delivered again later. A finite schedule that runs out makes the
   * message poison.
   */
  readonly retry?: Schedule.Schedule<unknown, E>
  /**
   * How long the broker keeps this member without a heartbeat (kafkajs' default 30 s). Heartbeats go on while a
   * message is handled, however long that takes.
   */
  readonly sessionTimeoutMs?: number
  /** Partitions handled at once by this member. */
  readonly partitionsConcurrently?: number
  /**
   * Messages of one partition handled at once, at most one per key (default 1: one after the other). Messages of
   * one key are always handled in order; an offset is committed only once every message before it is handled.
   * The in-memory implementation handles one message at a time.
   */
  readonly concurrentKeys?: number
}

export interface TopicSpec {
  readonly topic: string
  readonly partitions: number
}

export interface KafkaService {
  /** Publishes the messages, in order per key; resolves once the broker has acknowledged all of them. */
  readonly send: (messages: ReadonlyArray<OutgoingMessage>) => Effect.Effect<void, KafkaError>
  /**
   * Joins `groupId` and handles messages until the surrounding scope closes. Resolves once the member
   * has joined and is fetching; on scope close the in-flight handler is interrupted (its message stays
   * uncommitted) and the member leaves the group.
   */
  readonly consume: <A, E, R>(options: ConsumerOptions<A, E, R>) => Effect.Effect<void, KafkaError, Scope.Scope | R>
  /** Creates the topics that do not exist yet; existing ones are left as they are. */
  readonly ensureTopics: (topics: ReadonlyArray<TopicSpec>) => Effect.Effect<void, KafkaError>
}

/** The broker cannot be reached or did not answer in time: worth retrying. */
export class KafkaUnavailable extends Schema.TaggedError<KafkaUnavailable>()("KafkaUnavailable", {
  operation: Schema.String,
  message: Schema.String
}) {}

/** The broker refused the request (unknown topic, bad configuration, authorization...). */
export class KafkaFailure extends Schema.TaggedError<KafkaFailure>()("KafkaFailure", {
  operation: Schema.String,
  message: Schema.String
}) {}

export type KafkaError = KafkaUnavailable | KafkaFailure

/** A message that can never be handled as it is: it is logged, counted and committed. */
export class PoisonMessage extends Schema.TaggedError<PoisonMessage>()("PoisonMessage", {
  reason: Schema.String
}) {}

export interface ConsumerTuning {
  /** How long a fetch waits for new data; lower means lower latency on quiet topics. */
  readonly maxWait: Duration.DurationInput
}
