/**
 * The processor's and poller's view of the recommendation engine: Kruize's REST API (spec ros-ocp-backend §3),
 * served by our recommender role or by a real Kruize at KRUIZE_URL. Failures come in two kinds, because the
 * callers treat them differently: `EngineUnavailable` (no answer, a timeout, a 5xx) is worth retrying and loses
 * nothing; `EngineRejected` (a 4xx with Kruize's message) is recorded and never retried.
 */
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Context, Duration, Effect, Layer, Option, Schema } from "effect"
import type { CreateExperimentRequest } from "../../schema/ros/CreateExperiment.js"
import { rosPerformanceProfile } from "../../schema/ros/RosPerformanceProfile.js"
import type { ContainerResultsEntry, NamespaceResultsEntry } from "../../schema/ros/UpdateResultsEntry.js"
import { HttpClientSettings, PipelineSettings } from "./Settings.js"

export class EngineUnavailable extends Schema.TaggedError<EngineUnavailable>()("EngineUnavailable", {
  operation: Schema.String,
  message: Schema.String
}) {}

export class EngineRejected extends Schema.TaggedError<EngineRejected>()("EngineRejected", {
  operation: Schema.String,
  status: Schema.Number,
  message: Schema.String
}) {}

export type EngineError = EngineUnavailable | EngineRejected

export type UpdateResultsEntry = ContainerResultsEntry | NamespaceResultsEntry

/** A result the engine refused inside a partial-failure answer (the others were kept). */
export interface RefusedResult {
  readonly intervalEndTime: string
  readonly message: string
}

export interface EngineClientService {
  /** Creates or upgrades the ROS performance profile (§3.2); done once per process. */
  readonly ensureProfile: Effect.Effect<void, EngineError>
  /** 201, or "already exists" (experiments are created on every upload): both succeed. */
  readonly createExperiment: (body: CreateExperimentRequest) => Effect.Effect<void, EngineError>
  /** ≤ bulk limit entries; per-entry refusals other than duplicates are returned, not failed. */
  readonly updateResults: (
    entries: ReadonlyArray<UpdateResultsEntry>
  ) => Effect.Effect<ReadonlyArray<RefusedResult>, EngineError>
  /** The raw JSON answer of POST /updateRecommendations for the exact interval end. */
  readonly updateRecommendations: (
    experimentName: string,
    intervalEndTime: string
  ) => Effect.Effect<unknown, EngineError>
  /** Deletes the experiment; one that does not exist counts as deleted. */
  readonly deleteExperiment: (experimentName: string) => Effect.Effect<void, EngineError>
}

export class EngineClient extends Context.Tag("ros/EngineClient")<EngineClient, EngineClientService>() {}

const KruizeMessage = Schema.Struct({ message: Schema.optional(Schema.String) })
const ListedProfiles = Schema.Array(Schema.Struct({ name: Schema.String, profile_version: Schema.Number }))
const PartialFailure = Schema.Struct({
  message: Schema.optional(Schema.String),
  data: Schema.optional(
    Schema.Array(
      Schema.Struct({
        interval_end_time: Schema.optional(Schema.String),
        errors: Schema.optional(Schema.Array(Schema.Struct({ message: Schema.String })))
      })
    )
  )
})

const DUPLICATE_RESULT = "An entry for this record already exists!"
const EXPERIMENT_EXISTS = "Experiment name already exists"
const PROFILE_MISSING = "Performance Profile doesn't exist"
const PROFILE_NULL = 'because "performanceProfile" is null'

interface Answer {
  readonly status: number
  readonly json: unknown
}

const make = Effect.gen(function* () {
  const settings = yield* PipelineSettings
  const timeout = Duration.seconds((yield* HttpClientSettings).timeoutSeconds)
  const base = settings.kruizeUrl.replace(/\/+$/, "")
  const http = yield* HttpClient.HttpClient

  /** Sends the request and reads the JSON body whatever the status; no answer at all is `EngineUnavailable`. */
  const exchange = (operation: string, request: HttpClientRequest.HttpClientRequest) =>
    http.execute(request).pipe(
      Effect.flatMap((response: HttpClientResponse.HttpClientResponse) =>
        response.text.pipe(
          Effect.map((text): Answer => ({ status: response.status, json: text === "" ? undefined : safeJson(text) }))
        )
      ),
      Effect.scoped,
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new EngineUnavailable({ operation, message: `no answer within ${Duration.format(timeout)}` })
      }),
      Effect.catchTag("RequestError", "ResponseError", (e) =>
        Effect.fail(new EngineUnavailable({ operation, message: e.message }))
      ),
      Effect.flatMap((answer) =>
        answer.status >= 500
          ? Effect.fail(
              new EngineUnavailable({ operation, message: `HTTP ${answer.status}: ${messageOf(answer.json)}` })
            )
          : Effect.succeed(answer)
      ),
      // One per request from one place: a call-site stack trace would cost an Error each time and say nothing new.
      Effect.withSpan(`EngineClient.${operation}`, { captureStackTrace: false })
    )

  const rejected = (operation: string, answer: Answer) =>
    new EngineRejected({ operation, status: answer.status, message: messageOf(answer.json) })

  const postJson = (path: string, body: unknown) =>
    HttpClientRequest.post(`${base}${path}`).pipe(HttpClientRequest.bodyUnsafeJson(body))

  const setupProfile = Effect.gen(function* () {
    const listed = yield* exchange("listPerformanceProfiles", HttpClientRequest.get(`${base}/listPerformanceProfiles`))
    const profiles = Schema.decodeUnknownOption(ListedProfiles)(listed.json).pipe(Option.getOrElse(() => []))
    const last = profiles.at(-1)
    if (last === undefined) {
      const created = yield* exchange(
        "createPerformanceProfile",
        postJson("/createPerformanceProfile", rosPerformanceProfile(settings.profileVersion))
      )
      if (created.status !== 201 && created.status !== 409) return yield* rejected("createPerformanceProfile", created)
      return
    }
    if (last.profile_version.toFixed(1) === settings.profileVersion.toFixed(1)) return
    if (last.profile_version < settings.profileVersion && settings.updateProfile) {
      const updated = yield* exchange(
        "updatePerformanceProfile",
        HttpClientRequest.put(`${base}/updatePerformanceProfile`).pipe(
          HttpClientRequest.bodyUnsafeJson(rosPerformanceProfile(settings.profileVersion))
        )
      )
      if (updated.status !== 200 && updated.status !== 409) return yield* rejected("updatePerformanceProfile", updated)
    }
  })
  // Once per process; a failure is not cached, so the next caller tries again.
  const ensureProfile = yield* Effect.cachedInvalidateWithTTL(setupProfile, Duration.infinity).pipe(
    Effect.map(([cached, invalidate]) => cached.pipe(Effect.tapError(() => invalidate)))
  )

  const createExperiment = (body: CreateExperimentRequest): Effect.Effect<void, EngineError> =>
    Effect.gen(function* () {
      const answer = yield* exchange("createExperiment", postJson("/createExperiment", body))
      if (answer.status === 201) return
      const message = messageOf(answer.json)
      if (message.includes(EXPERIMENT_EXISTS)) return
      if (message.includes(PROFILE_MISSING)) {
        yield* ensureProfile
        const again = yield* exchange("createExperiment", postJson("/createExperiment", body))
        if (again.status === 201 || messageOf(again.json).includes(EXPERIMENT_EXISTS)) return
        return yield* rejected("createExperiment", again)
      }
      return yield* rejected("createExperiment", answer)
    })

  const refusals = (json: unknown): ReadonlyArray<RefusedResult> =>
    Schema.decodeUnknownOption(PartialFailure)(json).pipe(
      Option.flatMap((failure) => Option.fromNullable(failure.data)),
      Option.map((data) =>
        data.flatMap((entry) =>
          (entry.errors ?? [])
            .filter((e) => !e.message.includes(DUPLICATE_RESULT))
            .map((e) => ({ intervalEndTime: entry.interval_end_time ?? "", message: e.message }))
        )
      ),
      Option.getOrElse(() => [])
    )

  const updateResults = (entries: ReadonlyArray<UpdateResultsEntry>) =>
    Effect.gen(function* () {
      const answer = yield* exchange("updateResults", postJson("/updateResults", entries))
      if (answer.status === 201) return []
      if (messageOf(answer.json).includes(PROFILE_NULL)) {
        yield* ensureProfile
        const again = yield* exchange("updateResults", postJson("/updateResults", entries))
        if (again.status === 201) return []
        return yield* partial(again)
      }
      return yield* partial(answer)
    })

  const partial = (answer: Answer) => {
    const refused = refusals(answer.json)
    // A 400 listing entries is a partial success: the engine kept the rest.
    const listsEntries = Schema.decodeUnknownOption(PartialFailure)(answer.json).pipe(
      Option.exists((f) => (f.data?.length ?? 0) > 0)
    )
    return answer.status === 400 && listsEntries
      ? Effect.succeed(refused)
      : Effect.fail(rejected("updateResults", answer))
  }

  const updateRecommendations = (experimentName: string, intervalEndTime: string) =>
    exchange(
      "updateRecommendations",
      HttpClientRequest.post(`${base}/updateRecommendations`).pipe(
        HttpClientRequest.setUrlParams({ experiment_name: experimentName, interval_end_time: intervalEndTime })
      )
    ).pipe(
      Effect.flatMap((answer) =>
        answer.status >= 200 && answer.status < 300
          ? Effect.succeed(answer.json)
          : Effect.fail(rejected("updateRecommendations", answer))
      )
    )

  const deleteExperiment = (experimentName: string) =>
    exchange(
      "deleteExperiment",
      HttpClientRequest.del(`${base}/createExperiment`).pipe(
        HttpClientRequest.bodyUnsafeJson([{ experiment_name: experimentName }])
      )
    ).pipe(
      Effect.flatMap((answer) =>
        answer.status === 201 || answer.status === 200 || answer.status === 404
          ? Effect.void
          : messageOf(answer.json).toLowerCase().includes("not found")
            ? Effect.void
            : Effect.fail(rejected("deleteExperiment", answer))
      )
    )

  return EngineClient.of({ ensureProfile, createExperiment, updateResults, updateRecommendations, deleteExperiment })
})

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const messageOf = (json: unknown): string =>
  typeof json === "string"
    ? json.slice(0, 500)
    : Schema.decodeUnknownOption(KruizeMessage)(json).pipe(
        Option.flatMap((m) => Option.fromNullable(m.message)),
        Option.getOrElse(() => JSON.stringify(json ?? null).slice(0, 500))
      )

/** The client on the platform HttpClient (provide `HttpClientLive` at the composition root). */
export const EngineClientLive = Layer.effect(EngineClient, make)
