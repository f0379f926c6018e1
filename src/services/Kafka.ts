/**
 * Kafka: publish with keys and headers, consume in consumer groups with manual commits.
 * `Kafka.layer` talks to the brokers of KAFKA_BOOTSTRAP_SERVERS; `Kafka.layerMemory` is the
 * deterministic in-memory broker for unit tests of logic.
 */
import { Context, Layer } from "effect"
import { makeLive } from "./kafka/KafkaLive.js"
import { makeMemory } from "./kafka/KafkaMemory.js"
import type { KafkaService } from "./kafka/KafkaService.js"

export class Kafka extends Context.Tag("ros/Kafka")<Kafka, KafkaService>() {
  static readonly layer = Layer.scoped(Kafka, makeLive)
  static readonly layerMemory = Layer.scoped(Kafka, makeMemory)
}

export {
  type ConsumerOptions,
  type IncomingMessage,
  type KafkaError,
  KafkaFailure,
  KafkaUnavailable,
  type OutgoingMessage,
  PoisonMessage,
  type TopicSpec
} from "./kafka/KafkaService.js"
