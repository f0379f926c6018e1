/**
 * The Experiment entity's AddResults on the in-memory cluster: results reach the engine in message order and in
 * interval order, in chunks of at most KRUIZE_MAX_BULK_CHUNK_SIZE, then the poller is told, with the workload id
 * ClusterIngest stored; AddResults writes no workload or usage row itself. It is volatile (never in the message
 * storage): the same message twice runs twice, and the engine's "already exists" counts as sent. Passing failures
 * are retried on the TestClock's schedule and refusals are not.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Schema } from "effect"
import { type AddResultsPayload, Experiment } from "../../../actors/Experiment.js"
import type { ContainerExperimentUsage } from "../../../schema/ros/ExperimentUsage.js"
import { RecommendationMessageJson } from "../../../schema/ros/RecommendationMessage.js"
import { workloadRowOf } from "../../../src/processor/UsageRows.js"
import { EngineClient, EngineRejected, EngineUnavailable } from "../../../src/services/EngineClient.js"
import { MemoryEngine } from "../../support/memoryEngine.js"
import { MemoryJournal } from "../../support/memoryJournal.js"
import { MemoryKafka } from "../../support/memoryKafka.js"
import { MemoryRos } from "../../support/memoryRos.js"
import { containerRow, interval } from "../processor/UsageCsvFixtures.js"
import {
  advance,
  containerUsage,
  drive,
  elapsedSeconds,
  RECOMMENDATION_TOPIC,
  settle,
  storedRequests,
  withActors
} from "./ActorHarness.js"

const ORG = "3340851"

/** One workload's usage over intervals [from, to), one row per interval. */
const usageOver = (from: number, to: number) =>
  containerUsage(Array.from({ length: to - from }, (_, i) => containerRow(interval(from + i))))

const payload = (
  usage: ContainerExperimentUsage,
  requestId: string,
  fileKey: string,
  workloadId = 7
): AddResultsPayload => ({ requestId, fileKey, orgId: ORG, workloadId, usage })

/** The workload ClusterIngest would have stored for the usage; returns its id. */
const seedWorkloadOf = (usage: ContainerExperimentUsage) =>
  Effect.flatMap(MemoryRos, (ros) => ros.seedWorkload(workloadRowOf(usage, ORG, 3)))

const endsOf = (usage: ContainerExperimentUsage) => usage.results.map((r) => r.interval_end_time)

const unavailable = new EngineUnavailable({ operation: "updateResults", message: "HTTP 503: engine restarting" })

describe("Experiment.AddResults: order", () => {
  it.effect("250 intervals go to the engine as chunks of 100, 100, 50, in interval order, then one Kafka message", () =>
    Effect.gen(function* () {
      const usage = yield* usageOver(0, 250)
      const workloadId = yield* seedWorkloadOf(usage)
      const client = (yield* Experiment.client)(usage.experimentName)
      yield* drive(client.AddResults(payload(usage, "req-1", "bucket/a.csv", workloadId)))

      const engine = yield* MemoryEngine
      expect(engine.accepted.map((a) => a.intervalEnds.length)).toEqual([100, 100, 50])
      const sent = engine.accepted.flatMap((a) => a.intervalEnds)
      expect(sent).toEqual(endsOf(usage))
      expect([...sent].sort()).toEqual(sent)
      expect(new Set(sent).size).toBe(250)

      // the workload and its usage rows are ClusterIngest's: the Experiment writes neither
      const ros = yield* MemoryRos
      expect(ros.workloads.get(usage.experimentName)?.writes).toBe(1)
      expect(ros.metrics).toEqual([])
      expect((yield* MemoryJournal).of("workloads")).toEqual([])

      const kafka = yield* MemoryKafka
      expect(kafka.sent).toHaveLength(1)
      expect(kafka.sent[0]).toMatchObject({ topic: RECOMMENDATION_TOPIC, key: usage.experimentName })
      const message = yield* Schema.decode(RecommendationMessageJson)(String(kafka.sent[0]!.value))
      expect(message.Request_id).toBe("req-1")
      expect(message.Metadata.Workload_id).toBe(workloadId)
      expect(message.Metadata.Org_id).toBe(ORG)
      expect(message.Metadata.ExperimentType).toBe("container")
      expect(message.Metadata.Max_endtime_report.epochMillis).toBe(Date.parse(usage.maxIntervalEnd))
      expect(ros.experimentsDone).toEqual([
        {
          requestId: "req-1",
          experimentName: usage.experimentName,
          fileKey: "bucket/a.csv",
          outcome: "sent",
          maxIntervalEnd: usage.maxIntervalEnd
        }
      ])

      // created before any result; the poller is told only after the last chunk, and then the progress
      const steps = (yield* MemoryJournal).entries.map((e) => `${e.service}.${e.op}`)
      expect(steps).toEqual([
        "engine.ensureProfile",
        "engine.createExperiment",
        "engine.updateResults",
        "engine.updateResults",
        "engine.updateResults",
        "kafka.send",
        "progress.experimentDone"
      ])
    }).pipe(withActors())
  )

  it.effect("the chunk size is the configured one", () =>
    Effect.gen(function* () {
      const usage = yield* usageOver(0, 7)
      yield* drive((yield* Experiment.client)(usage.experimentName).AddResults(payload(usage, "req-1", "f.csv")))
      expect((yield* MemoryEngine).accepted.map((a) => a.intervalEnds.length)).toEqual([3, 3, 1])
    }).pipe(withActors({ chunkSize: 3 }))
  )

  it.effect("messages of one experiment are handled one at a time, in the order they were sent", () =>
    Effect.gen(function* () {
      // two files of one upload, then a second upload whose data is older: message order, not time order
      const fileA = yield* usageOver(100, 250)
      const fileB = yield* usageOver(250, 310)
      const older = yield* usageOver(0, 100)
      const workloadId = yield* seedWorkloadOf(fileA)
      const client = (yield* Experiment.client)(fileA.experimentName)
      yield* client.AddResults(payload(fileA, "req-1", "bucket/a.csv", workloadId), { discard: true })
      yield* client.AddResults(payload(fileB, "req-1", "bucket/b.csv", workloadId), { discard: true })
      yield* client.AddResults(payload(older, "req-2", "bucket/a.csv", workloadId), { discard: true })
      const ros = yield* MemoryRos
      yield* settle(() => ros.experimentsDone.length === 3, "three AddResults handled")

      const engine = yield* MemoryEngine
      expect(engine.accepted.map((a) => a.intervalEnds.length)).toEqual([100, 50, 60, 100])
      expect(engine.accepted.flatMap((a) => a.intervalEnds)).toEqual([
        ...endsOf(fileA),
        ...endsOf(fileB),
        ...endsOf(older)
      ])
      expect(ros.experimentsDone.map((d) => d.requestId)).toEqual(["req-1", "req-1", "req-2"])
      // one Kafka message per handled message, in the same order
      const kafka = yield* MemoryKafka
      const messages = yield* Effect.forEach(kafka.sent, (m) =>
        Schema.decode(RecommendationMessageJson)(String(m.value))
      )
      expect(messages.map((m) => [m.Request_id, m.Metadata.Max_endtime_report.epochMillis])).toEqual([
        ["req-1", Date.parse(fileA.maxIntervalEnd)],
        ["req-1", Date.parse(fileB.maxIntervalEnd)],
        ["req-2", Date.parse(older.maxIntervalEnd)]
      ])
      expect(messages.map((m) => m.Metadata.Workload_id)).toEqual([workloadId, workloadId, workloadId])
    }).pipe(withActors())
  )
})

describe("Experiment.AddResults: repeated", () => {
  it.effect("the same AddResults twice is sent twice; the engine's duplicates count as sent, nothing is refused", () =>
    Effect.gen(function* () {
      const usage = yield* usageOver(0, 120)
      const workloadId = yield* seedWorkloadOf(usage)
      const client = (yield* Experiment.client)(usage.experimentName)
      // what a file ingested again after a crash hands on
      yield* drive(client.AddResults(payload(usage, "req-1", "bucket/a.csv", workloadId)))
      yield* drive(client.AddResults(payload(usage, "req-1", "bucket/a.csv", workloadId)))

      // nothing kept in the message storage, so the handler runs again: the entity knows the engine has the
      // experiment (not created again), and every chunk is sent again, which the engine keeps once
      expect(yield* storedRequests("Experiment", "AddResults")).toEqual([])
      const engine = yield* MemoryEngine
      expect(engine.attempts("createExperiment")).toBe(1)
      expect(engine.attempts("updateResults")).toBe(4)
      expect(engine.accepted.map((a) => a.intervalEnds.length)).toEqual([100, 20, 100, 20])
      expect(engine.results(usage.experimentName)).toEqual(endsOf(usage))
      // recorded sent both times, refused never
      const ros = yield* MemoryRos
      const sent = {
        requestId: "req-1",
        experimentName: usage.experimentName,
        fileKey: "bucket/a.csv",
        outcome: "sent",
        maxIntervalEnd: usage.maxIntervalEnd
      }
      expect(ros.experimentsDone).toEqual([sent, sent])
      expect(ros.reports).toEqual([])
      // the poller gets the same message twice, whose Refresh key (request id + Max_endtime_report) dedupes it
      const kafka = yield* MemoryKafka
      expect(kafka.sent).toHaveLength(2)
      expect(kafka.sent[1]!.value).toEqual(kafka.sent[0]!.value)
    }).pipe(withActors())
  )
})

describe("Experiment.AddResults: creating the experiment", () => {
  it.effect("a later file's results go without createExperiment; an experiment the engine lost is made again", () =>
    Effect.gen(function* () {
      const first = yield* usageOver(0, 10)
      const later = yield* usageOver(10, 20)
      const workloadId = yield* seedWorkloadOf(first)
      const client = (yield* Experiment.client)(first.experimentName)
      const engine = yield* MemoryEngine
      yield* drive(client.AddResults(payload(first, "req-1", "bucket/a.csv", workloadId)))
      yield* drive(client.AddResults(payload(later, "req-1", "bucket/b.csv", workloadId)))
      expect(engine.attempts("createExperiment")).toBe(1)
      expect(engine.attempts("updateResults")).toBe(2)

      // the housekeeper (or a new engine database) removed it: the next results are refused as unknown, the
      // experiment is created again and the chunk sent again; nothing is counted as refused
      yield* (yield* EngineClient).deleteExperiment(first.experimentName)
      const again = yield* usageOver(20, 30)
      yield* drive(client.AddResults(payload(again, "req-2", "bucket/a.csv", workloadId)))
      expect(engine.attempts("createExperiment")).toBe(2)
      expect(engine.attempts("updateResults")).toBe(4)
      expect(engine.results(first.experimentName)).toEqual(endsOf(again))
      const ros = yield* MemoryRos
      expect(ros.experimentsDone.map((d) => d.outcome)).toEqual(["sent", "sent", "sent"])
      expect(ros.reports).toEqual([])
    }).pipe(withActors())
  )
})

describe("Experiment.AddResults: retries on the TestClock", () => {
  it.effect("EngineUnavailable three times mid-file, then success: everything sent after the backoff", () =>
    Effect.gen(function* () {
      const usage = yield* usageOver(0, 250)
      const engine = yield* MemoryEngine
      // the first chunk goes through, the second fails three times
      yield* engine.failNext("updateResults", unavailable, { after: 1, times: 3 })
      const start = yield* elapsedSeconds
      const fiber = yield* Effect.fork(
        (yield* Experiment.client)(usage.experimentName).AddResults(payload(usage, "req-1", "f.csv"))
      )
      yield* settle(() => engine.attempts("updateResults") >= 2, "the first failure")
      expect(fiber.unsafePoll()).toBeNull()
      yield* drive(Fiber.join(fiber))

      expect(engine.results(usage.experimentName)).toEqual(endsOf(usage))
      expect(engine.attempts("createExperiment")).toBe(4) // the whole send runs again
      const ros = yield* MemoryRos
      expect(ros.experimentsDone).toEqual([
        {
          requestId: "req-1",
          experimentName: usage.experimentName,
          fileKey: "f.csv",
          outcome: "sent",
          maxIntervalEnd: usage.maxIntervalEnd
        }
      ])
      expect(ros.reports).toEqual([])
      expect((yield* MemoryKafka).sent).toHaveLength(1)
      // backoff 0.5 s, 1 s, 2 s, each jittered by ±20 %
      const retries = (yield* MemoryJournal).of("engine", "createExperiment").map((e) => e.at)
      const gaps = retries.slice(1).map((at, i) => at - retries[i]!)
      expect(gaps).toHaveLength(3)
      gaps.forEach((gap, i) => {
        expect(gap).toBeGreaterThanOrEqual(500 * 2 ** i * 0.8)
        expect(gap).toBeLessThanOrEqual(500 * 2 ** i * 1.2)
      })
      expect((yield* elapsedSeconds) - start).toBeLessThan(60)
    }).pipe(withActors())
  )

  it.effect("a Kafka failure is passing too: the whole send retried, nothing doubled", () =>
    Effect.gen(function* () {
      const usage = yield* usageOver(0, 120)
      const ros = yield* MemoryRos
      const kafka = yield* MemoryKafka
      yield* kafka.failNext(2)
      yield* drive((yield* Experiment.client)(usage.experimentName).AddResults(payload(usage, "req-1", "f.csv")))

      expect(ros.experimentsDone.map((d) => d.outcome)).toEqual(["sent"])
      expect(ros.reports).toEqual([])
      expect(kafka.sent).toHaveLength(1)
      expect((yield* MemoryJournal).of("kafka", "send").map((e) => e.failedWith)).toEqual([
        "KafkaUnavailable",
        "KafkaUnavailable",
        undefined
      ])
      expect((yield* MemoryEngine).results(usage.experimentName)).toEqual(endsOf(usage))
      expect((yield* MemoryEngine).attempts("createExperiment")).toBe(3)
    }).pipe(withActors())
  )

  it.effect(
    "EngineRejected on createExperiment: not retried, recorded as rejected and reported naming the experiment",
    () =>
      Effect.gen(function* () {
        const usage = yield* usageOver(0, 20)
        const engine = yield* MemoryEngine
        yield* engine.failNext(
          "createExperiment",
          new EngineRejected({ operation: "createExperiment", status: 400, message: "Invalid deployment type" }),
          { times: 5 }
        )
        yield* drive((yield* Experiment.client)(usage.experimentName).AddResults(payload(usage, "req-1", "f.csv")))

        expect(engine.attempts("createExperiment")).toBe(1)
        expect(engine.attempts("updateResults")).toBe(0)
        const ros = yield* MemoryRos
        expect(ros.experimentsDone).toEqual([
          {
            requestId: "req-1",
            experimentName: usage.experimentName,
            fileKey: "f.csv",
            outcome: "rejected",
            detail: "Invalid deployment type"
          }
        ])
        expect(ros.reports).toHaveLength(1)
        expect(ros.reports[0]).toMatchObject({ requestId: "req-1", stage: "experiments_updated", outcome: "failed" })
        expect(ros.reports[0]?.error).toContain(usage.experimentName)
        expect(ros.reports[0]?.error).toContain("createExperiment: Invalid deployment type")
        // the poller is not told
        expect((yield* MemoryKafka).sent).toEqual([])
      }).pipe(withActors())
  )

  it.effect(
    "EngineUnavailable beyond ENGINE_RETRY_FOR: backoff capped at 30 s, then recorded as failed, not retried",
    () =>
      Effect.gen(function* () {
        const usage = yield* usageOver(0, 20)
        const engine = yield* MemoryEngine
        yield* engine.failNext("createExperiment", unavailable, { times: 10_000 })
        const start = yield* elapsedSeconds
        yield* drive((yield* Experiment.client)(usage.experimentName).AddResults(payload(usage, "req-1", "f.csv")))
        const took = (yield* elapsedSeconds) - start

        // retried for the 2 minutes of retryFor, not much longer
        expect(took).toBeGreaterThanOrEqual(120)
        expect(took).toBeLessThanOrEqual(120 + 36 + 2)
        const attempts = (yield* MemoryJournal).of("engine", "createExperiment").map((e) => e.at)
        const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!)
        expect(Math.max(...gaps)).toBeLessThanOrEqual(36_000)
        expect(gaps.filter((gap) => gap >= 24_000).length).toBeGreaterThanOrEqual(2) // the cap was reached
        expect(gaps[0]).toBeLessThanOrEqual(600)

        const ros = yield* MemoryRos
        expect(ros.experimentsDone).toEqual([
          {
            requestId: "req-1",
            experimentName: usage.experimentName,
            fileKey: "f.csv",
            outcome: "rejected",
            detail: "HTTP 503: engine restarting"
          }
        ])
        // the upload status names the experiment and why
        expect(ros.reports).toHaveLength(1)
        expect(ros.reports[0]).toMatchObject({ requestId: "req-1", stage: "experiments_updated", outcome: "failed" })
        expect(ros.reports[0]?.error).toContain(usage.experimentName)
        expect(ros.reports[0]?.error).toContain("still failing after 2m")
        expect((yield* MemoryKafka).sent).toEqual([])

        // and nothing tries again later
        const tried = engine.attempts("createExperiment")
        yield* advance(90) // a retry would come within 36 s
        expect(engine.attempts("createExperiment")).toBe(tried)
      }).pipe(withActors({ retryFor: Duration.minutes(2) }))
  )
})
