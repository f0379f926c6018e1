/**
 * The cost-management application type's id, which an `Application.destroy` must carry to concern ROS (spec
 * ros-ocp-backend §1.6): `GET {SOURCES_API_BASE_URL}{SOURCES_API_PREFIX}/application_types?filter[name][eq]=
 * /insights/platform/cost-management`, the id (a string) read as an integer. Asked once, when the housekeeper
 * starts, with the base URL and prefix the koku stage uses.
 *
 * Upstream exits at the first failure. Here a Sources API that is down, slow, answering 5xx/429, or not seeded
 * with the type yet is asked again with backoff for a while (a whole stack starts at once, the Sources API maybe
 * last); an answer that can never become right (4xx, not the contract, an id that is not an integer), or a Sources
 * API still unusable when the patience runs out, fails the role with a message that names the URL.
 */
import { type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Duration, Effect, Schedule, Schema } from "effect"
import { ApplicationTypePage } from "../../schema/koku/CostSourceLookup.js"
import { COST_MANAGEMENT_APPLICATION_TYPE } from "../../schema/sources/ApplicationType.js"
import { type HttpTimeout, serviceClient } from "../services/Http.js"
import { KokuSettings } from "../services/Settings.js"

/** The housekeeper cannot work without the id: this ends the role. */
export class CostApplicationTypeUnknown extends Schema.TaggedError<CostApplicationTypeUnknown>()(
  "CostApplicationTypeUnknown",
  { url: Schema.String, message: Schema.String }
) {}

/** Worth asking again. */
class Passing extends Schema.TaggedError<Passing>()("Passing", { reason: Schema.String }) {}
/** Will not get better by asking again. */
class Permanent extends Schema.TaggedError<Permanent>()("Permanent", { reason: Schema.String }) {}

/** How long the housekeeper waits for a usable Sources API at start. */
export const DEFAULT_STARTUP_PATIENCE = Duration.minutes(5)

const isPassingStatus = (status: number) => status >= 500 || status === 429 || status === 408

const retrySchedule = (patience: Duration.DurationInput) =>
  Schedule.exponential("500 millis").pipe(
    Schedule.union(Schedule.spaced("15 seconds")),
    Schedule.jittered,
    Schedule.upTo(patience)
  )

/** Matched by name, not data[0] as upstream: a server that ignores the filter lists every type. */
const pickId = (page: typeof ApplicationTypePage.Type): Effect.Effect<number, Passing | Permanent> => {
  const match = page.data.find((type) => type.name === COST_MANAGEMENT_APPLICATION_TYPE)
  if (match === undefined) {
    // A Sources API not seeded yet is waited for, like one that is not up yet.
    return Effect.fail(new Passing({ reason: `no application type named ${COST_MANAGEMENT_APPLICATION_TYPE}` }))
  }
  return /^\d+$/.test(match.id)
    ? Effect.succeed(Number(match.id))
    : Effect.fail(new Permanent({ reason: `application type id ${JSON.stringify(match.id)} is not an integer` }))
}

/** The id, asked until the Sources API gives a usable answer or `patience` has passed. */
export const costApplicationTypeId = (patience: Duration.DurationInput = DEFAULT_STARTUP_PATIENCE) =>
  Effect.gen(function* () {
    const settings = yield* KokuSettings
    const client = yield* serviceClient(settings.sourcesApiBaseUrl)
    const path = `${settings.sourcesApiPrefix}/application_types`
    const url = `${settings.sourcesApiBaseUrl}${path}`

    const askOnce = client
      .execute(
        HttpClientRequest.get(path).pipe(
          HttpClientRequest.setUrlParams({ "filter[name][eq]": COST_MANAGEMENT_APPLICATION_TYPE })
        )
      )
      .pipe(
        Effect.flatMap((response: HttpClientResponse.HttpClientResponse) => response.json),
        Effect.flatMap((body) => Schema.decodeUnknown(ApplicationTypePage)(body)),
        Effect.scoped,
        Effect.catchTags({
          RequestError: (e: HttpClientError.RequestError) => Effect.fail(new Passing({ reason: e.message })),
          ResponseError: (e: HttpClientError.ResponseError) =>
            Effect.fail(
              isPassingStatus(e.response.status)
                ? new Passing({ reason: `HTTP ${e.response.status}` })
                : new Permanent({ reason: `HTTP ${e.response.status}: ${e.message}` })
            ),
          HttpTimeout: (e: HttpTimeout) => Effect.fail(new Passing({ reason: `no answer within ${e.millis} ms` })),
          ParseError: (e) => Effect.fail(new Permanent({ reason: `unexpected answer: ${e.message}` }))
        }),
        Effect.flatMap((page) => pickId(page))
      )

    const id = yield* askOnce.pipe(
      Effect.tapError((e) =>
        e._tag === "Passing"
          ? Effect.logWarning(`Sources API not usable yet at ${url} (${e.reason}); asking again`)
          : Effect.void
      ),
      Effect.retry({ schedule: retrySchedule(patience), while: (e) => e._tag === "Passing" }),
      Effect.mapError(
        (e) =>
          new CostApplicationTypeUnknown({
            url,
            message:
              `housekeeper: cannot learn the cost-management application type id from the Sources API at ${url}` +
              ` (${e.reason}${e._tag === "Passing" ? `, still after ${Duration.format(patience)}` : ""})`
          })
      )
    )
    yield* Effect.logInfo(`cost-management application type id is ${id}`)
    return id
  }).pipe(Effect.withSpan("CostApplicationType.lookup"))
