/**
 * The data the API integration tests read: two orgs whose clusters share an alias and whose projects share names
 * (so isolation is tested on look-alikes), every workload type the filters need, one recommendation from the
 * previous month (the default window leaves it out), one with a single term, and one container without any.
 * Times are relative to the start of the current month (UTC), which is never in the future.
 */
import type { ContainerRecommendation } from "../../../schema/api/ContainerRecommendation.js"
import { startOfMonthUtc } from "../../../src/api/DateWindow.js"
import type { RecommendationShape, SeedOrg, SeedTerm, SeedWorkloadType } from "../../support/rosSeed.js"

export const ORG_A = "1111111"
export const ORG_B = "2222222"
/** An org with no data at all. */
export const ORG_EMPTY = "3333333"

export const UUID_A1 = "aaaaaaaa-0000-4000-8000-000000000001"
export const UUID_A2 = "aaaaaaaa-0000-4000-8000-000000000002"
export const UUID_B1 = "bbbbbbbb-0000-4000-8000-000000000001"

const GIB = 1024 ** 3
const HOUR = 3_600_000

/** The first instant of the current month: the default window starts here. */
export const monthStart = startOfMonthUtc(new Date())
/** One second before it: outside the default window. */
export const lastMonth = new Date(monthStart.getTime() - 1000)

const day = (at: Date) => at.toISOString().slice(0, 10)
export const WHOLE_HISTORY = "start_date=2000-01-01"
export const PREVIOUS_MONTH_ONLY = `start_date=${day(startOfMonthUtc(lastMonth))}&end_date=${day(lastMonth)}`

const shape = (
  cpu: number,
  memoryGib: number,
  costFactor: number,
  endTime: Date,
  terms?: ReadonlyArray<SeedTerm>
): RecommendationShape => ({
  endTime,
  current: { cpuRequest: cpu, cpuLimit: cpu * 2, memoryRequest: memoryGib * GIB, memoryLimit: memoryGib * 2 * GIB },
  cost: { cpu: Math.round(cpu * costFactor * 1000) / 1000, memory: Math.round(memoryGib * costFactor * GIB) },
  performance: { cpu: Math.round(cpu * 1.2 * 1000) / 1000, memory: Math.round(memoryGib * 1.5 * GIB) },
  ...(terms === undefined ? {} : { terms })
})

const workload = (
  namespace: string,
  type: SeedWorkloadType,
  name: string,
  containers: ReadonlyArray<readonly [string, RecommendationShape | undefined]>
) => ({
  namespace,
  type,
  name,
  uploadAt: monthStart,
  containers: containers.map(([container, recommendation]) =>
    recommendation === undefined ? { name: container } : { name: container, recommendation }
  )
})

export const orgs: ReadonlyArray<SeedOrg> = [
  {
    orgId: ORG_A,
    account: "acct-a",
    clusters: [
      {
        sourceId: "10",
        uuid: UUID_A1,
        alias: "alpha-prod",
        lastReportedAt: new Date(monthStart.getTime() + 2 * HOUR),
        workloads: [
          workload("shop", "deployment", "frontend", [
            ["web", shape(1, 1, 0.5, monthStart)],
            ["sidecar", shape(0.25, 0.5, 0.9, monthStart)]
          ]),
          workload("shop", "statefulset", "db", [["postgres", shape(2, 4, 0.3, monthStart)]]),
          workload("billing", "daemonset", "agent", [["agent", shape(0.5, 0.25, 0.6, lastMonth)]])
        ],
        projects: [
          { namespace: "shop", uploadAt: monthStart, recommendation: shape(4, 8, 0.5, monthStart) },
          { namespace: "billing", uploadAt: lastMonth, recommendation: shape(1, 2, 0.7, lastMonth) }
        ]
      },
      {
        sourceId: "11",
        uuid: UUID_A2,
        alias: "beta-dev",
        lastReportedAt: new Date(monthStart.getTime() + HOUR),
        workloads: [
          workload("shop", "deployment", "frontend", [["web", shape(1.5, 2, 0.8, monthStart)]]),
          workload("ops", "replicaset", "cron-x", [["runner", shape(0.75, 1, 0.4, monthStart, ["short_term"])]]),
          workload("ops", "deploymentconfig", "legacy", [["app", undefined]])
        ],
        projects: [{ namespace: "ops", uploadAt: monthStart, recommendation: shape(2, 4, 0.9, monthStart) }]
      }
    ]
  },
  {
    orgId: ORG_B,
    clusters: [
      {
        sourceId: "20",
        uuid: UUID_B1,
        alias: "alpha-prod",
        lastReportedAt: new Date(monthStart.getTime() + 3 * HOUR),
        workloads: [workload("shop", "deployment", "frontend", [["web", shape(3, 8, 0.5, monthStart)]])],
        projects: [{ namespace: "shop", uploadAt: monthStart, recommendation: shape(6, 16, 0.5, monthStart) }]
      }
    ]
  }
]

/** `alias/namespace/workload/container` of a listed item, to compare sets of rows. */
export const nameOf = (item: ContainerRecommendation) =>
  `${item.cluster_alias}/${item.project}/${item.workload}/${item.container}`

export const A1_WEB = "alpha-prod/shop/frontend/web"
export const A1_SIDECAR = "alpha-prod/shop/frontend/sidecar"
export const A1_POSTGRES = "alpha-prod/shop/db/postgres"
export const A1_AGENT = "alpha-prod/billing/agent/agent"
export const A2_WEB = "beta-dev/shop/frontend/web"
export const A2_RUNNER = "beta-dev/ops/cron-x/runner"

/** Org A's container sets in the current month, and all of them. */
export const CURRENT_A = [A1_WEB, A1_SIDECAR, A1_POSTGRES, A2_WEB, A2_RUNNER]
export const ALL_A = [...CURRENT_A, A1_AGENT]
