/**
 * The container recommendation list on real PostgreSQL through the real HTTP server: the default window, every
 * filter in its three forms, every sort key both ways, the unit options, pagination at the edges, and the CSV
 * export parsed back and compared with the JSON.
 */
import { describe, expect, layer } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect, Schema } from "effect"
import {
  type ContainerRecommendation,
  ContainerRecommendationList
} from "../../../schema/api/ContainerRecommendation.js"
import { containerSortKeys } from "../../../schema/api/ListParameters.js"
import { workloadTypes } from "../../../schema/ros/WorkloadType.js"
import { CSV_COLUMNS } from "../../../src/api/CsvExport.js"
import { goTimeString } from "../../../src/api/TimeText.js"
import { apiUnderTest, get } from "./apiHarness.js"
import {
  A1_AGENT,
  A1_POSTGRES,
  A1_SIDECAR,
  A1_WEB,
  A2_RUNNER,
  A2_WEB,
  ALL_A,
  CURRENT_A,
  nameOf,
  ORG_A,
  orgs,
  PREVIOUS_MONTH_ONLY,
  UUID_A1,
  UUID_A2,
  WHOLE_HISTORY
} from "./fixture.js"

const LIST = "/api/cost-management/v1/recommendations/openshift"
const decodeList = Schema.decodeUnknownSync(ContainerRecommendationList)

const list = (query: string, path = LIST) =>
  Effect.map(get(`${path}?${query}`, { org: ORG_A }), (answer) => {
    expect(answer.status, answer.text).toBe(200)
    return decodeList(answer.body)
  })

const names = (query: string) =>
  Effect.map(list(`${WHOLE_HISTORY}&limit=-1&${query}`), (page) => page.data.map(nameOf).sort())

const sorted = (values: ReadonlyArray<string>) => [...values].sort()

describe("container recommendation list", () => {
  layer(apiUnderTest("api_containers", orgs), { excludeTestServices: true })((it) => {
    it.effect("answers upstream's envelope; the legacy path, /container and /api/ros/v1 answer the same", () =>
      Effect.gen(function* () {
        const legacy = yield* list("limit=-1")
        expect(legacy.meta).toEqual({ count: 5, limit: -1, offset: 0 })
        const container = yield* list("limit=-1", `${LIST}/container`)
        const ros = yield* list("limit=-1", "/api/ros/v1/recommendations")
        expect(container.data).toEqual(legacy.data)
        expect(ros.data).toEqual(legacy.data)
        const item = legacy.data.find((i) => nameOf(i) === A1_WEB)
        expect(Object.keys(item ?? {})).toEqual([
          "cluster_alias",
          "cluster_uuid",
          "container",
          "id",
          "last_reported",
          "project",
          "recommendations",
          "source_id",
          "workload",
          "workload_type"
        ])
        expect(item).toMatchObject({ cluster_uuid: UUID_A1, source_id: "10", workload_type: "deployment" })
        expect(item?.last_reported).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/)
      })
    )

    it.effect("defaults to the current month; start_date and end_date (inclusive) move the window", () =>
      Effect.gen(function* () {
        expect(sorted((yield* list("limit=-1")).data.map(nameOf))).toEqual(sorted(CURRENT_A))
        expect((yield* list(`limit=-1&${PREVIOUS_MONTH_ONLY}`)).data.map(nameOf)).toEqual([A1_AGENT])
        expect(sorted((yield* list(`limit=-1&${WHOLE_HISTORY}`)).data.map(nameOf))).toEqual(sorted(ALL_A))
        expect((yield* list("limit=-1&start_date=2001-01-01&end_date=2001-12-31")).meta.count).toBe(0)
      })
    )

    it.effect("cluster: alias substring, exact alias, UUID, and exclusions", () =>
      Effect.gen(function* () {
        const a1 = sorted([A1_WEB, A1_SIDECAR, A1_POSTGRES, A1_AGENT])
        const a2 = sorted([A2_WEB, A2_RUNNER])
        expect(yield* names("cluster=ALPHA")).toEqual(a1)
        expect(yield* names(`cluster=${UUID_A2}`)).toEqual(a2)
        expect(yield* names("filter[exact:cluster]=alpha-prod")).toEqual(a1)
        expect(yield* names("filter[exact:cluster]=alpha")).toEqual([])
        expect(yield* names(`filter[exact:cluster]=${UUID_A1}`)).toEqual(a1)
        expect(yield* names("exclude[cluster]=alpha-prod")).toEqual(a2)
        expect(yield* names(`exclude[cluster]=${UUID_A2}`)).toEqual(a1)
        expect(yield* names("cluster=alpha&cluster=beta")).toEqual(sorted(ALL_A))
      })
    )

    it.effect("project, workload and container: substring (case-insensitive), exact, exclude; values OR-ed", () =>
      Effect.gen(function* () {
        const shop = sorted([A1_WEB, A1_SIDECAR, A1_POSTGRES, A2_WEB])
        expect(yield* names("project=SHO")).toEqual(shop)
        expect(yield* names("filter[exact:project]=shop")).toEqual(shop)
        expect(yield* names("filter[exact:project]=sho")).toEqual([])
        expect(yield* names("exclude[project]=shop")).toEqual(sorted([A1_AGENT, A2_RUNNER]))
        expect(yield* names("project=billing&project=ops")).toEqual(sorted([A1_AGENT, A2_RUNNER]))
        expect(yield* names("workload=front")).toEqual(sorted([A1_WEB, A1_SIDECAR, A2_WEB]))
        expect(yield* names("filter[exact:workload]=db")).toEqual([A1_POSTGRES])
        expect(yield* names("exclude[workload]=frontend&exclude[workload]=db")).toEqual(sorted([A1_AGENT, A2_RUNNER]))
        expect(yield* names("container=WEB")).toEqual(sorted([A1_WEB, A2_WEB]))
        expect(yield* names("filter[exact:container]=sidecar")).toEqual([A1_SIDECAR])
        expect(yield* names("exclude[container]=web")).toEqual(sorted([A1_SIDECAR, A1_POSTGRES, A1_AGENT, A2_RUNNER]))
      })
    )

    it.effect("workload_type: every form is exact; an exact value wins over its plain twin", () =>
      Effect.gen(function* () {
        expect(yield* names("workload_type=deployment")).toEqual(sorted([A1_WEB, A1_SIDECAR, A2_WEB]))
        expect(yield* names("filter[exact:workload_type]=statefulset")).toEqual([A1_POSTGRES])
        expect(yield* names("exclude[workload_type]=deployment")).toEqual(sorted([A1_POSTGRES, A1_AGENT, A2_RUNNER]))
        expect(yield* names("workload_type=daemonset&filter[exact:workload_type]=daemonset")).toEqual([A1_AGENT])
      })
    )

    it.effect("different filters are AND-ed", () =>
      Effect.gen(function* () {
        expect(yield* names("cluster=alpha&workload_type=deployment&exclude[container]=sidecar")).toEqual([A1_WEB])
        expect(yield* names("project=shop&container=web&exclude[cluster]=beta-dev")).toEqual([A1_WEB])
      })
    )

    it.effect("bad filters are 400s naming the parameter", () =>
      Effect.gen(function* () {
        const cases: ReadonlyArray<readonly [string, string]> = [
          ["workload_type=job", "workload_type"],
          ["exclude[workload_type]=namespace", "exclude[workload_type]"],
          ["project=shop&exclude[project]=shop", "exclude[project]"],
          [`${Array.from({ length: 6 }, (_, i) => `cluster=c${i}`).join("&")}`, "cluster"]
        ]
        for (const [query, parameter] of cases) {
          const answer = yield* get(`${LIST}?${query}`, { org: ORG_A })
          expect(answer.status, query).toBe(400)
          expect(answer.body).toMatchObject({ status: "error", parameter })
        }
      })
    )

    it.effect("every sort key orders both ways, empty values last, ties by id", () =>
      Effect.gen(function* () {
        const all = (yield* list(`${WHOLE_HISTORY}&limit=-1`)).data
        const typeRank = (t: string) => workloadTypes.indexOf(t as (typeof workloadTypes)[number])
        const variation = (item: ContainerRecommendation, key: string) => {
          const [resource, , term, engine] = key.split("_") as [
            "cpu" | "memory",
            string,
            string,
            "cost" | "performance"
          ]
          const shown =
            item.recommendations.recommendation_terms?.[`${term}_term` as "short_term"]?.recommendation_engines?.[
              engine
            ]?.variation?.requests?.[resource]?.amount
          return shown ?? null
        }
        const sortValue = (item: ContainerRecommendation, key: string): string | number | null => {
          switch (key) {
            case "cluster":
              return item.cluster_alias
            case "workload_type":
              return typeRank(item.workload_type)
            case "workload":
              return item.workload
            case "project":
              return item.project
            case "container":
              return item.container
            case "last_reported":
              return item.last_reported
            case "cpu_request_current":
              return item.recommendations.current?.requests?.cpu?.amount ?? 0
            case "memory_request_current":
              return item.recommendations.current?.requests?.memory?.amount ?? 0
            default:
              return variation(item, key)
          }
        }
        const byId = new Map(all.map((item) => [item.id, item]))
        for (const key of containerSortKeys) {
          for (const how of ["asc", "desc"] as const) {
            const page = yield* list(`${WHOLE_HISTORY}&limit=-1&order_by=${key}&order_how=${how}`)
            expect(page.data.map((i) => i.id).sort()).toEqual([...byId.keys()].sort())
            const values = page.data.map((item) => sortValue(item, key))
            for (let i = 1; i < values.length; i++) {
              const previous = values[i - 1] ?? null
              const current = values[i] ?? null
              const context = `${key} ${how}: ${JSON.stringify(values)}`
              if (previous === null) expect(current, context).toBeNull()
              else if (current !== null && current !== previous) {
                expect(how === "asc" ? current > previous : current < previous, context).toBe(true)
              } else if (current === previous) {
                expect((page.data[i]?.id ?? "") > (page.data[i - 1]?.id ?? ""), `${context} (tie)`).toBe(true)
              }
            }
          }
        }
        // Sanity: the orders are not all the same one.
        const byCpu = (yield* list(`${WHOLE_HISTORY}&limit=-1&order_by=cpu_request_current&order_how=asc`)).data
        expect(byCpu.map(nameOf)).toEqual([A1_SIDECAR, A1_AGENT, A2_RUNNER, A1_WEB, A2_WEB, A1_POSTGRES])
        // The runner has only a short term: last for a medium-term key, whichever the direction.
        for (const how of ["asc", "desc"]) {
          const medium = (yield* list(`${WHOLE_HISTORY}&limit=-1&order_by=cpu_variation_medium_cost&order_how=${how}`))
            .data
          expect(medium.at(-1) === undefined ? undefined : nameOf(medium.at(-1) as ContainerRecommendation)).toBe(
            A2_RUNNER
          )
        }
        const bad = yield* get(`${LIST}?order_by=cpu_variation_short`, { org: ORG_A })
        expect(bad.status).toBe(400)
        expect(bad.body).toMatchObject({ parameter: "order_by" })
      })
    )

    it.effect("units: cores/millicores, bytes/MiB/GiB, Kubernetes formats or unit names", () =>
      Effect.gen(function* () {
        const at = (query: string) =>
          Effect.map(list(`filter[exact:container]=postgres&${query}`), (page) => page.data[0]?.recommendations)
        const plain = yield* at("")
        expect(plain?.current?.requests).toEqual({
          cpu: { amount: 2, format: "" },
          memory: { amount: 4 * 1024 ** 3, format: "bytes" }
        })
        const milli = yield* at("cpu-unit=millicores&memory-unit=MiB")
        expect(milli?.current?.requests).toEqual({
          cpu: { amount: 2000, format: "m" },
          memory: { amount: 4096, format: "Mi" }
        })
        expect(milli?.recommendation_terms?.short_term?.recommendation_engines?.cost?.config?.requests?.cpu).toEqual({
          amount: 600,
          format: "m"
        })
        const named = yield* at("memory-unit=GiB&true-units=true")
        expect(named?.current?.limits).toEqual({
          cpu: { amount: 4, format: "cores" },
          memory: { amount: 8, format: "GiB" }
        })
        // Variations are percentages whatever the units.
        expect(named?.recommendation_terms?.short_term?.recommendation_engines?.cost?.variation?.limits?.cpu).toEqual({
          amount: -85,
          format: "percent"
        })
        for (const query of ["cpu-unit=cores2", "memory-unit=KiB", "true-units=maybe"]) {
          const answer = yield* get(`${LIST}?${query}`, { org: ORG_A })
          expect(answer.status, query).toBe(400)
          expect(answer.body).toMatchObject({ parameter: query.split("=")[0] })
        }
      })
    )

    it.effect("pagination: pages tile the list, links and meta at the edges", () =>
      Effect.gen(function* () {
        const seen: Array<string> = []
        for (const offset of [0, 2, 4]) {
          const page = yield* list(`limit=2&offset=${offset}&order_by=container&order_how=asc`)
          expect(page.meta).toEqual({ count: 5, limit: 2, offset })
          expect(page.data.length).toBe(offset === 4 ? 1 : 2)
          seen.push(...page.data.map(nameOf))
          expect(page.links.previous === undefined).toBe(offset === 0)
          expect(page.links.next === undefined).toBe(offset === 4)
          expect(new URL(page.links.last, "http://x").searchParams.get("offset")).toBe("4")
          expect(new URL(page.links.first, "http://x").searchParams.getAll("order_by")).toEqual(["container"])
        }
        expect(sorted(seen)).toEqual(sorted(CURRENT_A))
        // Following `next` from the first page visits every row once.
        let link: string | undefined = `${LIST}?limit=2&order_by=container&order_how=asc`
        const followed: Array<string> = []
        while (link !== undefined) {
          const page: ContainerRecommendationList = yield* list(link.split("?")[1] ?? "")
          followed.push(...page.data.map(nameOf))
          link = page.links.next
        }
        expect(followed).toEqual(seen)
        const beyond = yield* list("limit=2&offset=50")
        expect(beyond.meta).toEqual({ count: 5, limit: 2, offset: 50 })
        expect(beyond.data).toEqual([])
        const none = yield* list("limit=0")
        expect([none.meta.count, none.data.length]).toEqual([5, 0])
        expect((yield* list("")).meta.limit).toBe(10)
        for (const query of ["limit=-2", "limit=abc", "offset=-1", "offset=1.5"]) {
          expect((yield* get(`${LIST}?${query}`, { org: ORG_A })).status, query).toBe(400)
        }
      })
    )

    it.effect("CSV export: 38 columns, six rows per full recommendation, the same values as the JSON", () =>
      Effect.gen(function* () {
        const query = `${WHOLE_HISTORY}&order_by=container&order_how=asc`
        const csv = yield* get(`${LIST}?${query}&format=csv`, { org: ORG_A })
        expect(csv.status).toBe(200)
        expect(csv.headers.get("content-type")).toMatch(/^text\/csv/)
        expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename=recommendations-\d{8}\.csv$/)
        const byAccept = yield* get(`${LIST}?${query}`, { org: ORG_A, headers: { accept: "text/csv" } })
        expect(byAccept.text).toBe(csv.text)
        const [header, ...rows]: Array<Array<string>> = parse(csv.text)
        expect(header).toEqual([...CSV_COLUMNS])
        // Five sets with three terms and the runner with one: 5 × 6 + 2 rows; CSV ignores limit.
        expect(rows).toHaveLength(32)
        const json = (yield* list(`${query}&limit=-1`)).data
        const column = (row: Array<string>, name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)] ?? ""
        expect([...new Set(rows.map((row) => column(row, "id")))]).toEqual(json.map((item) => item.id))
        for (const row of rows) {
          const item = json.find((i) => i.id === column(row, "id"))
          expect(item).toBeDefined()
          if (item === undefined) continue
          const doc = item.recommendations
          const term = doc.recommendation_terms?.[column(row, "recommendation_term") as "short_term"]
          const engine = term?.recommendation_engines?.[column(row, "recommendation_type") as "cost"]
          const amount = (n: number | undefined) => String(n ?? 0)
          expect(column(row, "cluster_alias")).toBe(item.cluster_alias)
          expect(column(row, "last_reported")).toBe(item.last_reported)
          expect(column(row, "current_cpu_request_amount")).toBe(amount(doc.current?.requests?.cpu?.amount))
          expect(column(row, "current_memory_limit_amount")).toBe(amount(doc.current?.limits?.memory?.amount))
          expect(column(row, "current_memory_limit_format")).toBe(doc.current?.limits?.memory?.format)
          expect(column(row, "monitoring_end_time")).toBe(goTimeString(doc.monitoring_end_time))
          expect(column(row, "duration_in_hours")).toBe(amount(term?.duration_in_hours))
          expect(column(row, "config_cpu_limit_amount")).toBe(amount(engine?.config?.limits?.cpu?.amount))
          expect(column(row, "config_memory_request_amount")).toBe(amount(engine?.config?.requests?.memory?.amount))
          expect(column(row, "variation_cpu_request_amount")).toBe(amount(engine?.variation?.requests?.cpu?.amount))
          expect(column(row, "variation_memory_limit_amount")).toBe(amount(engine?.variation?.limits?.memory?.amount))
          expect(column(row, "variation_memory_limit_format")).toBe("percent")
        }
        const filtered: Array<Array<string>> = parse(
          (yield* get(`${LIST}?${WHOLE_HISTORY}&format=csv&filter[exact:container]=runner`, { org: ORG_A })).text
        )
        expect(filtered.slice(1).map((row) => column(row, "recommendation_term"))).toEqual(["short_term", "short_term"])
        const millicores: Array<Array<string>> = parse(
          (yield* get(`${LIST}?format=csv&cpu-unit=millicores&filter[exact:container]=postgres`, { org: ORG_A })).text
        )
        expect(column(millicores[1] ?? [], "current_cpu_request_amount")).toBe("2000")
        expect(column(millicores[1] ?? [], "current_cpu_request_format")).toBe("m")
        expect((yield* get(`${LIST}?format=xml`, { org: ORG_A })).status).toBe(400)
      })
    )
  })
})
