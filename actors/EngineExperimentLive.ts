/**
 * EngineExperiment's behaviour. On activation it loads the experiment and its stored results (the last 15
 * days of interval_end, which retention keeps) from PostgreSQL into a ResultWindow; every write goes to
 * PostgreSQL first and then to the window, so passivation, a restart or a move to another runner loses
 * nothing. The window always knows every stored result's key (duplicates, retention); the decoded
 * intervals, needed only for recommendations, are held within the runner's WindowBudget and read back
 * from the database when missing.
 */
import { createHash } from "node:crypto"
import { Entity } from "@effect/cluster"
import { Clock, Effect, Layer, Option } from "effect"
import type { ExperimentDefinition } from "../schema/kruize/Experiment.js"
import { ExperimentAlreadyExists, ExperimentNotFound, NoMetricsAvailable } from "../schema/kruize/KruizeError.js"
import type { PerformanceProfile } from "../schema/kruize/PerformanceProfile.js"
import type { ListRecommendationsEntry } from "../schema/kruize/Recommendation.js"
import { encodeListRecommendations } from "../schema/kruize/RecommendationJson.js"
import type { StoredInterval } from "../schema/kruize/StoredResult.js"
import { MAX_TERM_DAYS, MS_PER_DAY } from "../src/recommender/algorithm/Constants.js"
import {
  containerExperimentEntry,
  namespaceExperimentEntry
} from "../src/recommender/algorithm/ListRecommendationsEntry.js"
import { type RecommendationResult, recommendOnSeries } from "../src/recommender/algorithm/Recommend.js"
import { EngineRepo, type StoredExperiment, type StoredRecommendations } from "../src/recommender/EngineRepo.js"
import { ProfileCache } from "../src/recommender/ProfileCache.js"
import { ResultWindow } from "../src/recommender/ResultWindow.js"
import { type AcceptedInterval, toAcceptedIntervals } from "../src/recommender/validation/AcceptedInterval.js"
import { validateResultRecords } from "../src/recommender/validation/UpdateResultsValidation.js"
import { WindowBudget } from "../src/recommender/WindowBudget.js"
import { EngineSettings } from "../src/services/Settings.js"
import { EngineExperiment, EngineStorageFailure, type IndexedRecord } from "./EngineExperiment.js"

const windowMs = MAX_TERM_DAYS * MS_PER_DAY

const storage = (operation: string) => (e: { readonly message: string }) =>
  new EngineStorageFailure({ operation, message: e.message })

const toStored = (interval: AcceptedInterval): StoredInterval =>
  interval._tag === "NamespaceInterval"
    ? { name: interval.namespace, metrics: interval.metrics }
    : {
        name: interval.containerName,
        ...(interval.containerImageName === undefined ? {} : { image: interval.containerImageName }),
        metrics: interval.metrics
      }

/** Kruize's experiment ids are hex digests; this one is stable for a name. */
const experimentIdOf = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 32)

const handlers = (settings: { readonly plots: boolean }, budget: WindowBudget, profiles: ProfileCache) =>
  Effect.gen(function* () {
    const name = (yield* Entity.CurrentAddress).entityId
    const repo = yield* EngineRepo
    const window = new ResultWindow()
    yield* Effect.addFinalizer(() => Effect.sync(() => budget.forget(window)))
    /** What this instance last stored per monitoring end time, to skip rewriting an identical row. */
    const written = new Map<number, string>()

    // Every stored result is loaded: retention keeps the stored rows to what the window holds, so the window
    // and the rows stay the same set, and a result is a duplicate exactly when the window has it. An
    // experiment with nothing stored yet (a new one) keeps only the keys while it is written to, and reads
    // its intervals back from the rows on its first recommendation.
    const load = Effect.gen(function* () {
      window.clear()
      const found = yield* repo.loadExperiment(name)
      if (Option.isNone(found)) return Option.none<StoredExperiment>()
      if (found.value.results.length === 0) window.keysOnly()
      for (const r of found.value.results) window.add(r.startMs, r.endMs, r.intervals)
      budget.use(window)
      return Option.some(found.value.experiment)
    })

    const readIntervals = Effect.gen(function* () {
      const results = yield* repo.loadResults(name).pipe(Effect.mapError(storage("updateRecommendations")))
      window.clear()
      for (const r of results) window.add(r.startMs, r.endMs, r.intervals)
      budget.use(window)
    })
    // A database outage while activating is a defect: the cluster retries the activation.
    let experiment: Option.Option<StoredExperiment> = yield* Effect.orDie(load)

    const definition = () => Option.map(experiment, (e) => e.definition)

    const profileOf = (profileName: string) =>
      profiles.get(profileName, repo.findProfile(profileName).pipe(Effect.mapError(storage("updateResults"))))

    const create = Effect.fnUntraced(function* (def: ExperimentDefinition) {
      if (Option.isSome(experiment)) return yield* new ExperimentAlreadyExists({ experimentName: name })
      const experimentId = experimentIdOf(name)
      const inserted = yield* repo
        .insertExperiment(experimentId, def)
        .pipe(Effect.mapError(storage("createExperiment")))
      if (!inserted) {
        experiment = yield* Effect.orDie(load)
        return yield* new ExperimentAlreadyExists({ experimentName: name })
      }
      const now = yield* Clock.currentTimeMillis
      experiment = Option.some({ experimentId, definition: def, creationMs: now, updateMs: now })
      window.clear()
      window.keysOnly()
      budget.forget(window)
      written.clear()
    })

    const remove = Effect.fnUntraced(function* () {
      const deleted = yield* repo.deleteExperiment(name).pipe(Effect.mapError(storage("deleteExperiment")))
      experiment = Option.none()
      window.clear()
      budget.forget(window)
      written.clear()
      if (!deleted) return yield* new ExperimentNotFound({ experimentName: name, endpoint: "deleteExperiment" })
    })

    const addResults = Effect.fnUntraced(function* (records: ReadonlyArray<IndexedRecord>) {
      const def = definition()
      const profile = Option.isSome(def)
        ? yield* profileOf(def.value.performanceProfile)
        : Option.none<PerformanceProfile>()
      const outcome = validateResultRecords(
        records.map((r) => r.record),
        {
          experiment: (n) => (n === name ? def : Option.none()),
          performanceProfile: (p) => (Option.isSome(profile) && profile.value.name === p ? profile : Option.none()),
          resultExists: (_, startMs, endMs) => window.has(startMs, endMs)
        }
      )
      const rejected = outcome.rejected.map((r) => ({ index: records[r.index]!.index, entry: r.entry }))
      const accepted = outcome.accepted.map((a) => records[a.index]!.index)
      const toStore = outcome.accepted.map((a) => ({
        startMs: a.startMs,
        endMs: a.endMs,
        intervals: toAcceptedIntervals(a).map(toStored)
      }))
      // Retention: the last 15 days of interval_end per experiment, in memory and in the database. When
      // these results move the latest end, what ends before the new cut goes: accepted results among it
      // are saved and dropped at once, so they are not written at all.
      const previousLatest = window.latestEndMs ?? Number.NEGATIVE_INFINITY
      let latest = previousLatest
      for (const r of toStore) if (r.endMs > latest) latest = r.endMs
      const cut = latest > previousLatest ? latest - windowMs : Number.NEGATIVE_INFINITY
      const kept = toStore.filter((r) => r.endMs >= cut)
      yield* repo.appendResults(name, kept).pipe(Effect.mapError(storage("updateResults")))
      for (const r of kept) window.add(r.startMs, r.endMs, r.intervals)
      const evicted = window.evictBefore(cut)
      budget.use(window)
      if (evicted > 0) yield* repo.pruneResults(name, cut).pipe(Effect.mapError(storage("updateResults")))
      for (const endMs of written.keys()) if (endMs < cut) written.delete(endMs)
      rejected.sort((a, b) => a.index - b.index)
      return { accepted, rejected }
    })

    const recommendAt = Effect.fnUntraced(function* (intervalEndMs: number) {
      if (Option.isNone(experiment)) {
        return yield* new ExperimentNotFound({ experimentName: name, endpoint: "updateRecommendations" })
      }
      const def = experiment.value.definition
      // The budget may have dropped the intervals, even while this waited for them: from the check on, the
      // computation does not yield.
      while (!window.holdsIntervals) yield* readIntervals
      budget.use(window)
      const fromMs = intervalEndMs - windowMs
      const known = new Map<string, string | undefined>()
      if (def.target._tag === "WorkloadTarget") {
        for (const c of def.target.containers) {
          if (c.containerName !== undefined) known.set(c.containerName, c.containerImageName)
        }
      }
      for (const c of window.containers()) if (!known.has(c.name) || c.image !== undefined) known.set(c.name, c.image)
      const computed = new Map<string, RecommendationResult>()
      let anyData = false
      for (const containerName of known.keys()) {
        const series = window.seriesOf(containerName, def.experimentType, fromMs, intervalEndMs)
        if (series.intervals.length > 0) anyData = true
        computed.set(
          containerName,
          recommendOnSeries(
            {
              experimentType: def.experimentType,
              intervalEndTimeMs: intervalEndMs,
              measurementDurationMinutes: def.measurementDurationMinutes,
              threshold: def.threshold,
              models: def.models,
              plots: settings.plots
            },
            series
          )
        )
      }
      if (!anyData) return yield* new NoMetricsAvailable({ fromMs, toMs: intervalEndMs })

      // One stored row per monitoring end time, holding the containers whose data ends there.
      const rows = new Map<number, Record<string, StoredRecommendations["containers"][string]>>()
      for (const [containerName, result] of computed) {
        if (!result.available || result.monitoringEndTimeMs === undefined) continue
        const row = rows.get(result.monitoringEndTimeMs) ?? {}
        const image = known.get(containerName)
        row[containerName] = {
          ...(image === undefined ? {} : { image }),
          recommendations: result.recommendations
        }
        rows.set(result.monitoringEndTimeMs, row)
      }
      // Asking again for the same time with no new results computes the same row: it is stored already.
      const store = Effect.forEach(
        rows,
        ([endMs, containers]) => {
          const text = JSON.stringify(containers)
          if (written.get(endMs) === text) return Effect.void
          return repo.upsertRecommendations(name, def.clusterName, endMs, text).pipe(
            Effect.mapError(storage("updateRecommendations")),
            Effect.tap(() => Effect.sync(() => written.set(endMs, text)))
          )
        },
        { discard: true }
      )

      const entry: ListRecommendationsEntry =
        def.target._tag === "NamespaceTarget"
          ? namespaceExperimentEntry({
              experimentName: name,
              clusterName: def.clusterName ?? "",
              namespace: def.target.namespace,
              recommendations: [...computed.values()][0]!.recommendations
            })
          : containerExperimentEntry({
              experimentName: name,
              clusterName: def.clusterName ?? "",
              kubernetesObjects: [
                {
                  type: def.target.type,
                  name: def.target.name ?? "",
                  namespace: def.target.namespace ?? "",
                  containers: [...computed].map(([containerName, result]) => ({
                    containerImageName: known.get(containerName) ?? "",
                    containerName,
                    recommendations: result.recommendations
                  }))
                }
              ]
            })
      // The answer is encoded while PostgreSQL stores the rows; it is sent only once they are stored.
      const [, body] = yield* Effect.all([store, Effect.sync(() => encodeListRecommendations([entry], 2))], {
        concurrency: 2
      })
      return body
    })

    // A request whose caller goes away (an HTTP client that disconnects, a runner killed mid-call) is interrupted;
    // a change must not stop between the database and the memory of it. Interrupted after its insert, a Create
    // left the row stored and the entity without it, and every later request was told the experiment does not
    // exist (createExperiment answers 409 from the row, so nothing repaired it). These run to their end.
    return EngineExperiment.of({
      Create: ({ payload }) => Effect.uninterruptible(create(payload.definition)),
      Delete: () => Effect.uninterruptible(remove()),
      AddResults: ({ payload }) => Effect.uninterruptible(addResults(payload.records)),
      Recommend: ({ payload }) => recommendAt(payload.intervalEndMs)
    })
  })

/** The entities of this runner, sharing the window budget `budget` makes. */
export const engineExperimentLayer = (budget: Effect.Effect<WindowBudget>) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const settings = yield* EngineSettings
      const shared = yield* budget
      return EngineExperiment.toLayer(handlers(settings, shared, new ProfileCache()), {
        maxIdleTime: settings.experimentIdleTime
      })
    })
  )

export const EngineExperimentLive = engineExperimentLayer(Effect.sync(() => WindowBudget.ofHeap()))
