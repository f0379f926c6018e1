/**
 * The housekeeper's source deletions on the real servers: the role started on a throw-away `ros` database and a
 * sources event topic of its own, the real Sources API (the type lookup, and the Application.destroy it raises
 * when an application is deleted), the real recommendation engine, real Kafka and PostgreSQL. A destroyed
 * cost-management application removes the org's experiments and clusters of that source (with everything below
 * them) and nothing else: not another org's cluster with the same source id, not on another application type or
 * another event; an engine that is down is waited for; a redelivered event is harmless.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Metric, Queue, Ref, Schema, Scope } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { clustersDeleted, engineRejections } from "../../../src/housekeeper/SourcesCleaner.js"
import { type IncomingMessage, Kafka } from "../../../src/services/Kafka.js"
import { messagesPoisoned } from "../../../src/services/kafka/MessageHandling.js"
import { call as engineCall, engineOn } from "../../support/engineHarness.js"
import { rosProfileJson } from "../../support/kruizeFixtures.js"
import { databaseClient, scratchDatabaseName } from "../../support/scratchDatabase.js"
import { call, sourcesOn } from "../../support/sourcesHarness.js"
import {
  clusterExists,
  createExperiments,
  eventually,
  experimentsLeft,
  newOrg,
  publishEvent,
  remainsOf,
  seedCluster,
  startHousekeeper,
  unique
} from "./housekeeperHarness.js"

const P = "/api/sources/v3.1"

interface RawEvent {
  readonly key: string | null
  readonly headers: Readonly<Record<string, string>>
  readonly text: string
}

class Suite extends Context.Tag("test/HousekeeperSuite")<
  Suite,
  {
    readonly topic: string
    readonly groupId: string
    readonly sourcesUrl: string
    readonly engineUrl: string
    readonly costTypeId: number
    readonly openshiftTypeId: string
    readonly rosDatabase: string
    readonly stopEngine: Effect.Effect<void>
    readonly startEngine: Effect.Effect<void>
    /** Every message of the suite's topic, as it was published. */
    readonly published: Queue.Queue<RawEvent>
  }
>() {}

const SuiteLive = Layer.scoped(
  Suite,
  Effect.gen(function* () {
    const kafka = yield* Kafka
    const topic = unique("housekeeper-test-sources")
    const groupId = unique("housekeeper-test-group")
    yield* kafka.ensureTopics([{ topic, partitions: 3 }])

    const sources = yield* sourcesOn(yield* scratchDatabaseName("sources_housekeeper"), { SOURCES_EVENT_TOPIC: topic })
    const sourcesScope = yield* sources.start
    yield* Effect.addFinalizer(() => Scope.close(sourcesScope, Exit.void))

    const engine = yield* engineOn(yield* scratchDatabaseName("kruize_housekeeper"))
    const engineScope = yield* Ref.make(yield* engine.start)
    yield* Effect.addFinalizer(() => Effect.flatMap(Ref.get(engineScope), (scope) => Scope.close(scope, Exit.void)))
    const profile = yield* engineCall(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)
    if (profile.status !== 201) return yield* Effect.dieMessage(`profile not created: ${profile.text}`)

    const rosDatabase = yield* scratchDatabaseName("ros_housekeeper")
    const housekeeper = yield* startHousekeeper({
      rosDatabase,
      topic,
      groupId,
      engineUrl: engine.url,
      sourcesUrl: sources.url
    })
    yield* Effect.addFinalizer(() => Scope.close(housekeeper, Exit.void))

    const published = yield* Queue.unbounded<RawEvent>()
    yield* kafka.consume({
      groupId: unique("housekeeper-test-reader"),
      topics: [topic],
      value: Schema.String,
      handle: (text: string, message: IncomingMessage) =>
        Queue.offer(published, { key: message.key, headers: message.headers, text })
    })

    const types = yield* call(
      sources.url,
      "GET",
      `${P}/application_types?filter[name][eq]=/insights/platform/cost-management`
    )
    const sourceTypes = yield* call(sources.url, "GET", `${P}/source_types?filter[name]=openshift`)
    return {
      topic,
      groupId,
      sourcesUrl: sources.url,
      engineUrl: engine.url,
      costTypeId: Number((types.body as { data: ReadonlyArray<{ id: string }> }).data[0]?.id),
      rosDatabase,
      openshiftTypeId: (sourceTypes.body as { data: ReadonlyArray<{ id: string }> }).data[0]?.id ?? "",
      stopEngine: Effect.flatMap(Ref.get(engineScope), (scope) => Scope.close(scope, Exit.void)),
      startEngine: Effect.flatMap(engine.start, (scope) => Ref.set(engineScope, scope)),
      published
    }
  })
).pipe(Layer.provideMerge(Kafka.layer))

/** The suite, and a client on its `ros` database (built after the role, which has migrated it by then). */
const TestLive = Layer.unwrapEffect(Effect.map(Suite, (suite) => databaseClient(suite.rosDatabase))).pipe(
  Layer.provideMerge(SuiteLive)
)

/** Creates an OpenShift source with the cost-management application in the Sources API, for the org. */
const costSource = (orgId: string) =>
  Effect.gen(function* () {
    const { sourcesUrl, costTypeId, openshiftTypeId } = yield* Suite
    const identity = makeIdentityHeader({ orgId })
    const source = yield* call(sourcesUrl, "POST", `${P}/sources`, {
      identity,
      body: { name: unique("cluster"), source_type_id: openshiftTypeId, source_ref: crypto.randomUUID() }
    })
    if (source.status !== 201) return yield* Effect.dieMessage(`source not created: ${source.text}`)
    const sourceId = (source.body as { id: string }).id
    const app = yield* call(sourcesUrl, "POST", `${P}/applications`, {
      identity,
      body: { source_id: sourceId, application_type_id: costTypeId }
    })
    if (app.status !== 201) return yield* Effect.dieMessage(`application not created: ${app.text}`)
    const applicationId = (app.body as { id: string }).id
    /** DELETE of the application, which makes the Sources API raise Application.destroy. */
    const destroy = call(sourcesUrl, "DELETE", `${P}/applications/${applicationId}`, { identity }).pipe(
      Effect.flatMap((answer) =>
        answer.status === 204 ? Effect.void : Effect.dieMessage(`application not deleted: ${answer.text}`)
      )
    )
    return { sourceId, applicationId, destroy }
  })

/** A source id no Sources API of the suite gives out, for hand-made events. */
const handMadeSourceId = () => String(900_000 + Math.floor(Math.random() * 99_999))

/**
 * Destroys a throw-away source of the org and waits until it is gone. The org's events share a partition and are
 * handled in order, so once this one is done, every event published for the org before it has been handled.
 */
const barrier = (orgId: string) =>
  Effect.gen(function* () {
    const { topic, costTypeId } = yield* Suite
    const sourceId = handMadeSourceId()
    const sentinel = yield* seedCluster(orgId, sourceId, [])
    yield* publishEvent(topic, { orgId, sourceId, applicationTypeId: costTypeId })
    yield* eventually(
      "the barrier event handled",
      Effect.map(clusterExists(sentinel), (exists) => !exists)
    )
  })

const poisonCount = Effect.gen(function* () {
  const { topic, groupId } = yield* Suite
  const state = yield* Metric.value(
    messagesPoisoned.pipe(Metric.tagged("topic", topic), Metric.tagged("group", groupId))
  )
  return state.count
})

const untouched = { clusters: 1, workloads: 1, recommendations: 1, metrics: 1 }

describe("housekeeper: source deletions", () => {
  layer(TestLive, { excludeTestServices: true, timeout: "180 seconds" })((it) => {
    it.effect("deleting a cost-management application removes the org's experiments and data of that source", () =>
      Effect.gen(function* () {
        const { engineUrl } = yield* Suite
        const org = newOrg()
        const source = yield* costSource(org)
        const target = yield* seedCluster(org, source.sourceId, ["frontend", "backend"])
        // Another cluster of the same source (a changed alias makes a new row upstream): deleted too.
        const sibling = yield* seedCluster(org, source.sourceId, ["worker"])
        const otherSource = yield* seedCluster(org, handMadeSourceId(), ["billing"])
        const all = [...target.experiments, ...sibling.experiments, ...otherSource.experiments]
        yield* createExperiments(engineUrl, org, all)
        expect(yield* experimentsLeft(engineUrl, all)).toEqual(all)
        const deletedBefore = (yield* Metric.value(clustersDeleted)).count

        yield* source.destroy
        yield* eventually(
          "the source's clusters deleted",
          Effect.map(clusterExists(target), (exists) => !exists)
        )

        expect(yield* remainsOf(target)).toEqual({ clusters: 0, workloads: 0, recommendations: 0, metrics: 0 })
        expect(yield* remainsOf(sibling)).toEqual({ clusters: 0, workloads: 0, recommendations: 0, metrics: 0 })
        expect(yield* remainsOf(otherSource)).toEqual(untouched)
        expect(yield* experimentsLeft(engineUrl, all)).toEqual(otherSource.experiments)
        expect((yield* Metric.value(clustersDeleted)).count - deletedBefore).toBe(2)
      })
    )

    it.effect("leaves another org's cluster with the same source id alone", () =>
      Effect.gen(function* () {
        const { engineUrl } = yield* Suite
        const org = newOrg()
        const otherOrg = newOrg()
        const source = yield* costSource(org)
        const mine = yield* seedCluster(org, source.sourceId, ["frontend"])
        const theirs = yield* seedCluster(otherOrg, source.sourceId, ["frontend"])
        yield* createExperiments(engineUrl, org, mine.experiments)
        yield* createExperiments(engineUrl, otherOrg, theirs.experiments)

        yield* source.destroy
        yield* eventually(
          "the org's cluster deleted",
          Effect.map(clusterExists(mine), (exists) => !exists)
        )

        expect(yield* remainsOf(theirs)).toEqual(untouched)
        expect(yield* experimentsLeft(engineUrl, [...mine.experiments, ...theirs.experiments])).toEqual(
          theirs.experiments
        )
      })
    )

    it.effect("does nothing for another application type", () =>
      Effect.gen(function* () {
        const { topic, costTypeId, engineUrl } = yield* Suite
        const org = newOrg()
        const sourceId = handMadeSourceId()
        const cluster = yield* seedCluster(org, sourceId, ["frontend"])
        yield* createExperiments(engineUrl, org, cluster.experiments)

        yield* publishEvent(topic, { orgId: org, sourceId, applicationTypeId: costTypeId + 1000 })
        yield* barrier(org)

        expect(yield* remainsOf(cluster)).toEqual(untouched)
        expect(yield* experimentsLeft(engineUrl, cluster.experiments)).toEqual(cluster.experiments)
      })
    )

    it.effect("does nothing for other events, and commits a destroy it cannot read or scope", () =>
      Effect.gen(function* () {
        const { topic, costTypeId, engineUrl } = yield* Suite
        const org = newOrg()
        const sourceId = handMadeSourceId()
        const cluster = yield* seedCluster(org, sourceId, ["frontend"])
        yield* createExperiments(engineUrl, org, cluster.experiments)
        const poisonBefore = yield* poisonCount

        for (const eventType of ["Application.create", "Application.update", "Application.pause", "Source.destroy"]) {
          yield* publishEvent(topic, { orgId: org, sourceId, applicationTypeId: costTypeId, eventType })
        }
        // Poison: not JSON; and a destroy that names no org, which must not delete in every org.
        yield* publishEvent(topic, { orgId: org, sourceId, applicationTypeId: costTypeId, text: "{not json" })
        yield* publishEvent(topic, {
          orgId: org,
          sourceId,
          applicationTypeId: costTypeId,
          headers: { event_type: "Application.destroy", encoding: "json" }
        })
        yield* barrier(org)

        expect(yield* remainsOf(cluster)).toEqual(untouched)
        expect(yield* experimentsLeft(engineUrl, cluster.experiments)).toEqual(cluster.experiments)
        expect((yield* poisonCount) - poisonBefore).toBe(2)
      })
    )

    it.effect("waits for an engine that is down, then finishes once it is back", () =>
      Effect.gen(function* () {
        const { engineUrl, stopEngine, startEngine } = yield* Suite
        const org = newOrg()
        const source = yield* costSource(org)
        const cluster = yield* seedCluster(org, source.sourceId, ["frontend", "backend"])
        yield* createExperiments(engineUrl, org, cluster.experiments)

        yield* stopEngine
        yield* source.destroy
        // The event is being retried, uncommitted: nothing may be deleted while the engine cannot be told.
        yield* Effect.sleep("3 seconds")
        expect(yield* remainsOf(cluster)).toEqual({ clusters: 1, workloads: 2, recommendations: 2, metrics: 2 })

        yield* startEngine
        yield* eventually(
          "the cluster deleted after the engine came back",
          Effect.map(clusterExists(cluster), (e) => !e)
        )
        expect(yield* experimentsLeft(engineUrl, cluster.experiments)).toEqual([])
      })
    )

    it.effect("handles a redelivered destroy harmlessly", () =>
      Effect.gen(function* () {
        const { engineUrl, topic, published } = yield* Suite
        const org = newOrg()
        const source = yield* costSource(org)
        const cluster = yield* seedCluster(org, source.sourceId, ["frontend"])
        const bystander = yield* seedCluster(newOrg(), source.sourceId, ["frontend"])
        yield* createExperiments(engineUrl, org, cluster.experiments)
        yield* source.destroy
        yield* eventually(
          "the cluster deleted",
          Effect.map(clusterExists(cluster), (exists) => !exists)
        )

        // The exact message the Sources API published, delivered twice more.
        const original = yield* Effect.gen(function* () {
          while (true) {
            const event = yield* Queue.take(published)
            if (event.headers.event_type === "Application.destroy" && event.key === org) return event
          }
        })
        const rejectedBefore = (yield* Metric.value(engineRejections)).count
        const poisonBefore = yield* poisonCount
        const kafka = yield* Kafka
        const again = { topic, key: original.key, value: original.text, headers: original.headers }
        yield* kafka.send([again, again]).pipe(Effect.orDie)
        yield* barrier(org)

        expect((yield* Metric.value(engineRejections)).count).toBe(rejectedBefore)
        expect((yield* poisonCount) - poisonBefore).toBe(0)
        expect(yield* remainsOf(cluster)).toEqual({ clusters: 0, workloads: 0, recommendations: 0, metrics: 0 })
        expect(yield* remainsOf(bystander)).toEqual(untouched)
      })
    )

    it.effect(
      "finishes a destroy whose experiments are already gone from the engine (a redelivery after a crash)",
      () =>
        Effect.gen(function* () {
          const { engineUrl } = yield* Suite
          const org = newOrg()
          const source = yield* costSource(org)
          const cluster = yield* seedCluster(org, source.sourceId, ["frontend", "backend"])
          yield* createExperiments(engineUrl, org, cluster.experiments)
          // The first delivery got as far as the engine, then the process died before the rows were deleted.
          const gone = yield* engineCall(engineUrl, "DELETE", "/createExperiment", [
            { experiment_name: cluster.experiments[0] }
          ])
          expect(gone.status).toBe(201)
          const rejectedBefore = (yield* Metric.value(engineRejections)).count

          yield* source.destroy
          yield* eventually(
            "the cluster deleted",
            Effect.map(clusterExists(cluster), (exists) => !exists)
          )

          expect((yield* Metric.value(engineRejections)).count).toBe(rejectedBefore)
          expect(yield* experimentsLeft(engineUrl, cluster.experiments)).toEqual([])
        })
    )
  })
})
