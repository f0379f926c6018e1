import { describe } from "@effect/vitest"
import { Kafka } from "../../src/services/Kafka.js"
import { kafkaContract } from "../support/kafkaContract.js"

// The live broker of infra/up (KAFKA_BOOTSTRAP_SERVERS, default 127.0.0.1:29092).
describe("Kafka.layer on the real broker", () => {
  kafkaContract(Kafka.layer)
})
