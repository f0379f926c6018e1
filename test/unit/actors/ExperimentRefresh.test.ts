/**
 * The Experiment entity's Refresh (the poller's work for one rosocp.kruize.recommendations message) on the
 * in-memory cluster: whether the engine is asked at all, with which exact time, what is stored and reported,
 * and that a repeated message is answered without doing it again.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { Experiment, type RefreshPayload, RefreshUnrecorded } from "../../../actors/Experiment.js"
import type { WorkloadRow } from "../../../src/processor/WorkloadRepo.js"
import { EngineRejected, EngineUnavailable } from "../../../src/services/EngineClient.js"
import { MemoryEngine } from "../../support/memoryEngine.js"
import { MemoryRos } from "../../support/memoryRos.js"
import { containerAnswer, MAX_END, NAMESPACE_EXPERIMENT, namespaceAnswer } from "../poller/EngineAnswers.js"
import { containerRow, interval } from "../processor/UsageCsvFixtures.js"
import { EXPERIMENT_NAME } from "../recommender/Section4Fixture.js"
import { containerUsage, drive, elapsedSeconds, settle, storedRequests, withActors } from "./ActorHarness.js"

const MAX_END_TEXT = "2026-06-01T11:45:00.000Z"
const HOUR = 3_600_000

const frontend: WorkloadRow = {
  orgId: "7654321",
  clusterId: 3,
  experimentName: EXPERIMENT_NAME,
  namespace: "shop",
  workloadType: "deployment",
  workloadName: "frontend",
  containers: ["app", "istio-proxy"],
  metricsUploadAt: MAX_END
}

const refresh = (workloadId: number, requestId = "req-1", maxEndtimeReport = MAX_END_TEXT): RefreshPayload => ({
  requestId,
  orgId: "7654321",
  workloadId,
  maxEndtimeReport,
  experimentType: "container"
})

const refreshOf = (experiment: string, payload: RefreshPayload) =>
  Effect.flatMap(Experiment.client, (client) => drive(client(experiment).Refresh(payload)))

describe("Experiment.Refresh", () => {
  it.effect("nothing stored yet (new): the engine is asked at exactly Max_endtime_report, the valid one stored", () =>
    Effect.gen(function* () {
      expect(MAX_END.toISOString()).toBe(MAX_END_TEXT)
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* engine.answer(EXPERIMENT_NAME, containerAnswer())
      yield* refreshOf(EXPERIMENT_NAME, refresh(id))

      expect(engine.recommendationRequests).toEqual([{ experiment: EXPERIMENT_NAME, intervalEndTime: MAX_END_TEXT }])
      expect(ros.storedContainer).toHaveLength(1)
      expect(ros.storedContainer[0]?.workloadId).toBe(id)
      // istio-proxy has not enough data (120001): only app is stored
      expect(ros.storedContainer[0]?.containers.map((c) => c.containerName)).toEqual(["app"])
      expect(ros.storedContainer[0]?.containers[0]?.entries.map((e) => e.monitoringEndTime)).toEqual([
        "2026-06-01T11:45:00Z"
      ])
      expect(ros.recommendationsDone).toEqual([
        { requestId: "req-1", experimentName: EXPERIMENT_NAME, outcome: "stored", maxEndtimeReport: MAX_END_TEXT }
      ])
    }).pipe(withActors())
  )

  it.effect("a namespace experiment is asked the same way and stored as a namespace recommendation", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload({
        ...frontend,
        experimentName: NAMESPACE_EXPERIMENT,
        workloadType: "namespace",
        workloadName: null,
        containers: null
      })
      yield* engine.answer(NAMESPACE_EXPERIMENT, namespaceAnswer())
      yield* refreshOf(NAMESPACE_EXPERIMENT, { ...refresh(id), experimentType: "namespace" })

      expect(engine.recommendationRequests).toEqual([
        { experiment: NAMESPACE_EXPERIMENT, intervalEndTime: MAX_END_TEXT }
      ])
      expect(ros.storedContainer).toEqual([])
      expect(ros.storedNamespace.map((n) => [n.workloadId, n.namespaceName])).toEqual([[id, "shop"]])
      expect(ros.recommendationsDone.map((r) => r.outcome)).toEqual(["stored"])
    }).pipe(withActors())
  )

  it.effect("not due (23 h after the stored one, poll interval 24 h): no engine call; due at 24 h", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* engine.answer(EXPERIMENT_NAME, containerAnswer())

      // 2026-06-02T11:45 is 23 h after the stored 2026-06-01T12:45, and not the 1st of a month
      yield* ros.setRecommendationEnd(id, "container", new Date(MAX_END.getTime() + HOUR))
      yield* refreshOf(EXPERIMENT_NAME, refresh(id, "req-1", "2026-06-02T11:45:00.000Z"))
      expect(engine.attempts("updateRecommendations")).toBe(0)
      expect(ros.storedContainer).toEqual([])
      expect(ros.recommendationsDone).toEqual([
        {
          requestId: "req-1",
          experimentName: EXPERIMENT_NAME,
          outcome: "not_due",
          maxEndtimeReport: "2026-06-02T11:45:00.000Z"
        }
      ])

      yield* ros.setRecommendationEnd(id, "container", new Date(MAX_END.getTime() - 24 * HOUR))
      yield* refreshOf(EXPERIMENT_NAME, refresh(id, "req-2"))
      expect(engine.recommendationRequests).toEqual([{ experiment: EXPERIMENT_NAME, intervalEndTime: MAX_END_TEXT }])
      expect(ros.recommendationsDone.map((r) => r.outcome)).toEqual(["not_due", "stored"])
    }).pipe(withActors())
  )

  it.effect("the workload is gone (deleted by the housekeeper): skipped without asking the engine", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* ros.deleteWorkload(EXPERIMENT_NAME)
      yield* refreshOf(EXPERIMENT_NAME, refresh(id))

      expect(engine.attempts("updateRecommendations")).toBe(0)
      expect(ros.storedContainer).toEqual([])
      expect(ros.recommendationsDone).toEqual([
        { requestId: "req-1", experimentName: EXPERIMENT_NAME, outcome: "skipped", maxEndtimeReport: MAX_END_TEXT }
      ])
    }).pipe(withActors())
  )

  it.effect("the same requestId + Max_endtime_report twice: asked, stored and settled once", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* engine.answer(EXPERIMENT_NAME, containerAnswer())
      yield* refreshOf(EXPERIMENT_NAME, refresh(id))
      yield* refreshOf(EXPERIMENT_NAME, refresh(id))

      expect(engine.attempts("updateRecommendations")).toBe(1)
      expect(ros.storedContainer).toHaveLength(1)
      expect(ros.recommendationsDone).toHaveLength(1)
      // volatile: the poller's Kafka offset, committed after the answer, is what survives a crash
      expect(yield* storedRequests("Experiment", "Refresh")).toHaveLength(0)
    }).pipe(withActors())
  )

  it.effect("the decision not recorded (database away): answered RefreshUnrecorded; handed on again, it settles", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* engine.answer(EXPERIMENT_NAME, containerAnswer())
      yield* ros.failNext("recommendationDone")
      const failure = yield* Effect.flip(refreshOf(EXPERIMENT_NAME, refresh(id)))
      expect(failure).toBeInstanceOf(RefreshUnrecorded)
      expect(ros.recommendationsDone).toEqual([])

      yield* refreshOf(EXPERIMENT_NAME, refresh(id))
      // the first attempt stored the recommendation, so the second finds it not due and only settles
      expect(engine.attempts("updateRecommendations")).toBe(1)
      expect(ros.storedContainer).toHaveLength(1)
      expect(ros.recommendationsDone.map((r) => r.outcome)).toEqual(["not_due"])
    }).pipe(withActors())
  )

  it.effect("an answer without the experiment yet is retried on the clock until the engine has it", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      const start = yield* elapsedSeconds
      // the engine answers [] ("no experiment") until the answer is set
      const fiber = yield* Effect.fork(
        Effect.flatMap(Experiment.client, (c) => c(EXPERIMENT_NAME).Refresh(refresh(id)))
      )
      yield* settle(() => engine.attempts("updateRecommendations") >= 3, "three attempts")
      expect(fiber.unsafePoll()).toBeNull()
      expect(ros.recommendationsDone).toEqual([])
      yield* engine.answer(EXPERIMENT_NAME, containerAnswer())
      yield* drive(Fiber.join(fiber))

      expect((yield* elapsedSeconds) - start).toBeGreaterThanOrEqual(0.4 + 0.8)
      expect(ros.storedContainer).toHaveLength(1)
      expect(ros.recommendationsDone.map((r) => r.outcome)).toEqual(["stored"])
    }).pipe(withActors())
  )

  it.effect("the engine refusing the request is recorded, not retried", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* engine.failNext(
        "updateRecommendations",
        new EngineRejected({ operation: "updateRecommendations", status: 400, message: "Invalid interval_end_time" }),
        { times: 5 }
      )
      yield* refreshOf(EXPERIMENT_NAME, refresh(id))

      expect(engine.attempts("updateRecommendations")).toBe(1)
      expect(ros.storedContainer).toEqual([])
      expect(ros.recommendationsDone).toEqual([
        {
          requestId: "req-1",
          experimentName: EXPERIMENT_NAME,
          outcome: "rejected",
          detail: "Invalid interval_end_time",
          maxEndtimeReport: MAX_END_TEXT
        }
      ])
    }).pipe(withActors())
  )

  it.effect("a refresh does not wait behind hand-offs that hold every hand-off slot", () =>
    Effect.gen(function* () {
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const id = yield* ros.seedWorkload(frontend)
      yield* engine.answer(EXPERIMENT_NAME, containerAnswer())
      // another workload's hand-off takes the runner's only slot and keeps retrying an engine that fails
      const usage = yield* containerUsage([containerRow(interval(0))])
      expect(usage.experimentName).not.toBe(EXPERIMENT_NAME)
      yield* engine.failNext(
        "updateResults",
        new EngineUnavailable({ operation: "updateResults", message: "HTTP 503: engine restarting" }),
        { times: 1_000 }
      )
      const handOff = yield* Effect.fork(
        Effect.flatMap(Experiment.client, (c) =>
          c(usage.experimentName).AddResults({
            requestId: "req-0",
            fileKey: "bucket/a.csv",
            orgId: "7654321",
            workloadId: 99,
            usage
          })
        )
      )
      yield* settle(() => engine.attempts("updateResults") >= 2, "the hand-off retrying")

      yield* refreshOf(EXPERIMENT_NAME, refresh(id))
      expect(ros.recommendationsDone.map((r) => r.outcome)).toEqual(["stored"])
      expect(handOff.unsafePoll()).toBeNull()
      expect(ros.experimentsDone).toEqual([])
    }).pipe(withActors({ concurrentMessages: 1 }))
  )
})
