/**
 * Deterministic test layers: the `ros` database's repositories the actors use (WorkloadRepo, UploadProgress,
 * UploadStatusRepo, RecommendationRepo), in memory, for unit tests of actor logic. They keep what the actors'
 * idempotency relies on (workloads are upserted, keyed here by experiment name, and one call may not name an
 * experiment twice, as one PostgreSQL statement may not update a row twice; a metric row already stored under the
 * table's unique key is left alone) and record every call in the shared journal; the SQL itself is tested against
 * PostgreSQL in test/integration. `MemoryRos` reads the state back, seeds workloads and scripts SQL failures.
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
  readonly orgId: string
}

/** The calls `failNext` can make fail: the WorkloadRepo's, and the UploadProgress writes. */
export type SqlOperation =
  | "upsertCluster"
  | "upsertWorkloads"
  | "insertMetrics"
  | "expectExperiments"
  | "experimentDone"
  | "recommendationDone"
  | "fileDone"

export interface MemoryRosService {
  readonly clusters: ReadonlyArray<ClusterIdentity & { readonly id: number }>
  /** keyed by experiment name */
  readonly workloads: ReadonlyMap<string, StoredWorkload>
  /** one row per (org, workload, container, interval start and end), as the table's unique key keeps them */
  readonly metrics: ReadonlyArray<StoredMetric>
  readonly expected: ReadonlyArray<ExpectedExperiments>
  readonly files: ReadonlyArray<FileDone>
  readonly experimentsDone: ReadonlyArray<ExperimentDone>
  readonly recommendationsDone: ReadonlyArray<RecommendationDone>
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
  /**
   * The next `times` calls of `operation` fail with a SqlError (journaled with `failedWith: "SqlError"`); with
   * `when`, only calls whose argument (the row, batch or progress record passed) it accepts fail and count.
   */
  readonly failNext: (
    operation: SqlOperation,
    times?: number,
    when?: (argument: unknown) => boolean
  ) => Effect.Effect<void>
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
  const failures = new Map<SqlOperation, { left: number; readonly when: (argument: unknown) => boolean }>()
  let nextWorkloadId = 1
  let expectHook: (expected: ExpectedExperiments) => Effect.Effect<void> = () => Effect.void

  /** Journals the call, and fails it when a failure of `operation` is scripted for its argument. */
  const sqlCall = (
    operation: SqlOperation,
    subject: string,
    argument: unknown,
    service: "workloads" | "progress" = "workloads"
  ) =>
    Effect.suspend(() => {
      const failure = failures.get(operation)
      if (failure === undefined || failure.left === 0 || !failure.when(argument)) {
        return journal.record({ service, op: operation, subject })
      }
      failure.left -= 1
      return journal
        .record({ service, op: operation, subject, failedWith: "SqlError" })
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
      sqlCall("upsertCluster", `${c.orgId}/${c.clusterUuid}`, c).pipe(
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
    // One statement per call, whose subject is the experiment names of the batch.
    upsertWorkloads: (rows) =>
      Effect.suspend(() => {
        const subject = rows.map((w) => w.experimentName).join(",")
        const repeated = rows.find((w, i) => rows.findIndex((v) => v.experimentName === w.experimentName) !== i)
        if (repeated !== undefined) {
          const message = `ON CONFLICT DO UPDATE command cannot affect row a second time (${repeated.experimentName})`
          return journal
            .record({ service: "workloads", op: "upsertWorkloads", subject, failedWith: "SqlError" })
            .pipe(Effect.zipRight(Effect.fail(new SqlError({ message }))))
        }
        return sqlCall("upsertWorkloads", subject, rows).pipe(
          Effect.zipRight(
            Effect.forEach(rows, (w) => Effect.map(writeWorkload(w), (id) => [w.experimentName, id] as const))
          ),
          Effect.map((ids) => new Map(ids))
        )
      }),
    // Subject: the workload ids the rows belong to.
    insertMetrics: (orgId, rows) =>
      sqlCall("insertMetrics", [...new Set(rows.map((r) => r.workloadId))].join(","), rows).pipe(
        Effect.zipRight(
          Effect.sync(() => {
            for (const row of rows) {
              const key = [
                orgId,
                row.workloadId,
                row.containerName,
                row.intervalStart.toISOString(),
                row.intervalEnd.toISOString()
              ].join("|")
              if (!metrics.has(key)) metrics.set(key, { ...row, orgId })
            }
          })
        )
      )
  })

  const progress = UploadProgress.make({
    expectExperiments: (requestId, filesExpected, names, fileKey = "") =>
      Effect.suspend(() => {
        const call: ExpectedExperiments = { requestId, filesExpected, names: [...names], fileKey }
        return expectHook(call).pipe(
          Effect.zipRight(sqlCall("expectExperiments", names.join(","), call, "progress")),
          Effect.zipRight(Effect.sync(() => void expected.push(call)))
        )
      }),
    fileDone: (file) =>
      sqlCall("fileDone", file.fileKey, file, "progress").pipe(
        Effect.zipRight(Effect.sync(() => void files.push(file)))
      ),
    experimentDone: (e) =>
      sqlCall("experimentDone", e.experimentName, e, "progress").pipe(
        Effect.zipRight(Effect.sync(() => void experimentsDone.push(e)))
      ),
    recommendationDone: (r) =>
      sqlCall("recommendationDone", r.experimentName, r, "progress").pipe(
        Effect.zipRight(Effect.sync(() => void recommendationsDone.push(r)))
      )
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
    failNext: (operation, times = 1, when = () => true) =>
      Effect.sync(() => void failures.set(operation, { left: times, when }))
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
