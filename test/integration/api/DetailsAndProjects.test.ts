/**
 * The detail endpoints, the project (namespace) list and the ROS workloads list on real PostgreSQL: box plots and
 * default units of details, 400 for a malformed id and 404 for an unknown one, the namespace list's filters, sort
 * keys and 406 for CSV, and the workloads with their recommendation summaries.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { ContainerRecommendation, ContainerRecommendationList } from "../../../schema/api/ContainerRecommendation.js"
import { namespaceSortKeys } from "../../../schema/api/ListParameters.js"
import { NamespaceRecommendation, NamespaceRecommendationList } from "../../../schema/api/NamespaceRecommendation.js"
import { WorkloadSummaryList } from "../../../schema/api/WorkloadSummary.js"
import { ApiUnderTest, apiUnderTest, get } from "./apiHarness.js"
import { A1_POSTGRES, nameOf, ORG_A, ORG_B, orgs, UUID_A1, WHOLE_HISTORY } from "./fixture.js"

const BASE = "/api/cost-management/v1/recommendations/openshift"
const UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"

const ok = <A, I>(schema: Schema.Schema<A, I>, path: string, org = ORG_A) =>
  Effect.map(get(path, { org }), (answer) => {
    expect(answer.status, answer.text).toBe(200)
    return Schema.decodeUnknownSync(schema)(answer.body)
  })

describe("details, projects and workloads", () => {
  layer(apiUnderTest("api_details", orgs), { excludeTestServices: true })((it) => {
    it.effect("a container's detail keeps box plots, defaults memory to MiB, and ignores the date window", () =>
      Effect.gen(function* () {
        const { ids } = yield* ApiUnderTest
        const id = ids.containers.get(`${ORG_A}/alpha-prod/shop/db/postgres`) ?? ""
        const detail = yield* ok(ContainerRecommendation, `${BASE}/container/${id}`)
        expect(nameOf(detail)).toBe(A1_POSTGRES)
        expect(detail.recommendations.current?.requests?.memory).toEqual({ amount: 4096, format: "Mi" })
        const plots = detail.recommendations.recommendation_terms?.short_term?.plots
        expect(Object.keys(plots?.plots_data ?? {})).toHaveLength(4)
        expect(Object.values(plots?.plots_data ?? {})[0]?.memoryUsage?.format).toBe("Mi")
        // The legacy path and the ROS path answer the same; units apply to details too.
        expect(yield* ok(ContainerRecommendation, `${BASE}/${id}`)).toEqual(detail)
        expect(yield* ok(ContainerRecommendation, `/api/ros/v1/recommendations/${id}`)).toEqual(detail)
        const bytes = yield* ok(
          ContainerRecommendation,
          `${BASE}/container/${id}?memory-unit=bytes&cpu-unit=millicores`
        )
        expect(bytes.recommendations.current?.requests).toEqual({
          cpu: { amount: 2000, format: "m" },
          memory: { amount: 4 * 1024 ** 3, format: "bytes" }
        })
        // Last month's set is not in the default list, but its detail answers.
        const agent = ids.containers.get(`${ORG_A}/alpha-prod/billing/agent/agent`) ?? ""
        expect((yield* get(`${BASE}/container/${agent}`, { org: ORG_A })).status).toBe(200)
        // Upper-case UUIDs are the same id.
        expect((yield* get(`${BASE}/container/${id.toUpperCase()}`, { org: ORG_A })).status).toBe(200)
      })
    )

    it.effect("a malformed id is a 400, an unknown one a 404, on every detail route", () =>
      Effect.gen(function* () {
        for (const path of [`${BASE}/container`, BASE, `${BASE}/namespace`, "/api/ros/v1/recommendations"]) {
          const bad = yield* get(`${path}/not-a-uuid`, { org: ORG_A })
          expect(bad.status, path).toBe(400)
          expect(bad.body).toMatchObject({ status: "error", parameter: "id" })
          const unknown = yield* get(`${path}/${UNKNOWN_ID}`, { org: ORG_A })
          expect(unknown.status, path).toBe(404)
          expect(unknown.body).toMatchObject({ status: "error", id: UNKNOWN_ID })
        }
        const { ids } = yield* ApiUnderTest
        const id = ids.containers.get(`${ORG_A}/alpha-prod/shop/db/postgres`) ?? ""
        expect((yield* get(`${BASE}/container/${id}?memory-unit=TB`, { org: ORG_A })).status).toBe(400)
      })
    )

    it.effect("project recommendations: list, window, filters, sort keys, detail; CSV is refused with 406", () =>
      Effect.gen(function* () {
        const projects = (query: string) =>
          Effect.map(ok(NamespaceRecommendationList, `${BASE}/namespace?limit=-1&${query}`), (page) =>
            page.data.map((item) => `${item.cluster_alias}/${item.project}`).sort()
          )
        expect(yield* projects("")).toEqual(["alpha-prod/shop", "beta-dev/ops"])
        expect(yield* projects(WHOLE_HISTORY)).toEqual(["alpha-prod/billing", "alpha-prod/shop", "beta-dev/ops"])
        expect(yield* projects(`${WHOLE_HISTORY}&cluster=beta`)).toEqual(["beta-dev/ops"])
        expect(yield* projects(`${WHOLE_HISTORY}&filter[exact:cluster]=${UUID_A1}`)).toEqual([
          "alpha-prod/billing",
          "alpha-prod/shop"
        ])
        expect(yield* projects(`${WHOLE_HISTORY}&project=SH`)).toEqual(["alpha-prod/shop"])
        expect(yield* projects(`${WHOLE_HISTORY}&exclude[project]=shop&exclude[project]=ops`)).toEqual([
          "alpha-prod/billing"
        ])
        for (const key of namespaceSortKeys) {
          for (const how of ["asc", "desc"]) {
            const page = yield* ok(
              NamespaceRecommendationList,
              `${BASE}/namespace?${WHOLE_HISTORY}&order_by=${key}&order_how=${how}`
            )
            expect(page.meta.count, key).toBe(3)
          }
        }
        const byCpu = yield* ok(
          NamespaceRecommendationList,
          `${BASE}/namespace?${WHOLE_HISTORY}&order_by=cpu_request_current&order_how=asc`
        )
        expect(byCpu.data.map((item) => item.project)).toEqual(["billing", "ops", "shop"])
        const container = yield* get(`${BASE}/namespace?order_by=container`, { org: ORG_A })
        expect(container.status).toBe(400)
        expect(container.body).toMatchObject({ parameter: "order_by" })
        const csv = yield* get(`${BASE}/namespace?format=csv`, { org: ORG_A })
        expect(csv.status).toBe(406)
        expect(csv.body).toMatchObject({ message: "CSV format is not supported. Please use application/json." })
        expect((yield* get(`${BASE}/namespace`, { org: ORG_A, headers: { accept: "text/csv" } })).status).toBe(406)
        expect((yield* get(`${BASE}/namespace?workload_type=job`, { org: ORG_A })).status).toBe(200)

        const { ids } = yield* ApiUnderTest
        const id = ids.projects.get(`${ORG_A}/alpha-prod/shop`) ?? ""
        const detail = yield* ok(NamespaceRecommendation, `${BASE}/namespace/${id}`)
        expect(detail).toMatchObject({ project: "shop", cluster_uuid: UUID_A1, source_id: "10" })
        // The namespace detail defaults to bytes (upstream), and keeps its plots.
        expect(detail.recommendations.current?.requests?.memory).toEqual({ amount: 8 * 1024 ** 3, format: "bytes" })
        expect(detail.recommendations.recommendation_terms?.long_term?.plots).toBeDefined()
      })
    )

    it.effect("ROS workloads: cluster, namespace, type, containers, last upload and the latest recommendations", () =>
      Effect.gen(function* () {
        const page = yield* ok(WorkloadSummaryList, "/api/ros/v1/workloads?limit=-1&order_by=workload&order_how=asc")
        expect(page.meta.count).toBe(6)
        const frontend = page.data.find((w) => w.cluster_alias === "alpha-prod" && w.workload === "frontend")
        expect(frontend).toMatchObject({
          cluster_uuid: UUID_A1,
          source_id: "10",
          namespace: "shop",
          workload_type: "deployment",
          containers: ["web", "sidecar"]
        })
        expect(frontend?.last_upload).toMatch(/Z$/)
        expect(frontend?.recommendations.count).toBe(2)
        expect(frontend?.recommendations.containers.map((c) => c.container)).toEqual(["sidecar", "web"])
        const { ids } = yield* ApiUnderTest
        expect(frontend?.recommendations.containers.find((c) => c.container === "web")?.id).toBe(
          ids.containers.get(`${ORG_A}/alpha-prod/shop/frontend/web`)
        )
        const legacy = page.data.find((w) => w.workload === "legacy")
        expect(legacy?.recommendations).toEqual({ count: 0, containers: [] })
        const names = (query: string) =>
          Effect.map(ok(WorkloadSummaryList, `/api/ros/v1/workloads?limit=-1&${query}`), (p) =>
            p.data.map((w) => `${w.cluster_alias}/${w.workload}`).sort()
          )
        expect(yield* names("container=SIDE")).toEqual(["alpha-prod/frontend"])
        expect(yield* names("filter[exact:container]=app")).toEqual(["beta-dev/legacy"])
        expect(yield* names("exclude[container]=web&project=shop")).toEqual(["alpha-prod/db"])
        expect(yield* names("workload_type=replicaset")).toEqual(["beta-dev/cron-x"])
        expect(yield* names("cluster=beta&exclude[workload]=legacy")).toEqual(["beta-dev/cron-x", "beta-dev/frontend"])
        const second = yield* ok(WorkloadSummaryList, "/api/ros/v1/workloads?limit=4&offset=4")
        expect([second.data.length, second.links.next, second.links.previous !== undefined]).toEqual([
          2,
          undefined,
          true
        ])
        expect((yield* get("/api/ros/v1/workloads?order_by=cpu_request_current", { org: ORG_A })).status).toBe(400)
        // Another org's workloads are not there.
        const other = yield* ok(WorkloadSummaryList, "/api/ros/v1/workloads", ORG_B)
        expect(other.data.map((w) => w.cluster_uuid)).toEqual(["bbbbbbbb-0000-4000-8000-000000000001"])
      })
    )

    it.effect("the ROS recommendations route takes the same filters", () =>
      Effect.gen(function* () {
        const page = yield* ok(
          ContainerRecommendationList,
          "/api/ros/v1/recommendations?filter[exact:container]=postgres"
        )
        expect(page.data.map(nameOf)).toEqual([A1_POSTGRES])
      })
    )
  })
})
