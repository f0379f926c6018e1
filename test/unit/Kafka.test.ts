import { describe } from "@effect/vitest"
import { Kafka } from "../../src/services/Kafka.js"
import { kafkaContract } from "../support/kafkaContract.js"

describe("Kafka.layerMemory", () => {
  kafkaContract(Kafka.layerMemory)
})
