/**
 * Deterministic test layer: an in-memory recommendation engine behind the `EngineClient` tag, for unit tests of
 * actor logic (not of Kruize's HTTP contract, which the recommender and integration tests cover). It behaves like
 * the engine where the actors rely on it: createExperiment answers a second create as success ("already exists"),
 * updateResults refuses results of an experiment that was never created, and a repeated interval is a duplicate
 * that is kept once. A test scripts passing or permanent failures with `failNext`, and reads every call back.
 */
import { Context, Effect, Layer } from "effect"
import { EngineClient, type EngineError, type UpdateResultsEntry } from "../../src/services/EngineClient.js"
import { MemoryJournal } from "./memoryJournal.js"

export type EngineOperation =
  | "ensureProfile"
  | "createExperiment"
  | "updateResults"
  | "updateRecommendations"
  | "deleteExperiment"

/** One updateResults request the engine accepted: its experiment and its interval ends, in body order. */
export interface AcceptedResults {
  readonly experiment: string
  readonly intervalEnds: ReadonlyArray<string>
}

export interface RecommendationRequest {
  readonly experiment: string
  readonly intervalEndTime: string
}

export interface MemoryEngineService {
  /** every call, failed ones included */
  readonly attempts: (operation: EngineOperation) => number
  /** experiments created, in creation order (a repeated create is not listed twice) */
  readonly experiments: ReadonlyArray<string>
  /** accepted updateResults requests, in arrival order */
  readonly accepted: ReadonlyArray<AcceptedResults>
  /** the interval ends stored for an experiment, in arrival order, duplicates kept once */
  readonly results: (experiment: string) => ReadonlyArray<string>
  /** updateRecommendations calls that got an answer */
  readonly recommendationRequests: ReadonlyArray<RecommendationRequest>
  /**
   * After `after` more calls of `operation` that go through, the next `times` calls fail with `error` before the
   * engine does anything.
   */
  readonly failNext: (
    operation: EngineOperation,
    error: EngineError,
    options?: { readonly times?: number; readonly after?: number }
  ) => Effect.Effect<void>
  /** what updateRecommendations answers for the experiment (default: an empty list) */
  readonly answer: (experiment: string, body: unknown) => Effect.Effect<void>
}

export class MemoryEngine extends Context.Tag("test/MemoryEngine")<MemoryEngine, MemoryEngineService>() {}

const experimentOf = (entries: ReadonlyArray<UpdateResultsEntry>) => entries[0]?.experiment_name ?? ""

const make = Effect.gen(function* () {
  const journal = yield* MemoryJournal
  const attempts = new Map<EngineOperation, number>()
  /** per operation, what its next calls do: go through (undefined) or fail */
  const script = new Map<EngineOperation, Array<EngineError | undefined>>()
  const experiments: Array<string> = []
  const accepted: Array<AcceptedResults> = []
  const results = new Map<string, Array<string>>()
  const recommendationRequests: Array<RecommendationRequest> = []
  const answers = new Map<string, unknown>()

  /** Counts the call, journals it, and fails it when a failure is scripted. */
  const call = (operation: EngineOperation, subject: string) =>
    Effect.suspend(() => {
      attempts.set(operation, (attempts.get(operation) ?? 0) + 1)
      const error = script.get(operation)?.shift()
      return journal
        .record(
          error === undefined
            ? { service: "engine", op: operation, subject }
            : { service: "engine", op: operation, subject, failedWith: error._tag }
        )
        .pipe(Effect.zipRight(error === undefined ? Effect.void : Effect.fail(error)))
    })

  const engine = EngineClient.of({
    ensureProfile: call("ensureProfile", "resource-optimization-openshift"),
    createExperiment: (body) => {
      const name = body[0].experiment_name
      return call("createExperiment", name).pipe(
        Effect.tap(() => Effect.sync(() => (experiments.includes(name) ? undefined : void experiments.push(name))))
      )
    },
    updateResults: (entries) => {
      const name = experimentOf(entries)
      return call("updateResults", name).pipe(
        Effect.zipRight(
          Effect.suspend(() => {
            const stored = results.get(name)
            // As the engine (and Kruize) answer: every entry refused, the request itself a partial failure.
            if (!experiments.includes(name)) {
              return Effect.succeed(
                entries.map((e) => ({
                  intervalEndTime: e.interval_end_time,
                  message: `Not Found: experiment_name does not exist: ${name}`
                }))
              )
            }
            const ends = entries.map((e) => e.interval_end_time)
            const kept = stored ?? []
            for (const end of ends) if (!kept.includes(end)) kept.push(end)
            results.set(name, kept)
            accepted.push({ experiment: name, intervalEnds: ends })
            return Effect.succeed([])
          })
        )
      )
    },
    updateRecommendations: (experimentName, intervalEndTime) =>
      call("updateRecommendations", experimentName).pipe(
        Effect.zipRight(
          Effect.sync(() => {
            recommendationRequests.push({ experiment: experimentName, intervalEndTime })
            return answers.get(experimentName) ?? []
          })
        )
      ),
    deleteExperiment: (experimentName) =>
      call("deleteExperiment", experimentName).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            const at = experiments.indexOf(experimentName)
            if (at >= 0) experiments.splice(at, 1)
            results.delete(experimentName)
          })
        )
      )
  })

  const control: MemoryEngineService = {
    attempts: (operation) => attempts.get(operation) ?? 0,
    experiments,
    accepted,
    results: (experiment) => results.get(experiment) ?? [],
    recommendationRequests,
    failNext: (operation, error, options) =>
      Effect.sync(() => {
        const queue = script.get(operation) ?? []
        for (let i = 0; i < (options?.after ?? 0); i++) queue.push(undefined)
        for (let i = 0; i < (options?.times ?? 1); i++) queue.push(error)
        script.set(operation, queue)
      }),
    answer: (experiment, body) => Effect.sync(() => void answers.set(experiment, body))
  }
  return Context.make(EngineClient, engine).pipe(Context.add(MemoryEngine, control))
})

/** `EngineClient` in memory, with its `MemoryEngine` control; needs the shared `MemoryJournal`. */
export const layerMemoryEngine: Layer.Layer<EngineClient | MemoryEngine, never, MemoryJournal> =
  Layer.effectContext(make)
