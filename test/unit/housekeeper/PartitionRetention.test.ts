/**
 * The partition job's schedule: it runs when the housekeeper starts and then every PARTITION_JOB_INTERVAL, with
 * the cutoff of the moment it runs; a failing run is retried, then left to the next interval; a negative
 * DATA_RETENTION_PERIOD stops the role instead of dropping current partitions. Time moves only through TestClock.
 */
import { SqlError } from "@effect/sql/SqlError"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Layer, Option, Ref, TestClock } from "effect"
import { PartitionRepo } from "../../../src/housekeeper/PartitionRepo.js"
import { PartitionRetention } from "../../../src/housekeeper/PartitionRetention.js"

const settings = (retentionDays: string) =>
  Layer.setConfigProvider(
    ConfigProvider.fromMap(
      new Map([
        ["DATA_RETENTION_PERIOD", retentionDays],
        ["PARTITION_JOB_INTERVAL", "1 hour"]
      ])
    )
  )

/** Runs the job with a repository that records each cutoff and answers with `answer(callNumber)`. */
const jobWith = (answer: (call: number) => Effect.Effect<Option.Option<number>, SqlError>, retentionDays = "15") =>
  Effect.gen(function* () {
    const cutoffs = yield* Ref.make<ReadonlyArray<string>>([])
    const repo = Layer.mock(PartitionRepo, {
      _tag: "ros/housekeeper/PartitionRepo",
      dropPartitionsBefore: (cutoff: string) =>
        Ref.updateAndGet(cutoffs, (all) => [...all, cutoff]).pipe(Effect.flatMap((all) => answer(all.length)))
    })
    const layer = PartitionRetention.pipe(Layer.provide(repo), Layer.provide(settings(retentionDays)))
    return { cutoffs, layer }
  })

describe("PartitionRetention", () => {
  it.scoped("runs at start and every PARTITION_JOB_INTERVAL, with the cutoff of the moment", () =>
    Effect.gen(function* () {
      // 23:30 on March 29: t = March 14 (⇒ Feb 16); an hour later t = March 15 (⇒ March 1).
      yield* TestClock.setTime(Date.parse("2024-03-29T23:30:00Z"))
      const { cutoffs, layer } = yield* jobWith(() => Effect.succeed(Option.some(2)))
      yield* Layer.build(layer)
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(cutoffs)).toEqual(["2024-02-16"])
      yield* TestClock.adjust("59 minutes")
      expect(yield* Ref.get(cutoffs)).toHaveLength(1)
      yield* TestClock.adjust("1 minute")
      expect(yield* Ref.get(cutoffs)).toEqual(["2024-02-16", "2024-03-01"])
      yield* TestClock.adjust("2 hours")
      expect(yield* Ref.get(cutoffs)).toHaveLength(4)
    })
  )

  it.scoped("retries a failing run, and keeps the schedule after giving up", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(Date.parse("2024-03-20T00:00:00Z"))
      // Two failures then success; then five failures (the retries run out); then success again.
      const failing = new Set([1, 2, 4, 5, 6, 7, 8])
      const { cutoffs, layer } = yield* jobWith((call) =>
        failing.has(call)
          ? Effect.fail(new SqlError({ message: "connection refused" }))
          : Effect.succeed(Option.some(0))
      )
      yield* Layer.build(layer)
      yield* TestClock.adjust("1 minute")
      expect(yield* Ref.get(cutoffs)).toHaveLength(3)
      yield* TestClock.adjust("1 hour")
      expect(yield* Ref.get(cutoffs)).toHaveLength(8)
      yield* TestClock.adjust("1 hour")
      expect(yield* Ref.get(cutoffs)).toHaveLength(9)
    })
  )

  it.scoped("goes on when another process holds the job's lock", () =>
    Effect.gen(function* () {
      const { cutoffs, layer } = yield* jobWith(() => Effect.succeed(Option.none()))
      yield* Layer.build(layer)
      yield* TestClock.adjust("61 minutes")
      expect(yield* Ref.get(cutoffs)).toHaveLength(2)
    })
  )

  it.scoped("refuses a negative DATA_RETENTION_PERIOD", () =>
    Effect.gen(function* () {
      const { cutoffs, layer } = yield* jobWith(() => Effect.succeed(Option.some(0)), "-1")
      const exit = yield* Effect.exit(Layer.build(layer))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(yield* Ref.get(cutoffs)).toHaveLength(0)
    })
  )
})
