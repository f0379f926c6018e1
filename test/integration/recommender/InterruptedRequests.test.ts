/**
 * A caller that goes away in the middle of a request (an HTTP client that disconnects, a runner killed mid-call)
 * must not leave an experiment half changed: stored in the database but unknown to its entity, or the reverse.
 * The insert is held back by a table lock while the client gives up, so the interruption lands exactly between
 * the request and the database's answer.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, runningEngine } from "../../support/engineHarness.js"
import {
  containerExperimentJson,
  containerExperimentName,
  containerRecord,
  rosProfileJson
} from "../../support/kruizeFixtures.js"
import { onDatabase } from "../../support/scratchDatabase.js"

/** POST that gives up (closes its connection) after `ms`, answered or not. */
const abandonedPost = (url: string, body: unknown, ms: number) =>
  Effect.promise(async () => {
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), ms)
    try {
      await fetch(url, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
        signal: controller.signal
      })
      return "answered" as const
    } catch {
      return "abandoned" as const
    } finally {
      clearTimeout(timer)
    }
  })

describe("requests whose caller goes away", () => {
  it.live("a createExperiment abandoned while its insert waits still leaves an experiment that takes results", () =>
    Effect.gen(function* () {
      const engine = yield* runningEngine("kruize_abandon")
      yield* call(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)

      const outcome = yield* onDatabase(engine.database, (sql) =>
        Effect.gen(function* () {
          yield* sql`LOCK TABLE kruize_experiments IN EXCLUSIVE MODE`
          return yield* abandonedPost(`${engine.url}/createExperiment`, [containerExperimentJson()], 500)
        }).pipe(sql.withTransaction)
      )
      expect(outcome).toBe("abandoned")
      // The insert runs once the lock is gone; give it the moment it needs.
      yield* Effect.sleep("300 millis")

      const again = yield* call(engine.url, "POST", "/createExperiment", [containerExperimentJson()])
      expect(again.status).toBe(409)
      const results = yield* call(engine.url, "POST", "/updateResults", [containerRecord(0)])
      expect(results.text).not.toContain("does not exist")
      expect(results.status).toBe(201)
      const listed = yield* call(
        engine.url,
        "GET",
        `/listExperiments?experiment_name=${encodeURIComponent(containerExperimentName)}`
      )
      expect(listed.status).toBe(200)
    }).pipe(Effect.scoped)
  )
})
