/**
 * Lists keep shown documents between requests; a recommendation the poller rewrites (new JSON, new `updated_at`)
 * is answered as rewritten on the next request, in every unit.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { ApiUnderTest, apiUnderTest, get } from "./apiHarness.js"
import { ORG_A, orgs } from "./fixture.js"

const LIST = "/api/cost-management/v1/recommendations/openshift?filter[exact:container]=sidecar"

interface Page {
  readonly data: ReadonlyArray<{
    readonly recommendations: {
      readonly current?: { readonly requests?: { readonly cpu?: { readonly amount?: number } } }
    }
  }>
}

const cpuRequest = (query = "") =>
  Effect.map(
    get(`${LIST}${query}`, { org: ORG_A }),
    (answer) => (answer.body as Page).data[0]?.recommendations.current?.requests?.cpu?.amount
  )

describe("list freshness", () => {
  layer(apiUnderTest("api_fresh", orgs), { excludeTestServices: true })((it) => {
    it.effect("a rewritten recommendation is shown as rewritten", () =>
      Effect.gen(function* () {
        expect(yield* cpuRequest()).toBe(0.25)
        expect(yield* cpuRequest("&cpu-unit=millicores")).toBe(250)
        const { sql } = yield* ApiUnderTest
        yield* Effect.gen(function* () {
          const db = yield* SqlClient.SqlClient
          yield* db`
            UPDATE recommendation_sets
            SET recommendations = jsonb_set(recommendations, '{current,requests,cpu,amount}', '0.5'),
                cpu_request_current = 0.5, updated_at = updated_at + interval '1 second'
            WHERE container_name = 'sidecar'`
        }).pipe(Effect.provide(sql), Effect.orDie)
        expect(yield* cpuRequest()).toBe(0.5)
        expect(yield* cpuRequest("&cpu-unit=millicores")).toBe(500)
      })
    )
  })
})
