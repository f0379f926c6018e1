/**
 * The ROS actors (ClusterIngest, Experiment) on an in-memory cluster (`TestRunner.layer`: in-memory message
 * storage, one local runner) with the deterministic in-memory services of test/support/memory*.ts. Time moves
 * only through the TestClock: `drive` runs an effect while advancing the clock, `settle` advances it until the
 * actors reach a state.
 */
import { MessageStorage, Snowflake, TestRunner } from "@effect/cluster"
import { Deferred, Duration, Effect, Fiber, Layer, Option, TestClock } from "effect"
import { ClusterIngestLive } from "../../../actors/ClusterIngestLive.js"
import { ExperimentLive } from "../../../actors/ExperimentLive.js"
import type { ContainerExperimentUsage } from "../../../schema/ros/ExperimentUsage.js"
import { layerMemoryEngine } from "../../support/memoryEngine.js"
import { layerMemoryFiles } from "../../support/memoryFiles.js"
import { MemoryJournal } from "../../support/memoryJournal.js"
import { layerMemoryKafka } from "../../support/memoryKafka.js"
import { layerMemoryRos } from "../../support/memoryRos.js"
import { containerCsv, containerReport } from "../processor/UsageCsvFixtures.js"

export const RECOMMENDATION_TOPIC = "rosocp.kruize.recommendations"

export interface HarnessOptions {
  readonly chunkSize: number
  readonly retryFor: Duration.Duration
  readonly pollIntervalHours: number
  readonly namespaceEnabled: boolean
  readonly maxCsvBytes: number
  /** ClusterIngest's hand-offs at once; undefined: the actor's own default */
  readonly concurrentHandOffs: number | undefined
  /** files ingested at once by the (one) runner; undefined: the actor's own default */
  readonly concurrentFiles: number | undefined
  /** Experiment hand-offs (AddResults) at once in the runner; undefined: the actor's own default */
  readonly concurrentMessages: number | undefined
}

const defaults: HarnessOptions = {
  chunkSize: 100,
  retryFor: Duration.minutes(10),
  pollIntervalHours: 24,
  namespaceEnabled: true,
  maxCsvBytes: 1024 * 1024,
  concurrentHandOffs: undefined,
  concurrentFiles: undefined,
  concurrentMessages: undefined
}

/** Both entities, the in-memory cluster and the in-memory services (fresh state each time it is built). */
export const actorsLayer = (overrides: Partial<HarnessOptions> = {}) => {
  const options = { ...defaults, ...overrides }
  const entities = Layer.mergeAll(
    ClusterIngestLive({
      maxCsvBytes: options.maxCsvBytes,
      namespaceEnabled: options.namespaceEnabled,
      // both take ENGINE_RETRY_FOR, as in the runner role
      retryFor: options.retryFor,
      ...(options.concurrentHandOffs === undefined ? {} : { concurrentHandOffs: options.concurrentHandOffs }),
      ...(options.concurrentFiles === undefined ? {} : { concurrentFiles: options.concurrentFiles })
    }),
    ExperimentLive({
      chunkSize: options.chunkSize,
      recommendationTopic: RECOMMENDATION_TOPIC,
      pollIntervalHours: options.pollIntervalHours,
      retryFor: options.retryFor,
      ...(options.concurrentMessages === undefined ? {} : { concurrentMessages: options.concurrentMessages })
    })
  )
  return entities.pipe(
    Layer.provideMerge(TestRunner.layer),
    Layer.provideMerge(
      Layer.mergeAll(layerMemoryEngine, layerMemoryRos, layerMemoryFiles, layerMemoryKafka([RECOMMENDATION_TOPIC]))
    ),
    Layer.provideMerge(MemoryJournal.layer)
  )
}

const STEP = Duration.seconds(1)
const MAX_STEPS = 1_000

/**
 * Provides `actorsLayer(overrides)` to a test. When the test ends (a failed assertion included) the clock keeps
 * moving while the cluster shuts down: an entity handler sleeping in a retry on the TestClock would otherwise
 * hold the shutdown until the test times out.
 */
export const withActors =
  (overrides: Partial<HarnessOptions> = {}) =>
  <A, E, R>(test: Effect.Effect<A, E, R>) =>
    Effect.scoped(
      Effect.gen(function* () {
        const closing = yield* Deferred.make<void>()
        yield* Effect.forkScoped(Deferred.await(closing).pipe(Effect.zipRight(Effect.forever(TestClock.adjust(STEP)))))
        const context = yield* Layer.build(actorsLayer(overrides))
        yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined))
        return yield* Effect.provide(test, context)
      })
    )

/** Runs `effect` in a fiber and advances the TestClock a second at a time until it ends. */
export const drive = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const fiber = yield* Effect.fork(effect)
    for (let i = 0; i < MAX_STEPS; i++) {
      if (Option.isSome(yield* Fiber.poll(fiber))) break
      yield* TestClock.adjust(STEP)
    }
    if (Option.isNone(yield* Fiber.poll(fiber))) {
      yield* Fiber.interrupt(fiber)
      return yield* Effect.dieMessage(`drive: still running after ${MAX_STEPS} simulated seconds`)
    }
    return yield* Fiber.join(fiber)
  })

/** Advances the TestClock a second at a time until `done()` holds; dies when it never does. */
export const settle = (done: () => boolean, what: string) =>
  Effect.gen(function* () {
    for (let i = 0; i < MAX_STEPS && !done(); i++) yield* TestClock.adjust(STEP)
    if (!done()) return yield* Effect.dieMessage(`settle: ${what} did not happen within ${MAX_STEPS} simulated seconds`)
  })

/** Advances the TestClock by `seconds`; every sleep due meanwhile runs, in time order. */
export const advance = (seconds: number) => TestClock.adjust(Duration.seconds(seconds))

/** Simulated seconds elapsed on the TestClock. */
export const elapsedSeconds = Effect.map(TestClock.currentTimeMillis, (ms) => ms / 1000)

/** The container experiments of a usage CSV made of `rows` (test/unit/processor fixtures). */
export const containerUsages = (rows: ReadonlyArray<Record<string, string>>) =>
  containerReport(containerCsv(rows)).pipe(
    Effect.map((report): ReadonlyArray<ContainerExperimentUsage> => report.experiments)
  )

/** The one container experiment of a usage CSV made of `rows`. */
export const containerUsage = (rows: ReadonlyArray<Record<string, string>>) =>
  containerUsages(rows).pipe(
    Effect.flatMap((usages) =>
      usages.length === 1 && usages[0] !== undefined
        ? Effect.succeed(usages[0])
        : Effect.dieMessage(`expected one experiment, got ${usages.length}`)
    )
  )

/** The persisted requests of an entity RPC in the in-memory message storage, in the order they were stored. */
export const requestsIn = (driver: MessageStorage.MemoryDriver, entityType: string, tag: string) =>
  driver.journal.flatMap((envelope) =>
    envelope._tag === "Request" && envelope.address.entityType === entityType && envelope.tag === tag ? [envelope] : []
  )

export const storedRequests = (entityType: string, tag: string) =>
  Effect.map(MessageStorage.MemoryDriver, (driver) => requestsIn(driver, entityType, tag))

/**
 * What a crashed runner leaves behind: the stored message loses its reply and is unprocessed again, so the
 * cluster delivers it to the entity a second time (at-least-once delivery).
 */
export const redeliver = (requestId: string) =>
  Effect.flatMap(MessageStorage.MemoryDriver, (driver) => driver.encoded.clearReplies(Snowflake.Snowflake(requestId)))
