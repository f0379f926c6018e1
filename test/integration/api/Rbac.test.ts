/**
 * RBAC_ENABLE: the API asks the RBAC service for the caller's cost-management permissions (following its pages) and
 * shows only the clusters and projects they grant, on lists and details alike; no OpenShift permission (or
 * `openshift.node` alone, design.md §7) is a 403, and an RBAC service that fails is a 503.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { unusedPort } from "../../support/ports.js"
import { ApiUnderTest, apiUnderTest, get } from "./apiHarness.js"
import { fakeRbac, rbacUsers } from "./fakeRbac.js"
import { ORG_A, orgs, UUID_A1, UUID_A2, WHOLE_HISTORY } from "./fixture.js"

const BASE = "/api/cost-management/v1/recommendations/openshift"

const as = (username: string, path: string) =>
  get(path, { org: null, headers: { "x-rh-identity": makeIdentityHeader({ orgId: ORG_A, username }) } })

const seen = (username: string, path = `${BASE}?${WHOLE_HISTORY}&limit=-1`) =>
  Effect.map(as(username, path), (answer) => {
    expect(answer.status, answer.text).toBe(200)
    const body = answer.body as { data: Array<{ cluster_uuid: string; project?: string; namespace?: string }> }
    return body.data
      .map((item) => `${item.cluster_uuid === UUID_A1 ? "A1" : "A2"}/${item.project ?? item.namespace}`)
      .sort()
  })

/** The API with RBAC on, and the fake RBAC service it asks. */
const withRbac = Layer.unwrapScoped(
  Effect.map(fakeRbac(rbacUsers(UUID_A1, UUID_A2)), (rbac) =>
    apiUnderTest("api_rbac", orgs, {
      RBAC_ENABLE: "true",
      RBACHOST: "127.0.0.1",
      RBACPORT: String(rbac.port),
      RBACPROTOCOL: "http"
    })
  )
)

describe("RBAC", () => {
  layer(withRbac, { excludeTestServices: true })((it) => {
    it.effect("cluster and project permissions narrow every list", () =>
      Effect.gen(function* () {
        expect(yield* seen("admin")).toEqual(["A1/billing", "A1/shop", "A1/shop", "A1/shop", "A2/ops", "A2/shop"])
        expect(yield* seen("cluster-a1")).toEqual(["A1/billing", "A1/shop", "A1/shop", "A1/shop"])
        expect(yield* seen("project-ops")).toEqual(["A2/ops"])
        expect(yield* seen("both")).toEqual(["A2/shop"])
        // Permissions on two pages: the API follows links.next.
        expect(yield* seen("paged")).toEqual(["A1/shop", "A1/shop", "A1/shop"])
        expect(yield* seen("cluster-a1", `${BASE}/namespace?${WHOLE_HISTORY}`)).toEqual(["A1/billing", "A1/shop"])
        expect(yield* seen("project-ops", `${BASE}/namespace?${WHOLE_HISTORY}`)).toEqual(["A2/ops"])
        expect(yield* seen("both", "/api/ros/v1/workloads?limit=-1")).toEqual(["A2/shop"])
        // Filters only narrow further; they cannot widen the scope.
        expect(yield* seen("cluster-a1", `${BASE}?${WHOLE_HISTORY}&cluster=${UUID_A2}`)).toEqual([])
        expect(yield* seen("project-ops", `${BASE}?${WHOLE_HISTORY}&exclude[project]=ops`)).toEqual([])
      })
    )

    it.effect("details outside the scope are 404s", () =>
      Effect.gen(function* () {
        const { ids } = yield* ApiUnderTest
        const a2web = ids.containers.get(`${ORG_A}/beta-dev/shop/frontend/web`) ?? ""
        const a1shop = ids.projects.get(`${ORG_A}/alpha-prod/shop`) ?? ""
        expect((yield* as("admin", `${BASE}/container/${a2web}`)).status).toBe(200)
        expect((yield* as("both", `${BASE}/container/${a2web}`)).status).toBe(200)
        expect((yield* as("cluster-a1", `${BASE}/container/${a2web}`)).status).toBe(404)
        expect((yield* as("cluster-a1", `${BASE}/namespace/${a1shop}`)).status).toBe(200)
        expect((yield* as("project-ops", `${BASE}/namespace/${a1shop}`)).status).toBe(404)
      })
    )

    it.effect("no OpenShift permission, or openshift.node alone, is a 403; a failing RBAC service a 503", () =>
      Effect.gen(function* () {
        for (const user of ["node-only", "aws-only", "nobody"]) {
          const answer = yield* as(user, BASE)
          expect(answer.status, user).toBe(403)
          expect(answer.body).toMatchObject({ message: "User is not authorized" })
        }
        for (const user of ["broken", "garbage"]) {
          const answer = yield* as(user, BASE)
          expect(answer.status, user).toBe(503)
          expect(answer.body).toMatchObject({ status: "error" })
        }
        // Open routes do not ask RBAC.
        expect((yield* get("/status", { org: null })).status).toBe(200)
      })
    )
  })

  const unreachable = Layer.unwrapEffect(
    Effect.map(unusedPort, (port) =>
      apiUnderTest("api_rbac_down", orgs, { RBAC_ENABLE: "true", RBACHOST: "127.0.0.1", RBACPORT: String(port) })
    )
  )
  layer(unreachable, { excludeTestServices: true })((it) => {
    it.effect("an unreachable RBAC service is a 503, never an open door", () =>
      Effect.gen(function* () {
        const answer = yield* as("admin", BASE)
        expect(answer.status).toBe(503)
        expect(answer.body).toMatchObject({ message: "unable to check access with the RBAC service" })
      })
    )
  })
})
