/**
 * The demo's closing table: every container recommendation of the org from the ROS API, one line per available
 * term, current CPU and memory requests next to the cost and performance recommendations.
 */
import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Effect, Schema } from "effect"

const Amount = Schema.Struct({ amount: Schema.optional(Schema.Number), format: Schema.optional(Schema.String) })
const Resources = Schema.Struct({ cpu: Schema.optional(Amount), memory: Schema.optional(Amount) })
const Engine = Schema.Struct({ config: Schema.optional(Schema.Struct({ requests: Schema.optional(Resources) })) })
const Term = Schema.Struct({
  recommendation_engines: Schema.optional(
    Schema.Struct({ cost: Schema.optional(Engine), performance: Schema.optional(Engine) })
  )
})
const Item = Schema.Struct({
  cluster_alias: Schema.String,
  project: Schema.String,
  workload: Schema.String,
  container: Schema.String,
  recommendations: Schema.Struct({
    current: Schema.optional(Schema.Struct({ requests: Schema.optional(Resources) })),
    recommendation_terms: Schema.optional(
      Schema.Struct({
        short_term: Schema.optional(Term),
        medium_term: Schema.optional(Term),
        long_term: Schema.optional(Term)
      })
    )
  })
})
export const RecommendationList = Schema.Struct({
  data: Schema.Array(Item),
  meta: Schema.Struct({ count: Schema.Number })
})
export type RecommendationList = typeof RecommendationList.Type

const TERMS = [
  ["short_term", "short"],
  ["medium_term", "medium"],
  ["long_term", "long"]
] as const

const show = (value: typeof Amount.Type | undefined) =>
  value?.amount === undefined ? "-" : `${value.amount}${value.format ?? ""}`

const HEADER = [
  "CLUSTER",
  "NAMESPACE",
  "WORKLOAD",
  "CONTAINER",
  "TERM",
  "CPU NOW",
  "CPU COST",
  "CPU PERF",
  "MEM NOW",
  "MEM COST",
  "MEM PERF"
]

/** Rows of text cells: one per container and term that has engines. */
export const tableRows = (list: RecommendationList): ReadonlyArray<ReadonlyArray<string>> =>
  list.data.flatMap((item) =>
    TERMS.flatMap(([key, label]) => {
      const engines = item.recommendations.recommendation_terms?.[key]?.recommendation_engines
      if (engines === undefined) return []
      const now = item.recommendations.current?.requests
      const cost = engines.cost?.config?.requests
      const perf = engines.performance?.config?.requests
      return [
        [
          item.cluster_alias,
          item.project,
          item.workload,
          item.container,
          label,
          show(now?.cpu),
          show(cost?.cpu),
          show(perf?.cpu),
          show(now?.memory),
          show(cost?.memory),
          show(perf?.memory)
        ]
      ]
    })
  )

/** Left-aligned columns two spaces apart. */
export const formatTable = (rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const all = [HEADER, ...rows]
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)))
  return all
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd()
    )
    .join("\n")
}

/** The org's container recommendations in millicores and MiB. */
export const fetchRecommendations = (apiUrl: string, identity: string) =>
  Effect.gen(function* () {
    const client = (yield* HttpClient.HttpClient).pipe(HttpClient.filterStatusOk)
    return yield* client
      .execute(
        HttpClientRequest.get(`${apiUrl}/api/cost-management/v1/recommendations/openshift/container`).pipe(
          HttpClientRequest.setUrlParams({
            limit: "-1",
            "cpu-unit": "millicores",
            "memory-unit": "MiB",
            order_by: "project"
          }),
          HttpClientRequest.setHeader("x-rh-identity", identity)
        )
      )
      .pipe(Effect.flatMap(HttpClientResponse.schemaBodyJson(RecommendationList)), Effect.scoped)
  })
