/**
 * The Kruize-compatible REST API (kruize.md §1–2): exact paths, messages, status codes and JSON envelopes.
 * A plain HttpRouter rather than HttpApi, because Kruize's wire contract (its error texts and validation
 * order) is the specification here. Handlers parse and validate with the pure functions of
 * `validation/`, route per-experiment work to the EngineExperiment entity, and read listings straight
 * from the repository.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect, Either, Option } from "effect"
import { EngineExperiment, EngineStorageFailure, type IndexedRecord } from "../../actors/EngineExperiment.js"
import { toListedExperiment } from "../../schema/kruize/Experiment.js"
import {
  errorBody,
  type KruizeFailure,
  PerformanceProfileAlreadyExists,
  PerformanceProfileNotFound
} from "../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../schema/kruize/KruizeMessages.js"
import { errorResponse, successResponse } from "../../schema/kruize/KruizeResponse.js"
import { toListedProfile } from "../../schema/kruize/PerformanceProfile.js"
import { encodeListRecommendations } from "../../schema/kruize/RecommendationJson.js"
import { metricsResponse } from "../services/Metrics.js"
import { requestText } from "../services/RequestBody.js"
import { EngineSettings } from "../services/Settings.js"
import { MAX_TERM_DAYS } from "./algorithm/Constants.js"
import { EngineRepo } from "./EngineRepo.js"
import { hasTimestamp, listingEntry } from "./RecommendationListing.js"
import type { StoredEntry } from "./StoredResultCodec.js"
import { completeCreateExperiment, parseCreateExperiment } from "./validation/CreateExperimentValidation.js"
import { parseDeleteExperiment } from "./validation/DeleteExperimentValidation.js"
import { validateListExperiments } from "./validation/ListExperimentsParams.js"
import { validateListRecommendations } from "./validation/ListRecommendationsParams.js"
import {
  checkNewPerformanceProfile,
  checkPerformanceProfileUpdate,
  parsePerformanceProfile,
  validateDeletePerformanceProfile
} from "./validation/PerformanceProfileValidation.js"
import type { QueryParams } from "./validation/QueryParams.js"
import { validateUpdateRecommendations } from "./validation/UpdateRecommendationsParams.js"
import {
  decodeUpdateResults,
  type RejectedResult,
  updateResultsResponse,
  validateResultRecords
} from "./validation/UpdateResultsValidation.js"

const json = (body: unknown, status: number) =>
  HttpServerResponse.text(JSON.stringify(body), { status, contentType: "application/json" })

const fail = (failure: KruizeFailure) => json(errorBody(failure), failure.httpcode)

/** A request the engine could not serve for a passing reason (database, cluster): 503, worth retrying. */
const unavailable = (message: string) => json(errorResponse(message, 503), 503)

/** Answers the Either's failure, or continues with its value. */
const orFail = <A>(either: Either.Either<A, KruizeFailure>) =>
  Either.match(either, {
    onLeft: (failure) => Effect.fail(fail(failure)),
    onRight: (a) => Effect.succeed(a)
  })

const queryParams = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request): QueryParams => [...new URL(request.url, "http://engine").searchParams.entries()]
)

const RESPONSE = Symbol("response")
interface Respond {
  readonly [RESPONSE]: true
  readonly response: HttpServerResponse.HttpServerResponse
}
const isRespond = (u: unknown): u is Respond => typeof u === "object" && u !== null && RESPONSE in u

/**
 * Runs a handler whose early exits are ready responses; storage and cluster failures become 503.
 * Nothing a client sends can make it answer 500.
 */
const handle = <E, R>(
  effect: Effect.Effect<HttpServerResponse.HttpServerResponse, E | HttpServerResponse.HttpServerResponse, R>
) =>
  effect.pipe(
    Effect.catchAll((e) => {
      if (HttpServerResponse.isServerResponse(e)) return Effect.succeed(e)
      if (isRespond(e)) return Effect.succeed(e.response)
      const message = e instanceof EngineStorageFailure ? `${e.operation}: ${e.message}` : String(e)
      return Effect.logWarning("engine request failed", message).pipe(Effect.as(unavailable(message)))
    })
  )

const makeRoutes = Effect.gen(function* () {
  const repo = yield* EngineRepo
  const settings = yield* EngineSettings
  const experiments = yield* EngineExperiment.client

  const readBody = requestText(settings.maxBodyBytes).pipe(
    Effect.catchTags({
      RequestBodyTooLarge: () =>
        Effect.fail(json(errorResponse(`Request body exceeds ${settings.maxBodyBytes} bytes`, 413), 413)),
      RequestBodyUnreadable: (e) => Effect.fail(json(errorResponse(`Request body unreadable: ${e.message}`, 400), 400))
    })
  )

  const findProfile = (name: string) => repo.findProfile(name)

  const createPerformanceProfile = Effect.gen(function* () {
    const profile = yield* orFail(parsePerformanceProfile(yield* readBody))
    const existing = yield* findProfile(profile.name)
    yield* orFail(checkNewPerformanceProfile(profile, { performanceProfile: () => existing }))
    if (!(yield* repo.insertProfile(profile))) {
      return fail(new PerformanceProfileAlreadyExists({ name: profile.name, sameVersion: true }))
    }
    return json(successResponse(KruizeMessages.profileCreated(profile.name)), 201)
  })

  const listPerformanceProfiles = Effect.map(repo.listProfiles(), (profiles) =>
    json(
      profiles.map((p) => toListedProfile(p)),
      200
    )
  )

  const updatePerformanceProfile = Effect.gen(function* () {
    const profile = yield* orFail(parsePerformanceProfile(yield* readBody))
    const existing = yield* findProfile(profile.name)
    yield* orFail(checkPerformanceProfileUpdate(profile, { performanceProfile: () => existing }))
    yield* repo.updateProfile(profile)
    return json(successResponse(KruizeMessages.profileUpdated(profile.name, profile.profile_version), 200), 200)
  })

  const deletePerformanceProfile = Effect.gen(function* () {
    const params = yield* queryParams
    const name = params.find(([k]) => k === "name")?.[1] ?? ""
    const exists = Option.isSome(yield* findProfile(name))
    const using = exists ? yield* repo.experimentsUsingProfile(name) : 0
    yield* orFail(
      validateDeletePerformanceProfile(params, {
        performanceProfileExists: () => exists,
        experimentsUsing: () => using
      })
    )
    yield* repo.deleteProfile(name)
    return json(successResponse(KruizeMessages.profileDeleted(name), 200), 200)
  })

  const createExperiment = Effect.gen(function* () {
    const draft = yield* orFail(parseCreateExperiment(yield* readBody))
    const profileExists =
      draft.performanceProfile !== undefined && Option.isSome(yield* findProfile(draft.performanceProfile))
    const check = (exists: boolean) =>
      completeCreateExperiment(draft, {
        experimentExists: () => exists,
        performanceProfileExists: () => profileExists
      })
    // Kruize answers "already exists" before any other check. A draft that passes the others goes to the entity,
    // which answers "already exists" itself, so a new experiment costs no read of it; only a refused draft needs
    // to know, for which error comes first.
    const passing = check(false)
    const definition = Either.isRight(passing)
      ? passing.right
      : yield* orFail(check(Option.isSome(yield* repo.findExperiment(draft.experimentName))))
    yield* experiments(definition.experimentName)
      .Create({ definition })
      .pipe(Effect.catchTag("ExperimentAlreadyExists", (e) => Effect.fail(fail(e))))
    return json(successResponse(KruizeMessages.experimentRegistered), 201)
  })

  const deleteExperiment = Effect.gen(function* () {
    // Upstream ROS deletes without `rm=true`; both forms address the remote-monitoring experiments (design.md §7).
    const name = yield* orFail(parseDeleteExperiment(yield* readBody))
    yield* experiments(name)
      .Delete()
      .pipe(Effect.catchTag("ExperimentNotFound", (e) => Effect.fail(fail(e))))
    return json(successResponse(KruizeMessages.experimentDeleted), 201)
  })

  const listExperiments = Effect.gen(function* () {
    const params = yield* queryParams
    const named = params.find(([k]) => k === "experiment_name")?.[1]?.trim()
    const found = named === undefined ? Option.none() : yield* repo.findExperiment(named)
    const request = yield* orFail(validateListExperiments(params, { experimentExists: () => Option.isSome(found) }))
    const stored = Option.isSome(found) ? [found.value] : named === undefined ? yield* repo.listExperiments() : []
    const recommendations = request.recommendations
      ? yield* repo.loadRecommendations(stored.map((e) => e.definition.experimentName))
      : undefined
    const listed = yield* Effect.forEach(stored, (e) =>
      Effect.gen(function* () {
        const name = e.definition.experimentName
        const results = request.results
          ? resultsByContainer(yield* repo.loadWindow(name, MAX_TERM_DAYS), request.latest)
          : undefined
        const rows = recommendations?.get(name)
        const recommendationMap =
          rows === undefined
            ? undefined
            : new Map(
                listingEntry(e.definition, rows, { latest: request.latest }).kubernetes_objects.flatMap((k8s) =>
                  "containers" in k8s && k8s.containers !== undefined
                    ? k8s.containers.map((c) => [c.container_name, c.recommendations] as const)
                    : "namespaces" in k8s && k8s.namespaces !== undefined
                      ? [[k8s.namespaces.namespace, k8s.namespaces.recommendations] as const]
                      : []
                )
              )
        return toListedExperiment(e.definition, {
          experimentId: e.experimentId,
          creationMs: e.creationMs,
          updateMs: e.updateMs,
          ...(results === undefined ? {} : { results }),
          ...(recommendationMap === undefined ? {} : { recommendations: recommendationMap })
        })
      })
    )
    return json(listed, 200)
  })

  const updateResults = Effect.gen(function* () {
    const records = yield* orFail(decodeUpdateResults(yield* readBody, { bulkResultsLimit: settings.bulkResultsLimit }))
    const byExperiment = new Map<string, Array<IndexedRecord>>()
    const unnamed: Array<number> = []
    records.forEach((record, index) => {
      const name = record.experiment_name
      if (name === undefined || name.trim().length === 0) {
        unnamed.push(index)
      } else {
        const list = byExperiment.get(name) ?? []
        list.push({ index, record })
        byExperiment.set(name, list)
      }
    })
    // A record without an experiment name fails step 3 before any store is consulted.
    const unnamedOutcome = validateResultRecords(
      unnamed.map((i) => records[i]!),
      { experiment: () => Option.none(), performanceProfile: () => Option.none(), resultExists: () => false }
    )
    const rejected: Array<RejectedResult> = unnamedOutcome.rejected.map((r) => ({
      index: unnamed[r.index]!,
      entry: r.entry
    }))
    const outcomes = yield* Effect.forEach(
      byExperiment,
      ([name, list]) => experiments(name).AddResults({ records: list }),
      { concurrency: 8 }
    )
    for (const outcome of outcomes) rejected.push(...outcome.rejected)
    const answer = updateResultsResponse({ total: records.length, rejected })
    return json(answer.body, answer.httpcode)
  })

  const updateRecommendations = Effect.gen(function* () {
    // The experiment's existence is the entity's to check: it answers with the same message, after the
    // parameter checks, as Kruize does.
    const request = yield* orFail(validateUpdateRecommendations(yield* queryParams, { experimentExists: () => true }))
    const body = yield* experiments(request.experimentName)
      .Recommend({ intervalEndMs: request.intervalEndMs })
      .pipe(
        Effect.catchTags({
          ExperimentNotFound: (e) => Effect.fail(fail(e)),
          NoMetricsAvailable: (e) => Effect.fail(fail(e))
        })
      )
    return HttpServerResponse.text(body, { status: 201, contentType: "application/json" })
  })

  const listRecommendations = Effect.gen(function* () {
    const params = yield* queryParams
    const named = params.find(([k]) => k === "experiment_name")?.[1]?.trim()
    const found = named === undefined ? Option.none() : yield* repo.findExperiment(named)
    const stored = Option.isSome(found) ? [found.value] : named === undefined ? yield* repo.listExperiments() : []
    const rows = yield* repo.loadRecommendations(stored.map((e) => e.definition.experimentName))
    const request = yield* orFail(
      validateListRecommendations(params, {
        experimentExists: () => Option.isSome(found),
        recommendationExists: (name, endMs) =>
          name === undefined
            ? [...rows.values()].some((r) => hasTimestamp(r, endMs))
            : hasTimestamp(rows.get(name) ?? [], endMs)
      })
    )
    const entries = stored
      .filter((e) =>
        request.monitoringEndMs === undefined
          ? true
          : hasTimestamp(rows.get(e.definition.experimentName) ?? [], request.monitoringEndMs)
      )
      .map((e) =>
        listingEntry(e.definition, rows.get(e.definition.experimentName) ?? [], {
          latest: request.latest,
          ...(request.monitoringEndMs === undefined ? {} : { monitoringEndMs: request.monitoringEndMs })
        })
      )
    return HttpServerResponse.text(encodeListRecommendations(entries), { status: 200, contentType: "application/json" })
  })

  return HttpRouter.empty.pipe(
    HttpRouter.get("/health", Effect.succeed(HttpServerResponse.text("UP"))),
    HttpRouter.get("/metrics", metricsResponse),
    HttpRouter.post("/createPerformanceProfile", handle(createPerformanceProfile)),
    HttpRouter.get("/listPerformanceProfiles", handle(listPerformanceProfiles)),
    HttpRouter.put("/updatePerformanceProfile", handle(updatePerformanceProfile)),
    HttpRouter.del("/deletePerformanceProfile", handle(deletePerformanceProfile)),
    HttpRouter.post("/createExperiment", handle(createExperiment)),
    HttpRouter.del("/createExperiment", handle(deleteExperiment)),
    HttpRouter.get("/listExperiments", handle(listExperiments)),
    HttpRouter.post("/updateResults", handle(updateResults)),
    HttpRouter.post("/updateRecommendations", handle(updateRecommendations)),
    HttpRouter.get("/listRecommendations", handle(listRecommendations))
  )
})

/** Interval results per container for listExperiments?results=true. */
const resultsByContainer = (loaded: ReadonlyArray<StoredEntry>, latest: boolean) => {
  const out = new Map<string, Record<string, import("../../schema/kruize/Experiment.js").ListedIntervalResults>>()
  const sorted = [...loaded].sort((a, b) => a.endMs - b.endMs)
  for (const r of latest ? sorted.slice(-1) : sorted) {
    for (const interval of r.intervals) {
      const byEnd = out.get(interval.name) ?? {}
      const end = new Date(r.endMs).toISOString()
      byEnd[end] = {
        interval_start_time: new Date(r.startMs).toISOString(),
        interval_end_time: end,
        duration_in_minutes: Math.floor((r.endMs - r.startMs) / 60_000),
        metrics: Object.fromEntries(
          Object.entries(interval.metrics).map(([name, aggregation_info]) => [name, { name, aggregation_info }])
        )
      }
      out.set(interval.name, byEnd)
    }
  }
  return out
}

export const KruizeRoutes = makeRoutes
export { PerformanceProfileNotFound }
