/**
 * Lists keep shown documents and whole answers between requests; a recommendation the poller rewrites (new JSON,
 * new `updated_at`) is answered as rewritten once PostgreSQL has delivered the change's notification to the API
 * (asynchronously after the commit: milliseconds, more on a loaded machine), in every unit. Answers are kept only
 * while the API listens for data changes: with the listening connection gone, every request reads the database
 * again, and answers are kept again once it is back.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { ApiUnderTest, apiUnderTest, get } from "./apiHarness.js"
import { ORG_A, ORG_B, orgs } from "./fixture.js"

const LIST = "/api/cost-management/v1/recommendations/openshift?filter[exact:container]=sidecar"

interface Page {
  readonly data: ReadonlyArray<{
    readonly recommendations: {
      readonly current?: { readonly requests?: { readonly cpu?: { readonly amount?: number } } }
    }
  }>
}

const cpuRequest = (query = "", org = ORG_A) =>
  Effect.map(
    get(`${LIST}${query}`, { org }),
    (answer) => (answer.body as Page).data[0]?.recommendations.current?.requests?.cpu?.amount
  )

/** The value once the API has heard of the change: polled for up to 2 s (kept answers live for 60 s). */
const shows = (expected: number, query = "") =>
  Effect.gen(function* () {
    const seen = yield* cpuRequest(query)
    if (seen !== expected) return yield* Effect.fail(seen)
  }).pipe(
    Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.intersect(Schedule.recurs(100)))),
    Effect.catchAll((seen) => Effect.sync(() => expect(seen).toBe(expected)))
  )

/** Lists answered so far by where they came from (the API's /metrics). */
const keptAnswers = Effect.map(get("/metrics", { org: null }), (answer) => {
  const count = (outcome: string) =>
    Number(new RegExp(`rosocp_api_kept_answers_total\\{outcome="${outcome}"\\} (\\d+)`).exec(answer.text)?.[1] ?? 0)
  return { hit: count("hit"), miss: count("miss"), off: count("off") }
})

const onDatabase = <A, E>(statement: Effect.Effect<A, E, SqlClient.SqlClient>) =>
  Effect.flatMap(ApiUnderTest, ({ sql }) => statement.pipe(Effect.provide(sql), Effect.orDie))

const setSidecarCpu = (amount: number) =>
  onDatabase(
    Effect.flatMap(
      SqlClient.SqlClient,
      (db) => db`
        UPDATE recommendation_sets
        SET recommendations = jsonb_set(recommendations, '{current,requests,cpu,amount}', ${String(amount)}::jsonb),
            cpu_request_current = ${amount}, updated_at = updated_at + interval '1 second'
        WHERE container_name = 'sidecar'`
    )
  )

/** Until the API listens again: two equal requests, the second one answered from what was kept. */
const listeningAgain = Effect.gen(function* () {
  const before = yield* keptAnswers
  yield* cpuRequest("&limit=3")
  yield* cpuRequest("&limit=3")
  const after = yield* keptAnswers
  if (after.hit === before.hit) return yield* Effect.fail("not listening yet")
}).pipe(Effect.retry(Schedule.spaced("200 millis").pipe(Schedule.intersect(Schedule.recurs(50)))), Effect.orDie)

describe("list freshness", () => {
  layer(apiUnderTest("api_fresh", orgs), { excludeTestServices: true })((it) => {
    it.effect("a rewritten recommendation is shown as rewritten, though the answer before it was kept", () =>
      Effect.gen(function* () {
        yield* listeningAgain
        expect(yield* cpuRequest()).toBe(0.25)
        const first = yield* keptAnswers
        expect(yield* cpuRequest()).toBe(0.25)
        expect(yield* cpuRequest("&cpu-unit=millicores")).toBe(250)
        const kept = yield* keptAnswers
        expect(kept.hit).toBe(first.hit + 1)
        expect(kept.miss).toBe(first.miss + 1)

        yield* setSidecarCpu(0.5)
        yield* shows(0.5)
        yield* shows(500, "&cpu-unit=millicores")
      })
    )

    it.effect("an answer kept for one org is never given to another", () =>
      Effect.gen(function* () {
        yield* listeningAgain
        const a1 = yield* get(LIST, { org: ORG_A })
        const b = yield* get(LIST, { org: ORG_B })
        const a2 = yield* get(LIST, { org: ORG_A })
        expect(a2.text).toBe(a1.text)
        expect(b.text).not.toBe(a1.text)
        expect(b.status).toBe(200)
      })
    )

    it.effect("keeps nothing while the listening connection is lost, and keeps answers again once it is back", () =>
      Effect.gen(function* () {
        yield* listeningAgain
        yield* setSidecarCpu(0.75)
        yield* shows(0.75)
        const { database } = yield* ApiUnderTest
        const terminated = yield* onDatabase(
          Effect.flatMap(
            SqlClient.SqlClient,
            (db) => db<{ done: boolean }>`
              SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
              WHERE application_name = 'ros-ocp/api-listen' AND datname = ${database}`
          )
        )
        expect(terminated.map((r) => r.done)).toEqual([true])
        // The API notices (an answer made while keeping nothing), and a change made meanwhile shows.
        yield* Effect.gen(function* () {
          const before = yield* keptAnswers
          yield* cpuRequest()
          if ((yield* keptAnswers).off === before.off) return yield* Effect.fail("still listening")
        }).pipe(Effect.retry(Schedule.spaced("10 millis").pipe(Schedule.intersect(Schedule.recurs(100)))), Effect.orDie)
        yield* shows(0.75)
        yield* setSidecarCpu(1.5)
        yield* shows(1.5)
        yield* listeningAgain
        yield* setSidecarCpu(2)
        yield* shows(2)
      })
    )
  })

  layer(apiUnderTest("api_nokeep", orgs, { API_ANSWER_CACHE_MB: "0" }), { excludeTestServices: true })((it) => {
    it.effect("with API_ANSWER_CACHE_MB=0 keeps nothing and does not listen", () =>
      Effect.gen(function* () {
        const before = yield* keptAnswers
        yield* cpuRequest()
        yield* cpuRequest()
        const after = yield* keptAnswers
        expect([after.hit - before.hit, after.miss - before.miss, after.off - before.off]).toEqual([0, 0, 2])
        const { database } = yield* ApiUnderTest
        const listeners = yield* onDatabase(
          Effect.flatMap(
            SqlClient.SqlClient,
            (db) => db<{ n: number }>`
              SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE application_name = 'ros-ocp/api-listen' AND datname = ${database}`
          )
        )
        expect(listeners[0]?.n).toBe(0)
        yield* setSidecarCpu(0.5)
        expect(yield* cpuRequest()).toBe(0.5)
      })
    )
  })
})
