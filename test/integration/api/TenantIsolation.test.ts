/**
 * No request reads another org's rows: not by id, not through filters on look-alike clusters and projects, not by
 * excluding or sorting, not through the count. SQL-injection strings in every parameter, the path and the identity
 * are only values; a bad identity header is a 401 on every data route.
 */

import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Encoding } from "effect"
import {
  ContainerListParameters,
  NamespaceListParameters,
  WorkloadListParameters
} from "../../../schema/api/ListParameters.js"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { ApiUnderTest, apiUnderTest, get } from "./apiHarness.js"
import { ORG_A, ORG_B, ORG_EMPTY, orgs, UUID_A1, UUID_A2, UUID_B1, WHOLE_HISTORY } from "./fixture.js"

const BASE = "/api/cost-management/v1/recommendations/openshift"
const CONTAINER_LISTS = [BASE, `${BASE}/container`, "/api/ros/v1/recommendations"]
const DATA_ROUTES = [
  ...CONTAINER_LISTS,
  `${BASE}/namespace`,
  "/api/ros/v1/workloads",
  `${BASE}/container/aaaaaaaa-0000-4000-8000-00000000000f`,
  `${BASE}/namespace/aaaaaaaa-0000-4000-8000-00000000000f`
]

const INJECTIONS = [
  "' OR '1'='1",
  "x' OR 1=1 --",
  "1; DROP TABLE recommendation_sets; --",
  "%' OR org_id <> '",
  "shop') OR ('1'='1",
  "\\'; SELECT pg_sleep(5); --",
  '" OR ""="',
  "alpha-prod' UNION SELECT * FROM rh_accounts --"
]

/** Cluster UUIDs in an answer (list items, workload summaries). */
const uuidsIn = (body: unknown): Array<string> =>
  typeof body === "object" && body !== null && "data" in body && Array.isArray(body.data)
    ? body.data.map((item: { cluster_uuid?: string }) => item.cluster_uuid ?? "")
    : []

const countRows: Effect.Effect<number, unknown, SqlClient.SqlClient> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ n: number }>`
    SELECT (SELECT count(*) FROM recommendation_sets) + (SELECT count(*) FROM workloads)
         + (SELECT count(*) FROM namespace_recommendation_sets) + (SELECT count(*) FROM rh_accounts) AS n`
  return Number(row?.n ?? 0)
})

describe("tenant isolation", () => {
  layer(apiUnderTest("api_isolation", orgs), { excludeTestServices: true })((it) => {
    it.effect("each org sees only its rows, counts included, whatever it filters, excludes or sorts by", () =>
      Effect.gen(function* () {
        for (const path of CONTAINER_LISTS) {
          const b = yield* get(`${path}?${WHOLE_HISTORY}&limit=-1`, { org: ORG_B })
          expect(uuidsIn(b.body)).toEqual([UUID_B1])
          expect(b.body).toMatchObject({ meta: { count: 1 } })
          const tricks = [
            "cluster=alpha-prod",
            "filter[exact:cluster]=alpha-prod",
            `cluster=${UUID_A1}`,
            `filter[exact:cluster]=${UUID_A2}`,
            "exclude[cluster]=nothing",
            `exclude[cluster]=${UUID_B1}`,
            "project=shop&exclude[project]=ops",
            "order_by=cluster&order_how=asc",
            "order_by=cpu_variation_long_performance",
            "limit=-1&offset=0"
          ]
          for (const trick of tricks) {
            const answer = yield* get(`${path}?${WHOLE_HISTORY}&${trick}`, { org: ORG_B })
            expect(answer.status, trick).toBe(200)
            expect(
              uuidsIn(answer.body).every((uuid) => uuid === UUID_B1),
              trick
            ).toBe(true)
          }
          const empty = yield* get(`${path}?${WHOLE_HISTORY}`, { org: ORG_EMPTY })
          expect(empty.body).toMatchObject({ data: [], meta: { count: 0 } })
        }
        const projects = yield* get(`${BASE}/namespace?${WHOLE_HISTORY}&cluster=alpha-prod`, { org: ORG_B })
        expect(uuidsIn(projects.body)).toEqual([UUID_B1])
        const workloads = yield* get("/api/ros/v1/workloads?cluster=alpha&limit=-1", { org: ORG_B })
        expect(uuidsIn(workloads.body)).toEqual([UUID_B1])
      })
    )

    it.effect("another org's ids are 404s on every detail route", () =>
      Effect.gen(function* () {
        const { ids } = yield* ApiUnderTest
        const aContainer = ids.containers.get(`${ORG_A}/alpha-prod/shop/frontend/web`) ?? ""
        const aProject = ids.projects.get(`${ORG_A}/alpha-prod/shop`) ?? ""
        for (const path of [
          `${BASE}/container/${aContainer}`,
          `${BASE}/${aContainer}`,
          `/api/ros/v1/recommendations/${aContainer}`
        ]) {
          expect((yield* get(path, { org: ORG_A })).status, path).toBe(200)
          expect((yield* get(path, { org: ORG_B })).status, path).toBe(404)
          expect((yield* get(path, { org: ORG_EMPTY })).status, path).toBe(404)
        }
        expect((yield* get(`${BASE}/namespace/${aProject}`, { org: ORG_A })).status).toBe(200)
        expect((yield* get(`${BASE}/namespace/${aProject}`, { org: ORG_B })).status).toBe(404)
        // A container id is not a project id, nor the reverse.
        expect((yield* get(`${BASE}/namespace/${aContainer}`, { org: ORG_A })).status).toBe(404)
        expect((yield* get(`${BASE}/container/${aProject}`, { org: ORG_A })).status).toBe(404)
      })
    )

    it.effect("SQL-injection strings in every query parameter are plain values", () =>
      Effect.gen(function* () {
        const { sql } = yield* ApiUnderTest
        const before = yield* countRows.pipe(Effect.provide(sql))
        const routes: ReadonlyArray<readonly [string, ReadonlyArray<string>]> = [
          [BASE, Object.keys(ContainerListParameters.fields)],
          [`${BASE}/namespace`, Object.keys(NamespaceListParameters.fields)],
          ["/api/ros/v1/workloads", Object.keys(WorkloadListParameters.fields)]
        ]
        let answered = 0
        for (const [path, parameters] of routes) {
          for (const parameter of parameters) {
            for (const value of INJECTIONS) {
              const query = `${WHOLE_HISTORY}&${encodeURIComponent(parameter)}=${encodeURIComponent(value)}`
              const answer = yield* get(`${path}?${query}`, { org: ORG_B })
              const context = `${path} ${parameter}=${value}: ${answer.text.slice(0, 200)}`
              // A value is either refused (400, naming its parameter) or matched literally: never a server error.
              expect([200, 400], context).toContain(answer.status)
              if (answer.status === 400) expect(answer.body, context).toMatchObject({ parameter })
              expect(
                uuidsIn(answer.body).every((uuid) => uuid === UUID_B1),
                context
              ).toBe(true)
              answered++
            }
          }
        }
        expect(answered).toBeGreaterThan(400)
        // Filters never match everything because of a quote: the substring forms look for the text itself.
        const literal = yield* get(`${BASE}?${WHOLE_HISTORY}&cluster=${encodeURIComponent("' OR '1'='1")}`, {
          org: ORG_A
        })
        expect(literal.body).toMatchObject({ data: [], meta: { count: 0 } })
        for (const id of ["' OR 1=1 --", "1;DROP TABLE workloads", "00000000-0000-4000-8000-000000000000' OR '1'='1"]) {
          const answer = yield* get(`${BASE}/container/${encodeURIComponent(id)}`, { org: ORG_A })
          expect(answer.status, id).toBe(400)
        }
        // The org id itself is a value too.
        for (const org of ["' OR '1'='1", "1111111' OR org_id <> '", "%"]) {
          const answer = yield* get(`${BASE}?${WHOLE_HISTORY}`, { org })
          expect(answer.body, org).toMatchObject({ data: [], meta: { count: 0 } })
        }
        expect(yield* countRows.pipe(Effect.provide(sql))).toBe(before)
      })
    )

    it.effect("a missing or malformed identity is a 401 on every data route, with upstream's message", () =>
      Effect.gen(function* () {
        const headers: ReadonlyArray<readonly [string | undefined, string]> = [
          [undefined, "Unable to marshal X-Rh-Identity into struct"],
          ["not base64!", "Unable to decode X-Rh-Identity"],
          [Encoding.encodeBase64("hello"), "Unable to marshal X-Rh-Identity into struct"],
          [
            Encoding.encodeBase64(JSON.stringify({ identity: { type: "User" } })),
            "Unable to marshal X-Rh-Identity into struct"
          ],
          [
            Encoding.encodeBase64(JSON.stringify({ identity: { org_id: "" } })),
            "Unable to marshal X-Rh-Identity into struct"
          ],
          [Encoding.encodeBase64("x".repeat(9000)), "Unable to decode X-Rh-Identity"]
        ]
        for (const path of DATA_ROUTES) {
          for (const [header, message] of headers) {
            const answer = yield* get(path, {
              org: null,
              ...(header === undefined ? {} : { headers: { "x-rh-identity": header } })
            })
            expect(answer.status, `${path} ${header}`).toBe(401)
            expect(answer.body).toMatchObject({ message })
          }
        }
        // internal.org_id stands in for an empty org_id, as in the rest of ros-ocp.
        const internalOnly = Encoding.encodeBase64(JSON.stringify({ identity: { internal: { org_id: ORG_B } } }))
        const answer = yield* get(`${BASE}?${WHOLE_HISTORY}`, { org: null, headers: { "x-rh-identity": internalOnly } })
        expect(uuidsIn(answer.body)).toEqual([UUID_B1])
        // The header name is case-insensitive.
        const upper = yield* get(`${BASE}?${WHOLE_HISTORY}`, {
          org: null,
          headers: { "X-RH-IDENTITY": makeIdentityHeader({ orgId: ORG_B }) }
        })
        expect(upper.status).toBe(200)
        for (const open of ["/status", "/openapi.json", `${BASE}/openapi.json`, "/metrics"]) {
          expect((yield* get(open, { org: null })).status, open).toBe(200)
        }
      })
    )
  })
})
