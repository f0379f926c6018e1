/**
 * Seeds the upstream ROS tables (ros-ocp-backend.md §4.1) with realistic, deterministic data: accounts, clusters,
 * workloads, container recommendation sets and project (namespace) recommendation sets, with recommendations shaped
 * as the poller stores them (§3.9: Kruize's `data[<end>]` object after upstream's Go re-serialisation, so zero
 * amounts and empty strings are omitted and an absent term start is Go's zero time) and the derived columns of §4.2.
 *
 * Used by the API tests, the API benchmark and the web-view tests. Everything is plain data in, ids out:
 * - `recommendationDocument(shape)` builds one stored recommendation;
 * - `fleet(options)` describes many orgs deterministically from a seed;
 * - `seedRos(orgs)` writes them (batched) and returns the ids it created.
 */
import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import type { CpuMemory, RecommendationDocument, TermRecommendation } from "../../schema/api/RecommendationDocument.js"
import { RecommendationData } from "../../schema/ros/UpdateRecommendationsAnswer.js"
import { recommendationColumns } from "../../src/poller/RecommendationColumns.js"

export type SeedTerm = "short_term" | "medium_term" | "long_term"
export type SeedWorkloadType =
  | "daemonset"
  | "deployment"
  | "deploymentconfig"
  | "replicaset"
  | "replicationcontroller"
  | "statefulset"

/** Current settings and what each engine recommends, in cores and bytes; a 0 is omitted as Go omits it. */
export interface RecommendationShape {
  /** The recommendation's `monitoring_end_time` (the last interval of the upload). */
  readonly endTime: Date
  readonly current: {
    readonly cpuRequest: number
    readonly cpuLimit: number
    readonly memoryRequest: number
    readonly memoryLimit: number
  }
  readonly cost: { readonly cpu: number; readonly memory: number }
  readonly performance: { readonly cpu: number; readonly memory: number }
  /** Terms with enough data for engines; the others carry Kruize's 120001 notice only. Default: all three. */
  readonly terms?: ReadonlyArray<SeedTerm>
  /** Extra engine notifications of every term, e.g. `{"323004": ...}` (optimised) or `{"323001": ...}`. */
  readonly engineNotices?: ReadonlyArray<number>
  /** Box plots in every term (the detail endpoints show them). Default true. */
  readonly plots?: boolean
}

const TERM_HOURS: Record<SeedTerm, number> = { short_term: 24, medium_term: 168, long_term: 360 }
const TERM_SHORT_CODE: Record<SeedTerm, number> = { short_term: 111101, medium_term: 111102, long_term: 111103 }
const TERM_NAMES: Record<SeedTerm, string> = { short_term: "Short", medium_term: "Medium", long_term: "Long" }
const ALL_TERMS: ReadonlyArray<SeedTerm> = ["short_term", "medium_term", "long_term"]

const NOTICE_TEXT: Record<number, { type: string; message: string }> = {
  120001: { type: "info", message: "There is not enough data available to generate a recommendation." },
  323001: { type: "notice", message: "CPU Usage is less than a millicore, No CPU Recommendations can be generated" },
  323004: { type: "notice", message: "Workload is optimised wrt CPU REQUESTS, no changes needed" },
  323005: { type: "notice", message: "Workload is optimised wrt CPU LIMITS, no changes needed" },
  324003: { type: "notice", message: "Workload is optimised wrt MEMORY REQUESTS, no changes needed" },
  324004: { type: "notice", message: "Workload is optimised wrt MEMORY LIMITS, no changes needed" }
}

const notice = (code: number) => {
  const text = NOTICE_TEXT[code] ?? { type: "info", message: `notice ${code}` }
  return { type: text.type, message: text.message, code }
}

/** Go's RFC3339Nano of a whole-second-or-ms UTC time: `2023-06-03T00:45:00Z`. */
export const goTime = (at: Date): string => at.toISOString().replace(/\.000Z$/, "Z")

/** `{amount, format}` with Go's omitempty: a zero amount is left out, the format stays. */
const quantity = (amount: number, format: string) => (amount === 0 ? { format } : { amount, format })

const cpuMemory = (cpu: number, memory: number): CpuMemory => ({
  cpu: quantity(cpu, "cores"),
  memory: quantity(memory, "bytes")
})

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits

/** One stored recommendation (§3.9), as the poller writes it into `recommendation_sets.recommendations`. */
export const recommendationDocument = (shape: RecommendationShape): RecommendationDocument => {
  const { current, cost, performance } = shape
  const terms = shape.terms ?? ALL_TERMS
  const end = shape.endTime
  const plots = shape.plots ?? true
  const engine = (recommended: { readonly cpu: number; readonly memory: number }) => ({
    config: {
      limits: cpuMemory(recommended.cpu, recommended.memory),
      requests: cpuMemory(recommended.cpu, recommended.memory)
    },
    variation: {
      limits: cpuMemory(round(recommended.cpu - current.cpuLimit, 12), recommended.memory - current.memoryLimit),
      requests: cpuMemory(round(recommended.cpu - current.cpuRequest, 12), recommended.memory - current.memoryRequest)
    },
    notifications: Object.fromEntries((shape.engineNotices ?? []).map((code) => [String(code), notice(code)]))
  })
  const termOf = (term: SeedTerm): TermRecommendation => {
    const hours = TERM_HOURS[term]
    if (!terms.includes(term)) {
      return {
        duration_in_hours: round(hours * 0.4, 2),
        notifications: { "120001": notice(120001) },
        monitoring_start_time: "0001-01-01T00:00:00Z"
      }
    }
    const start = new Date(end.getTime() - hours * 3_600_000)
    const points = 4
    const step = (hours * 3_600_000) / points
    return {
      duration_in_hours: hours,
      notifications: {
        "112101": { type: "info", message: "Cost Recommendations Available", code: 112101 },
        "112102": { type: "info", message: "Performance Recommendations Available", code: 112102 }
      },
      monitoring_start_time: goTime(start),
      recommendation_engines: { cost: engine(cost), performance: engine(performance) },
      ...(plots
        ? {
            plots: {
              datapoints: points,
              plots_data: Object.fromEntries(
                Array.from({ length: points }, (_, i) => {
                  const at = goTime(new Date(start.getTime() + step * (i + 1)))
                  const f = 0.6 + 0.1 * i
                  return [
                    at,
                    {
                      cpuUsage: {
                        min: round(cost.cpu * f * 0.2, 4),
                        q1: round(cost.cpu * f * 0.6, 4),
                        median: round(cost.cpu * f * 0.8, 4),
                        q3: round(cost.cpu * f, 4),
                        max: round(performance.cpu * f, 4),
                        format: "cores"
                      },
                      memoryUsage: {
                        min: Math.round(cost.memory * f * 0.5),
                        q1: Math.round(cost.memory * f * 0.7),
                        median: Math.round(cost.memory * f * 0.8),
                        q3: Math.round(cost.memory * f * 0.9),
                        max: Math.round(cost.memory * f),
                        format: "bytes"
                      }
                    }
                  ]
                })
              )
            }
          }
        : {})
    }
  }
  const available = ALL_TERMS.filter((term) => terms.includes(term))
  return {
    ...(available.length === 0
      ? {}
      : {
          notifications: Object.fromEntries(
            available.map((t) => [
              String(TERM_SHORT_CODE[t]),
              {
                type: "info",
                message: `${TERM_NAMES[t]} Term Recommendations Available`,
                code: TERM_SHORT_CODE[t]
              }
            ])
          )
        }),
    monitoring_end_time: goTime(end),
    current: {
      limits: cpuMemory(current.cpuLimit, current.memoryLimit),
      requests: cpuMemory(current.cpuRequest, current.memoryRequest)
    },
    recommendation_terms: Object.fromEntries(ALL_TERMS.map((term) => [term, termOf(term)]))
  }
}

export interface SeedContainer {
  readonly name: string
  /** The container's stored recommendation; none = a container without recommendation yet. */
  readonly recommendation?: RecommendationShape
}

export interface SeedWorkload {
  readonly namespace: string
  readonly type: SeedWorkloadType
  readonly name: string
  /** `workloads.metrics_upload_at`: the last interval end of its latest upload. */
  readonly uploadAt: Date
  readonly containers: ReadonlyArray<SeedContainer>
}

export interface SeedProject {
  readonly namespace: string
  readonly uploadAt: Date
  readonly recommendation: RecommendationShape
}

export interface SeedCluster {
  readonly sourceId: string
  readonly uuid: string
  readonly alias: string
  readonly lastReportedAt: Date
  readonly workloads: ReadonlyArray<SeedWorkload>
  readonly projects?: ReadonlyArray<SeedProject>
}

export interface SeedOrg {
  readonly orgId: string
  readonly account?: string
  readonly clusters: ReadonlyArray<SeedCluster>
}

/** Ids created by `seedRos`, keyed `org/alias/namespace/workload/container` and `org/alias/namespace`. */
export interface SeededIds {
  readonly containers: ReadonlyMap<string, string>
  readonly projects: ReadonlyMap<string, string>
}

export const containerKey = (orgId: string, alias: string, namespace: string, workload: string, container: string) =>
  `${orgId}/${alias}/${namespace}/${workload}/${container}`

export const projectKey = (orgId: string, alias: string, namespace: string) => `${orgId}/${alias}/${namespace}`

const BATCH = 500

const chunks = <A>(items: ReadonlyArray<A>): Array<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH))

const startOf = (doc: RecommendationDocument, end: Date): string => {
  const start = doc.recommendation_terms?.short_term?.monitoring_start_time
  return start === undefined || start.startsWith("0001-") ? new Date(end.getTime() - 86_400_000).toISOString() : start
}

/** The columns the poller stores beside a recommendation, by the poller's own rules (what the API reads back). */
export const numericColumns = (doc: RecommendationDocument) =>
  recommendationColumns(Schema.decodeUnknownSync(RecommendationData)(doc))

/** Writes `orgs` into the `ros` database of the current SqlClient; returns the recommendation ids it created. */
export const seedRos = (orgs: ReadonlyArray<SeedOrg>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const containerIds = new Map<string, string>()
    const projectIds = new Map<string, string>()
    for (const org of orgs) {
      const [account] = yield* sql<{ id: string }>`
        INSERT INTO rh_accounts (org_id, account) VALUES (${org.orgId}, ${org.account ?? null})
        ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id RETURNING id::text AS id`
      for (const cluster of org.clusters) {
        const [clusterRow] = yield* sql<{ id: string }>`
          INSERT INTO clusters (tenant_id, source_id, cluster_uuid, cluster_alias, last_reported_at)
          VALUES (${account?.id ?? ""}, ${cluster.sourceId}, ${cluster.uuid}, ${cluster.alias}, ${cluster.lastReportedAt})
          ON CONFLICT (tenant_id, source_id, cluster_uuid, cluster_alias)
            DO UPDATE SET last_reported_at = EXCLUDED.last_reported_at
          RETURNING id::text AS id`
        const clusterId = clusterRow?.id ?? ""
        const experiment = (namespace: string, type: string, name: string) =>
          `${org.orgId}|${cluster.sourceId}|${cluster.uuid}|${namespace}|${type}|${name}`

        for (const batch of chunks(cluster.workloads)) {
          const rows = yield* sql<{ id: string; experiment_name: string }>`
            INSERT INTO workloads ${sql.insert(
              batch.map((w) => ({
                org_id: org.orgId,
                cluster_id: clusterId,
                experiment_name: experiment(w.namespace, w.type, w.name),
                namespace: w.namespace,
                workload_type: w.type,
                workload_name: w.name,
                containers: w.containers.map((c) => c.name),
                metrics_upload_at: w.uploadAt
              }))
            )}
            ON CONFLICT (org_id, cluster_id, experiment_name)
              DO UPDATE SET containers = EXCLUDED.containers, metrics_upload_at = EXCLUDED.metrics_upload_at
            RETURNING id::text AS id, experiment_name`
          const idOf = new Map(rows.map((r) => [r.experiment_name, r.id]))
          const sets = batch.flatMap((w) =>
            w.containers.flatMap((c) => {
              if (c.recommendation === undefined) return []
              const doc = recommendationDocument(c.recommendation)
              return [
                {
                  key: containerKey(org.orgId, cluster.alias, w.namespace, w.name, c.name),
                  row: {
                    workload_id: idOf.get(experiment(w.namespace, w.type, w.name)) ?? "",
                    container_name: c.name,
                    monitoring_start_time: startOf(doc, c.recommendation.endTime),
                    monitoring_end_time: c.recommendation.endTime,
                    recommendations: JSON.stringify(doc),
                    updated_at: c.recommendation.endTime,
                    ...numericColumns(doc)
                  }
                }
              ]
            })
          )
          if (sets.length === 0) continue
          const inserted = yield* sql<{ id: string; workload_id: string; container_name: string }>`
            INSERT INTO recommendation_sets ${sql.insert(sets.map((s) => s.row))}
            ON CONFLICT (workload_id, container_name) DO UPDATE SET recommendations = EXCLUDED.recommendations
            RETURNING id::text AS id, workload_id::text AS workload_id, container_name`
          const byWorkloadContainer = new Map(inserted.map((r) => [`${r.workload_id}/${r.container_name}`, r.id]))
          for (const s of sets) {
            const id = byWorkloadContainer.get(`${s.row.workload_id}/${s.row.container_name}`)
            if (id !== undefined) containerIds.set(s.key, id)
          }
        }

        for (const project of cluster.projects ?? []) {
          const [workload] = yield* sql<{ id: string }>`
            INSERT INTO workloads ${sql.insert({
              org_id: org.orgId,
              cluster_id: clusterId,
              experiment_name: `${org.orgId}|${cluster.sourceId}|${cluster.uuid}|${project.namespace}|ns`,
              namespace: project.namespace,
              workload_type: "namespace",
              metrics_upload_at: project.uploadAt
            })}
            ON CONFLICT (org_id, cluster_id, experiment_name) DO UPDATE SET metrics_upload_at = EXCLUDED.metrics_upload_at
            RETURNING id::text AS id`
          const doc = recommendationDocument(project.recommendation)
          const [set] = yield* sql<{ id: string }>`
            INSERT INTO namespace_recommendation_sets ${sql.insert({
              org_id: org.orgId,
              workload_id: workload?.id ?? "",
              namespace_name: project.namespace,
              monitoring_start_time: startOf(doc, project.recommendation.endTime),
              monitoring_end_time: project.recommendation.endTime,
              recommendations: JSON.stringify(doc),
              updated_at: project.recommendation.endTime,
              ...numericColumns(doc)
            })}
            ON CONFLICT (workload_id) DO UPDATE SET recommendations = EXCLUDED.recommendations
            RETURNING id::text AS id`
          if (set !== undefined) projectIds.set(projectKey(org.orgId, cluster.alias, project.namespace), set.id)
        }
      }
    }
    return { containers: containerIds, projects: projectIds } satisfies SeededIds
  })

/** mulberry32: a small deterministic generator, so a fleet is the same on every run. */
const random = (seed: number) => {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface FleetOptions {
  readonly orgIds: ReadonlyArray<string>
  readonly clustersPerOrg: number
  readonly namespacesPerCluster: number
  readonly workloadsPerNamespace: number
  readonly containersPerWorkload: number
  /** Recommendations end between `endTime` minus `spreadHours` and `endTime`. */
  readonly endTime: Date
  readonly spreadHours?: number
  readonly seed?: number
  /** Every container gets all three terms (six CSV rows each); otherwise about one in five lacks some. */
  readonly allTerms?: boolean
}

const TYPES: ReadonlyArray<SeedWorkloadType> = [
  "deployment",
  "deployment",
  "statefulset",
  "daemonset",
  "replicaset",
  "deploymentconfig",
  "replicationcontroller"
]

const GIB = 1024 * 1024 * 1024

/** A deterministic fleet: every container has a recommendation; each cluster also has project recommendations. */
export const fleet = (options: FleetOptions): Array<SeedOrg> => {
  const next = random(options.seed ?? 42)
  const spread = (options.spreadHours ?? 0) * 3_600_000
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 16).toString(16)).join("")
  return options.orgIds.map((orgId) => ({
    orgId,
    clusters: Array.from({ length: options.clustersPerOrg }, (_, c) => {
      const lastReportedAt = new Date(options.endTime.getTime() - Math.floor(next() * spread))
      const namespaces = Array.from({ length: options.namespacesPerCluster }, (_, n) => `project-${c}-${n}`)
      return {
        sourceId: `source-${orgId}-${c}`,
        uuid: `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`,
        alias: `cluster-${orgId}-${c}`,
        lastReportedAt,
        workloads: namespaces.flatMap((namespace) =>
          Array.from({ length: options.workloadsPerNamespace }, (_, w) => {
            const type = TYPES[Math.floor(next() * TYPES.length)] ?? "deployment"
            const uploadAt = new Date(lastReportedAt.getTime() - Math.floor(next() * 3_600_000))
            return {
              namespace,
              type,
              name: `app-${w}`,
              uploadAt,
              containers: Array.from({ length: options.containersPerWorkload }, (_, k) => {
                const cpuRequest = round(0.1 + next() * 3.9, 3)
                const memoryRequest = Math.round((0.25 + next() * 7.75) * 4) * (GIB / 4)
                return {
                  name: `container-${k}`,
                  recommendation: {
                    endTime: new Date(uploadAt.getTime() - Math.floor(next() * spread)),
                    current: {
                      cpuRequest,
                      cpuLimit: round(cpuRequest * 2, 3),
                      memoryRequest,
                      memoryLimit: memoryRequest * 2
                    },
                    cost: {
                      cpu: round(cpuRequest * (0.2 + next() * 0.8), 3),
                      memory: Math.round(memoryRequest * (0.3 + next() * 0.7))
                    },
                    performance: {
                      cpu: round(cpuRequest * (0.5 + next()), 3),
                      memory: Math.round(memoryRequest * (0.6 + next() * 0.8))
                    },
                    terms:
                      options.allTerms === true || next() < 0.8
                        ? ALL_TERMS
                        : next() < 0.5
                          ? ["short_term", "medium_term"]
                          : ["short_term"]
                  } satisfies RecommendationShape
                }
              })
            } satisfies SeedWorkload
          })
        ),
        projects: namespaces.map((namespace) => ({
          namespace,
          uploadAt: lastReportedAt,
          recommendation: {
            endTime: lastReportedAt,
            current: { cpuRequest: 2, cpuLimit: 4, memoryRequest: 4 * GIB, memoryLimit: 8 * GIB },
            cost: { cpu: round(0.5 + next(), 3), memory: Math.round(GIB * (1 + next() * 2)) },
            performance: { cpu: round(1 + next() * 2, 3), memory: Math.round(GIB * (2 + next() * 3)) }
          }
        }))
      } satisfies SeedCluster
    })
  }))
}
