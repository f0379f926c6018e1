/**
 * Deterministic test layers: the `ros` database's repositories the actors use (WorkloadRepo, UploadProgress,
 * UploadStatusRepo, RecommendationRepo), in memory, for unit tests of actor logic. They keep what the actors'
 * idempotency relies on (a workload is upserted, keyed here by experiment name; a metric row already stored is
 * left alone) and record every call; the SQL itself is tested against PostgreSQL in test/integration.
 * `MemoryRos` reads the state back, seeds workloads and scripts SQL failures.
 */
import { SqlError } from "@effect/sql/SqlError"
import { Context, Effect, Layer, Option } from "effect"
import {
  type ContainerRecommendations,
  type NamespaceRecommendations,
  type RecommendationKind,
  RecommendationRepo,
  RecommendationWorkloadGone
} from "../../src/poller/RecommendationRepo.js"
import {
  type ClusterIdentity,
  type MetricRow,
  WorkloadRepo,
  type WorkloadRow
} from "../../src/processor/WorkloadRepo.js"
import { UploadProgress } from "../../src/uploads/UploadProgress.js"
import { type StageReport, UploadStatusRepo } from "../../src/uploads/UploadStatusRepo.js"
import { MemoryJournal } from "./memoryJournal.js"

export type FileDone = Parameters<UploadProgress["fileDone"]>[0]
export type ExperimentDone = Parameters<UploadProgress["experimentDone"]>[0]
export type RecommendationDone = Parameters<UploadProgress["recommendationDone"]>[0]

export interface ExpectedExperiments {
  readonly requestId: string
  readonly filesExpected: number
  readonly names: ReadonlyArray<string>
  readonly fileKey: string
}

export interface StoredWorkload {
  readonly id: number
  readonly row: WorkloadRow
  /** how many times it was written (1 = created once, never updated) */
  readonly writes: number
}

export interface StoredMetric extends MetricRow {
  readonly workloadId: number
  readonly kind: "container" | "namespace"
}

export type SqlOperation = "upsertCluster" | "upsertWorkload" | "insertMetrics"

export interface MemoryRosService {
  readonly clusters: ReadonlyArray<ClusterIdentity & { readonly id: number }>
  /** keyed by experiment name */
  readonly workloads: ReadonlyMap<string, StoredWorkload>
  /** one row per (workload, container, interval end), as the table's unique key keeps them */
  readonly metrics: ReadonlyArray<StoredMetric>
  readonly expected: ReadonlyArray<ExpectedExperiments>
  readonly files: ReadonlyArray<FileDone>
  readonly experimentsDone: ReadonlyArray<ExperimentDone>
  readonly recommendationsDone: ReadonlyArray<RecommendationDone>
  /** shares (experiment, file) of the upload registered and not yet settled, as `pendingResults` counts them */
  readonly pending: (requestId: string) => number
  readonly reports: ReadonlyArray<StageReport>
  readonly storedContainer: ReadonlyArray<ContainerRecommendations>
  readonly storedNamespace: ReadonlyArray<NamespaceRecommendations>
  /** a workload as the processor would have written it; returns its id */
  readonly seedWorkload: (row: WorkloadRow) => Effect.Effect<number>
  /** the housekeeper deleted the workload */
  readonly deleteWorkload: (experimentName: string) => Effect.Effect<void>
  /** the `monitoring_end_time` of the recommendation stored for the workload */
  readonly setRecommendationEnd: (workloadId: number, kind: RecommendationKind, end: Date) => Effect.Effect<void>
  /** runs `hook` at the start of every expectExperiments call (to look at the world at that moment) */
  readonly onExpectExperiments: (hook: (expected: ExpectedExperiments) => Effect.Effect<void>) => Effect.Effect<void>
  /** the next `times` calls of `operation` fail with a SqlError */
  readonly failNext: (operation: SqlOperation, times?: number) => Effect.Effect<void>
}

export class MemoryRos extends Context.Tag("test/MemoryRos")<MemoryRos, MemoryRosService>() {}

const make = Effect.gen(function* () {
  const journal = yield* MemoryJournal
  const clusters: Array<ClusterIdentity & { readonly id: number }> = []
  const workloads = new Map<string, StoredWorkload>()
  const metrics = new Map<string, StoredMetric>()
  const expected: Array<ExpectedExperiments> = []
  const files: Array<FileDone> = []
  const experimentsDone: Array<ExperimentDone> = []
  const recommendationsDone: Array<RecommendationDone> = []
  const reports: Array<StageReport> = []
  const storedContainer: Array<ContainerRecommendations> = []
  const storedNamespace: Array<NamespaceRecommendations> = []
  const recommendationEnds = new Map<string, Date>()
  const failures = new Map<SqlOperation, number>()
  let nextWorkloadId = 1
  let expectHook: (expected: ExpectedExperiments) => Effect.Effect<void> = () => Effect.void

  const sqlCall = (operation: SqlOperation, subject: string) =>
    Effect.suspend(() => {
      const left = failures.get(operation) ?? 0
      if (left === 0) return journal.record({ service: "workloads", op: operation, subject })
      failures.set(operation, left - 1)
      return journal
        .record({ service: "workloads", op: operation, subject, failedWith: "SqlError" })
        .pipe(Effect.zipRight(Effect.fail(new SqlError({ message: `injected failure of ${operation}` }))))
    })

  const writeWorkload = (row: WorkloadRow) =>
    Effect.sync(() => {
      const existing = workloads.get(row.experimentName)
      const stored: StoredWorkload = {
        id: existing?.id ?? nextWorkloadId++,
        row,
        writes: (existing?.writes ?? 0) + 1
      }
      workloads.set(row.experimentName, stored)
      return stored.id
    })

  const workloadById = (id: number) => [...workloads.values()].find((w) => w.id === id)

  const workloadRepo = WorkloadRepo.make({
    upsertCluster: (c) =>
      sqlCall("upsertCluster", `${c.orgId}/${c.clusterUuid}`).pipe(
        Effect.zipRight(
          Effect.sync(() => {
            const existing = clusters.find(
              (k) =>
                k.orgId === c.orgId &&
                k.sourceId === c.sourceId &&
                k.clusterUuid === c.clusterUuid &&
                k.clusterAlias === c.clusterAlias
            )
            if (existing !== undefined) return existing.id
            const id = clusters.length + 1
            clusters.push({ ...c, id })
            return id
          })
        )
      ),
    upsertWorkload: (w) => sqlCall("upsertWorkload", w.experimentName).pipe(Effect.zipRight(writeWorkload(w))),
    insertMetrics: (_orgId, workloadId, kind, _namespace, rows) =>
      sqlCall("insertMetrics", String(workloadId)).pipe(
        Effect.zipRight(
          Effect.sync(() => {
            for (const row of rows) {
              const key = `${workloadId}|${row.containerName}|${row.intervalEnd.toISOString()}`
              if (!metrics.has(key)) metrics.set(key, { ...row, workloadId, kind })
            }
          })
        )
      )
  })

  /** Shares (experiment, file) registered for the upload and not yet settled. */
  const pendingOf = (requestId: string) => {
    const settled = new Set(
      experimentsDone.filter((e) => e.requestId === requestId).map((e) => `${e.experimentName}|${e.fileKey ?? ""}`)
    )
    const registered = new Set(
      expected.filter((e) => e.requestId === requestId).flatMap((e) => e.names.map((n) => `${n}|${e.fileKey}`))
    )
    let pending = 0
    for (const share of registered) if (!settled.has(share)) pending++
    return pending
  }

  const progress = UploadProgress.make({
    expectExperiments: (requestId, filesExpected, names, fileKey = "") =>
      Effect.suspend(() => {
        const call: ExpectedExperiments = { requestId, filesExpected, names: [...names], fileKey }
        return expectHook(call).pipe(
          Effect.zipRight(journal.record({ service: "progress", op: "expectExperiments", subject: names.join(",") })),
          Effect.zipRight(Effect.sync(() => void expected.push(call)))
        )
      }),
    fileDone: (file) =>
      journal
        .record({ service: "progress", op: "fileDone", subject: file.fileKey })
        .pipe(Effect.zipRight(Effect.sync(() => void files.push(file)))),
    experimentDone: (e) =>
      journal
        .record({ service: "progress", op: "experimentDone", subject: e.experimentName })
        .pipe(Effect.zipRight(Effect.sync(() => void experimentsDone.push(e)))),
    recommendationDone: (r) =>
      journal
        .record({ service: "progress", op: "recommendationDone", subject: r.experimentName })
        .pipe(Effect.zipRight(Effect.sync(() => void recommendationsDone.push(r)))),
    pendingResults: (requestId, atMost) => Effect.sync(() => Math.min(atMost, pendingOf(requestId)))
  })

  const status = UploadStatusRepo.make({
    received: (upload) => journal.record({ service: "status", op: "received", subject: upload.requestId }),
    report: (r) =>
      journal
        .record({ service: "status", op: "report", subject: r.requestId })
        .pipe(Effect.zipRight(Effect.sync(() => void reports.push(r)))),
    track: () => Effect.succeed(Option.none()),
    recent: () => Effect.succeed([])
  })

  const recommendations = RecommendationRepo.make({
    workloadState: (workloadId, kind) =>
      journal
        .record({ service: "recommendations", op: "workloadState", subject: String(workloadId) })
        .pipe(
          Effect.zipRight(
            Effect.sync(() =>
              workloadById(workloadId) === undefined
                ? Option.none()
                : Option.some(Option.fromNullable(recommendationEnds.get(`${workloadId}|${kind}`)))
            )
          )
        ),
    storeContainer: (input) =>
      journal.record({ service: "recommendations", op: "storeContainer", subject: String(input.workloadId) }).pipe(
        Effect.zipRight(
          Effect.suspend(() => {
            if (workloadById(input.workloadId) === undefined) {
              return Effect.fail(new RecommendationWorkloadGone({ workloadId: input.workloadId }))
            }
            storedContainer.push(input)
            const ends = input.containers.flatMap((c) => c.entries.map((e) => Date.parse(e.monitoringEndTime)))
            if (ends.length > 0) recommendationEnds.set(`${input.workloadId}|container`, new Date(Math.max(...ends)))
            return Effect.succeed({ stored: ends.length, missingPartitions: 0 })
          })
        )
      ),
    storeNamespace: (input) =>
      journal.record({ service: "recommendations", op: "storeNamespace", subject: String(input.workloadId) }).pipe(
        Effect.zipRight(
          Effect.suspend(() => {
            if (workloadById(input.workloadId) === undefined) {
              return Effect.fail(new RecommendationWorkloadGone({ workloadId: input.workloadId }))
            }
            storedNamespace.push(input)
            const ends = input.entries.map((e) => Date.parse(e.monitoringEndTime))
            if (ends.length > 0) recommendationEnds.set(`${input.workloadId}|namespace`, new Date(Math.max(...ends)))
            return Effect.succeed({ stored: ends.length, missingPartitions: 0 })
          })
        )
      )
  })

  const control: MemoryRosService = {
    clusters,
    workloads,
    get metrics() {
      return [...metrics.values()]
    },
    expected,
    files,
    experimentsDone,
    recommendationsDone,
    pending: pendingOf,
    reports,
    storedContainer,
    storedNamespace,
    seedWorkload: writeWorkload,
    deleteWorkload: (experimentName) => Effect.sync(() => void workloads.delete(experimentName)),
    setRecommendationEnd: (workloadId, kind, end) =>
      Effect.sync(() => void recommendationEnds.set(`${workloadId}|${kind}`, end)),
    onExpectExperiments: (hook) =>
      Effect.sync(() => {
        expectHook = hook
      }),
    failNext: (operation, times = 1) => Effect.sync(() => void failures.set(operation, times))
  }

  return Context.make(WorkloadRepo, workloadRepo).pipe(
    Context.add(UploadProgress, progress),
    Context.add(UploadStatusRepo, status),
    Context.add(RecommendationRepo, recommendations),
    Context.add(MemoryRos, control)
  )
})

/** The four repositories in memory, with their `MemoryRos` control; needs the shared `MemoryJournal`. */
export const layerMemoryRos: Layer.Layer<
  WorkloadRepo | UploadProgress | UploadStatusRepo | RecommendationRepo | MemoryRos,
  never,
  MemoryJournal
> = Layer.effectContext(make)
