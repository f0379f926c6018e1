/**
 * The recommender role over HTTP, against a real PostgreSQL database: every endpoint, the partial-failure
 * answer, malformed input, and a restart that must lose nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { call, engineOn, runningEngine } from "../../support/engineHarness.js"
import {
  containerExperimentJson,
  containerExperimentName,
  containerRecord,
  iso,
  minutes,
  namespaceExperimentJson,
  namespaceExperimentName,
  namespaceRecord,
  rosProfileJson,
  t0
} from "../../support/kruizeFixtures.js"
import { postChunked } from "../../support/postChunked.js"
import { scratchDatabaseName } from "../../support/scratchDatabase.js"

interface Envelope {
  readonly message: string
  readonly httpcode: number
  readonly status: string
  readonly data?: ReadonlyArray<{ readonly errors: ReadonlyArray<{ message: string; httpcode: number }> }>
}

const envelope = (body: unknown) => body as Envelope

const records = (from: number, count: number) => Array.from({ length: count }, (_, i) => containerRecord(from + i))

/** A running engine on a fresh database, with the ROS profile registered. */
const withEngine = <A, E>(f: (url: string) => Effect.Effect<A, E, Scope.Scope>, extra: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const engine = yield* runningEngine("kruize_test", extra)
    const created = yield* call(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)
    expect(created.status).toBe(201)
    return yield* f(engine.url)
  }).pipe(Effect.scoped)

describe("recommender role on the real database", () => {
  it.live("registers performance profiles once and lists them", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        const again = yield* call(url, "POST", "/createPerformanceProfile", rosProfileJson)
        expect(again.status).toBe(409)
        expect(envelope(again.body).message).toBe(
          "Validation failed: Performance Profile already exists: resource-optimization-openshift"
        )
        const listed = yield* call(url, "GET", "/listPerformanceProfiles")
        expect(listed.status).toBe(200)
        expect((listed.body as ReadonlyArray<{ name: string }>).map((p) => p.name)).toEqual([
          "resource-optimization-openshift"
        ])
        const sameVersion = yield* call(url, "PUT", "/updatePerformanceProfile", rosProfileJson)
        expect(sameVersion.status).toBe(409)
        const sameSlo = yield* call(url, "PUT", "/updatePerformanceProfile", { ...rosProfileJson, profile_version: 3 })
        expect(sameSlo.status).toBe(409)
        const extra = {
          name: "maxDate",
          datasource: "prometheus",
          value_type: "double",
          kubernetes_object: "container",
          query: "q"
        }
        const superset = {
          ...rosProfileJson,
          profile_version: 3,
          slo: { ...rosProfileJson.slo, function_variables: [...rosProfileJson.slo.function_variables, extra] }
        }
        const newer = yield* call(url, "PUT", "/updatePerformanceProfile", superset)
        expect(newer.status).toBe(200)
        expect(envelope(newer.body).message).toContain("updated successfully to version 3.0")
      })
    )
  )

  it.live("creates an experiment once; a second create is the 409 ROS treats as success", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        const created = yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        expect(created.status).toBe(201)
        expect(envelope(created.body).message).toBe(
          "Experiment registered successfully with Kruize. View registered experiments at /listExperiments"
        )
        const again = yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        expect(again.status).toBe(409)
        expect(envelope(again.body).message).toBe(`Experiment name already exists: ${containerExperimentName}`)
        const unknownProfile = yield* call(url, "POST", "/createExperiment", [
          containerExperimentJson({ experiment_name: "other", performance_profile: "nope" })
        ])
        expect(unknownProfile.status).toBe(400)
        expect(envelope(unknownProfile.body).message).toBe("Not Found: performance_profile does not exist: nope")
        const listed = yield* call(url, "GET", "/listExperiments?rm=true")
        expect((listed.body as ReadonlyArray<{ experiment_name: string }>).map((e) => e.experiment_name)).toEqual([
          containerExperimentName
        ])
      })
    )
  )

  it.live("keeps the good records of a batch and reports duplicates and invalid ones with their codes", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        const first = yield* call(url, "POST", "/updateResults", records(0, 3))
        expect(first.status).toBe(201)
        expect(envelope(first.body).message).toBe("Results added successfully! View saved results at /listExperiments.")

        const invalid = containerRecord(4, {
          kubernetes_objects: [{ type: "deployment", name: "frontend", namespace: "shop", containers: [] }]
        })
        const mixed = yield* call(url, "POST", "/updateResults", [containerRecord(1), containerRecord(3), invalid])
        expect(mixed.status).toBe(400)
        const body = envelope(mixed.body)
        expect(body.message).toBe("Out of a total of 3 records, 2 failed to save")
        expect(body.data?.map((d) => d.errors.map((e) => e.httpcode))).toEqual([[409], [400]])
        expect(body.data?.[0]?.errors[0]?.message).toBe("An entry for this record already exists!")

        // The good record of the mixed batch was saved: sending it again is a duplicate.
        const resend = yield* call(url, "POST", "/updateResults", [containerRecord(3)])
        expect(resend.status).toBe(400)
        expect(envelope(resend.body).data?.[0]?.errors[0]?.httpcode).toBe(409)

        const unknown = yield* call(url, "POST", "/updateResults", [
          containerRecord(9, { experiment_name: "missing-experiment" })
        ])
        expect(envelope(unknown.body).data?.[0]?.errors[0]?.message).toBe(
          "Not Found: experiment_name does not exist: missing-experiment"
        )
      })
    )
  )

  it.live("accepts 100 records per request and refuses 101", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        const hundred = yield* call(url, "POST", "/updateResults", records(0, 100))
        expect(hundred.status).toBe(201)
        const tooMany = yield* call(url, "POST", "/updateResults", records(200, 101))
        expect(tooMany.status).toBe(400)
        expect(envelope(tooMany.body).message).toBe(
          "At present, the system does not support bulk entries exceeding 100 in quantity!"
        )
      })
    )
  )

  it.live("computes recommendations from the stored window and lists them", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        const end = iso(t0 + minutes(15 * 4))
        const noName = yield* call(url, "POST", `/updateRecommendations?interval_end_time=${end}`)
        expect(envelope(noName.body).message).toBe("experiment_name is mandatory, ")
        const badTime = yield* call(
          url,
          "POST",
          `/updateRecommendations?experiment_name=${encodeURIComponent(containerExperimentName)}&interval_end_time=2026-06-01`
        )
        expect(envelope(badTime.body).message).toBe('Given timestamp - " 2026-06-01 " is not a valid timestamp format')
        const unknown = yield* call(
          url,
          "POST",
          `/updateRecommendations?experiment_name=ghost&interval_end_time=${end}`
        )
        expect(unknown.status).toBe(400)
        expect(envelope(unknown.body).message).toBe("Not Found: experiment_name does not exist: ghost")
        const query = `experiment_name=${encodeURIComponent(containerExperimentName)}&interval_end_time=${end}`
        const empty = yield* call(url, "POST", `/updateRecommendations?${query}`)
        expect(empty.status).toBe(400)
        expect(envelope(empty.body).message).toBe(
          `No metrics available from ${iso(t0 + minutes(60) - 15 * 86_400_000)} to ${end}`
        )

        yield* call(url, "POST", "/updateResults", records(0, 4))
        const updated = yield* call(url, "POST", `/updateRecommendations?${query}`)
        expect(updated.status).toBe(201)
        const [entry] = updated.body as ReadonlyArray<{
          experiment_name: string
          kubernetes_objects: ReadonlyArray<{
            containers: ReadonlyArray<{
              container_name: string
              recommendations: { notifications: Record<string, unknown>; data: Record<string, unknown> }
            }>
          }>
        }>
        expect(entry?.experiment_name).toBe(containerExperimentName)
        const container = entry?.kubernetes_objects[0]?.containers[0]
        expect(container?.container_name).toBe("app")
        expect(Object.keys(container?.recommendations.notifications ?? {})).toEqual(["111000"])
        expect(Object.keys(container?.recommendations.data ?? {})).toEqual([end])

        const listed = yield* call(
          url,
          "GET",
          `/listRecommendations?rm=true&experiment_name=${encodeURIComponent(containerExperimentName)}`
        )
        expect(listed.status).toBe(200)
        expect(listed.text).toContain(`"${end}"`)
        const missingTs = yield* call(url, "GET", `/listRecommendations?rm=true&monitoring_end_time=${iso(t0)}`)
        expect(envelope(missingTs.body).message).toBe(`Recommendation for timestamp - " ${iso(t0)} " does not exist`)
      })
    )
  )

  it.live("handles namespace experiments", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        const created = yield* call(url, "POST", "/createExperiment", [namespaceExperimentJson()])
        expect(created.status).toBe(201)
        const saved = yield* call(
          url,
          "POST",
          "/updateResults",
          Array.from({ length: 3 }, (_, i) => namespaceRecord(i))
        )
        expect(saved.status).toBe(201)
        const end = iso(t0 + minutes(45))
        const updated = yield* call(
          url,
          "POST",
          `/updateRecommendations?experiment_name=${encodeURIComponent(namespaceExperimentName)}&interval_end_time=${end}`
        )
        expect(updated.status).toBe(201)
        expect(updated.text).toContain('"experiment_type": "namespace"')
        expect(updated.text).toContain(`"${end}"`)
      })
    )
  )

  it.live("deletes with and without rm=true", () =>
    withEngine((url) =>
      Effect.gen(function* () {
        yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        yield* call(url, "POST", "/updateResults", records(0, 2))
        const deleted = yield* call(url, "DELETE", "/createExperiment", [{ experiment_name: containerExperimentName }])
        expect(deleted.status).toBe(201)
        expect(envelope(deleted.body).message).toBe(
          "Experiment deleted successfully. View registered experiments at /listExperiments"
        )
        const again = yield* call(url, "DELETE", "/createExperiment?rm=true", [
          { experiment_name: containerExperimentName }
        ])
        expect(again.status).toBe(400)
        expect(envelope(again.body).message).toBe("Experiment not found!")
        // Re-created, it starts empty: its old results went with it.
        yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
        const fresh = yield* call(url, "POST", "/updateResults", records(0, 2))
        expect(fresh.status).toBe(201)
      })
    )
  )

  it.live("answers malformed input of every kind with a 4xx, never a 5xx", () =>
    withEngine(
      (url) =>
        Effect.gen(function* () {
          const bodies = ["", "not json", "{", "[", "null", "42", '{"a":1}', "[1,2,3]", '[{"experiment_name": 5}]']
          const targets: ReadonlyArray<readonly [string, string]> = [
            ["POST", "/createPerformanceProfile"],
            ["PUT", "/updatePerformanceProfile"],
            ["POST", "/createExperiment"],
            ["DELETE", "/createExperiment"],
            ["POST", "/updateResults"]
          ]
          for (const [method, path] of targets) {
            for (const body of bodies) {
              const answer = yield* call(url, method, path, body)
              expect(answer.status, `${method} ${path} with ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400)
              expect(answer.status, `${method} ${path} with ${JSON.stringify(body)}`).toBeLessThan(500)
              expect(envelope(answer.body).status).toBe("ERROR")
            }
          }
          const huge = yield* call(url, "POST", "/updateResults", `[${"1,".repeat(40_000)}1]`)
          expect(huge.status).toBe(413)
          // Without a declared length the limit holds while reading, and a body within it is read whole.
          const hugeChunked = yield* postChunked(`${url}/updateResults`, `[${"1,".repeat(40_000)}1]`, 8)
          expect(hugeChunked.status).toBe(413)
          expect(envelope(JSON.parse(hugeChunked.text)).message).toBe("Request body exceeds 65536 bytes")
          expect(hugeChunked.headers.connection).toBe("keep-alive")
          const created = yield* postChunked(`${url}/createExperiment`, JSON.stringify([containerExperimentJson()]), 3)
          expect(created.status).toBe(201)
          const unknownRoute = yield* call(url, "GET", "/nope")
          expect(unknownRoute.status).toBe(404)
        }),
      { ENGINE_MAX_BODY_BYTES: "65536" }
    )
  )

  it.live("loses nothing across a restart", () =>
    Effect.gen(function* () {
      const database = yield* scratchDatabaseName("kruize_test")
      const engine = yield* engineOn(database)
      const query = `experiment_name=${encodeURIComponent(containerExperimentName)}&interval_end_time=${iso(t0 + minutes(15 * 3))}`

      const first = yield* engine.start
      yield* call(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)
      yield* call(engine.url, "POST", "/createExperiment", [containerExperimentJson()])
      yield* call(engine.url, "POST", "/updateResults", records(0, 3))
      const before = yield* call(engine.url, "POST", `/updateRecommendations?${query}`)
      yield* Scope.close(first, Exit.void)

      const second = yield* engine.start
      yield* Effect.addFinalizer(() => Scope.close(second, Exit.void))
      const duplicate = yield* call(engine.url, "POST", "/updateResults", [containerRecord(1)])
      expect(envelope(duplicate.body).data?.[0]?.errors[0]?.httpcode).toBe(409)
      const after = yield* call(engine.url, "POST", `/updateRecommendations?${query}`)
      expect(after.status).toBe(201)
      expect(after.text).toBe(before.text)
    }).pipe(Effect.scoped)
  )
})
