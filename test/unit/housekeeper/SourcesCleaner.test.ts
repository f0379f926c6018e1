/**
 * The sources cleaner's logic on the in-memory Kafka, with the engine, the repository and the Sources API stubbed:
 * every experiment is deleted before the clusters, including those of workloads that arrive meanwhile; a deletion
 * the engine refuses is counted and the clusters go anyway; an engine that does not answer is retried until it
 * does; other events touch nothing. Time moves only through TestClock.
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Fiber, Layer, Metric, Queue, Ref, type Scope, TestClock } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import type { SourceScope } from "../../../src/housekeeper/DestroyEvent.js"
import type { ClustersDeletion } from "../../../src/housekeeper/SourceClustersRepo.js"
import { SourceClustersRepo } from "../../../src/housekeeper/SourceClustersRepo.js"
import { engineRejections, SourcesCleaner } from "../../../src/housekeeper/SourcesCleaner.js"
import {
  EngineClient,
  type EngineError,
  EngineRejected,
  EngineUnavailable
} from "../../../src/services/EngineClient.js"
import { Kafka } from "../../../src/services/Kafka.js"

const TOPIC = "events"
const COST = 7

type EngineAnswer = "ok" | "unavailable" | "rejected"

interface World {
  /** Every experiment deletion asked of the engine, in order. */
  readonly engineCalls: Ref.Ref<ReadonlyArray<string>>
  /** The experiments known to be deleted at each deleteClusters call. */
  readonly deletions: Ref.Ref<ReadonlyArray<ReadonlyArray<string>>>
  /** One entry per completed deletion, with the org and source it was for. */
  readonly done: Queue.Queue<string>
}

const setup = (options: {
  readonly experiments: ReadonlyArray<string>
  /** Answers of successive deleteClusters calls (the last one repeats). */
  readonly outcomes: ReadonlyArray<ClustersDeletion>
  /** The engine's answer for the n-th call (1-based) about `name`. */
  readonly engine?: (name: string, call: number) => EngineAnswer
}) =>
  Effect.gen(function* () {
    const world: World = {
      engineCalls: yield* Ref.make<ReadonlyArray<string>>([]),
      deletions: yield* Ref.make<ReadonlyArray<ReadonlyArray<string>>>([]),
      done: yield* Queue.unbounded<string>()
    }
    const engine = Layer.mock(EngineClient, {
      deleteExperiment: (name: string): Effect.Effect<void, EngineError> =>
        Ref.updateAndGet(world.engineCalls, (all) => [...all, name]).pipe(
          Effect.flatMap((all): Effect.Effect<void, EngineError> => {
            const answer = options.engine?.(name, all.filter((n) => n === name).length) ?? "ok"
            return answer === "ok"
              ? Effect.void
              : answer === "unavailable"
                ? Effect.fail(new EngineUnavailable({ operation: "deleteExperiment", message: "down" }))
                : Effect.fail(new EngineRejected({ operation: "deleteExperiment", status: 400, message: "no" }))
          })
        )
    })
    const repo = Layer.mock(SourceClustersRepo, {
      _tag: "ros/housekeeper/SourceClustersRepo",
      experimentNames: () => Effect.succeed([...options.experiments]),
      deleteClusters: (scope: SourceScope, known: ReadonlySet<string>): Effect.Effect<ClustersDeletion> =>
        Ref.updateAndGet(world.deletions, (all) => [...all, [...known].sort()]).pipe(
          Effect.map((all) => options.outcomes[Math.min(all.length, options.outcomes.length) - 1]),
          Effect.flatMap(
            (outcome): Effect.Effect<ClustersDeletion> =>
              outcome === undefined
                ? Effect.dieMessage("no outcome scripted")
                : outcome._tag === "Deleted"
                  ? Queue.offer(world.done, `${scope.orgId}/${scope.sourceId}`).pipe(Effect.as(outcome))
                  : Effect.succeed(outcome)
          )
        )
    })
    const sources = Layer.succeed(
      HttpClient.HttpClient,
      HttpClient.make((request) =>
        Effect.succeed(
          HttpClientResponse.fromWeb(
            request,
            Response.json({ data: [{ id: String(COST), name: "/insights/platform/cost-management" }] })
          )
        )
      )
    )
    const settings = Layer.setConfigProvider(
      ConfigProvider.fromMap(
        new Map([
          ["SOURCES_EVENT_TOPIC", TOPIC],
          ["HOUSEKEEPER_CONSUMER_GROUP_ID", "hk"]
        ])
      )
    )
    yield* Layer.build(
      SourcesCleaner.pipe(Layer.provide(Layer.mergeAll(engine, repo, sources)), Layer.provide(settings))
    )
    return world
  })

const publish = (orgId: string, body: Record<string, unknown>, eventType = "Application.destroy") =>
  Effect.flatMap(Kafka, (kafka) =>
    kafka.send([
      {
        topic: TOPIC,
        key: orgId,
        value: JSON.stringify(body),
        headers: {
          "x-rh-sources-org-id": orgId,
          "x-rh-identity": makeIdentityHeader({ orgId }),
          event_type: eventType,
          encoding: "json"
        }
      }
    ])
  ).pipe(Effect.orDie)

/** The next completed deletion, with time moved far enough for every retry. */
const nextDeletion = (world: World) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(Queue.take(world.done))
    for (let i = 0; i < 20; i++) yield* TestClock.adjust("5 seconds")
    return yield* Fiber.join(fiber)
  })

const run = <A, E>(body: Effect.Effect<A, E, Kafka | Scope.Scope>) =>
  body.pipe(Effect.provide(Kafka.layerMemory), Effect.scoped)

describe("SourcesCleaner", () => {
  it.effect("deletes every experiment before the clusters, and those of workloads that arrive meanwhile", () =>
    run(
      Effect.gen(function* () {
        const world = yield* setup({
          experiments: ["a", "b"],
          outcomes: [
            { _tag: "Unseen", experimentNames: ["late"] },
            { _tag: "Deleted", clusters: 1 }
          ]
        })
        yield* publish("org1", { id: 3, source_id: 42, application_type_id: COST, tenant: "" })
        expect(yield* nextDeletion(world)).toBe("org1/42")
        expect([...(yield* Ref.get(world.engineCalls))].sort()).toEqual(["a", "b", "late"])
        expect(yield* Ref.get(world.deletions)).toEqual([
          ["a", "b"],
          ["a", "b", "late"]
        ])
      })
    )
  )

  it.effect("counts a deletion the engine refuses and deletes the clusters anyway", () =>
    run(
      Effect.gen(function* () {
        const before = (yield* Metric.value(engineRejections)).count
        const world = yield* setup({
          experiments: ["a", "b"],
          outcomes: [{ _tag: "Deleted", clusters: 1 }],
          engine: (name) => (name === "b" ? "rejected" : "ok")
        })
        yield* publish("org1", { id: 3, source_id: 42, application_type_id: COST })
        expect(yield* nextDeletion(world)).toBe("org1/42")
        expect((yield* Metric.value(engineRejections)).count - before).toBe(1)
        expect(yield* Ref.get(world.engineCalls)).toHaveLength(2)
      })
    )
  )

  it.effect("retries an engine that does not answer, and deletes the clusters only once it has", () =>
    run(
      Effect.gen(function* () {
        const world = yield* setup({
          experiments: ["a"],
          outcomes: [{ _tag: "Deleted", clusters: 1 }],
          engine: (_name, call) => (call <= 3 ? "unavailable" : "ok")
        })
        yield* publish("org1", { id: 3, source_id: 42, application_type_id: COST })
        expect(yield* nextDeletion(world)).toBe("org1/42")
        expect(yield* Ref.get(world.engineCalls)).toEqual(["a", "a", "a", "a"])
        expect(yield* Ref.get(world.deletions)).toEqual([["a"]])
      })
    )
  )

  it.effect("touches nothing for other events, other application types and poison", () =>
    run(
      Effect.gen(function* () {
        const world = yield* setup({ experiments: ["a"], outcomes: [{ _tag: "Deleted", clusters: 1 }] })
        yield* publish("org1", { id: 3, source_id: 1, application_type_id: COST }, "Application.update")
        yield* publish("org1", { id: 3, source_id: 2, application_type_id: COST }, "Source.destroy")
        yield* publish("org1", { id: 3, source_id: 3, application_type_id: COST + 1 })
        yield* publish("org1", { id: 3, source_id: "4", application_type_id: COST })
        yield* publish("org1", { id: 3, source_id: 5, application_type_id: COST })
        expect(yield* nextDeletion(world)).toBe("org1/5")
        expect(yield* Ref.get(world.deletions)).toEqual([["a"]])
      })
    )
  )
})
