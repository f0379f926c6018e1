/**
 * The ClusterIngest entity on the in-memory cluster: a usage CSV is downloaded (from memory), read, its cluster
 * recorded, then, a batch of 100 experiments at a time, their workloads and usage rows stored and the experiments
 * registered in the upload progress before they are handed to their Experiment entities; the file is recorded
 * ingested once all of it is stored, and the IngestFile message answered only once every hand-off was answered
 * (the stored batches run ahead of the hand-offs by a bounded amount); a hand-off whose outcome could not be
 * recorded is handed on again, and recorded as not sent after ENGINE_RETRY_FOR; bad files are refused with a reason a user can read while the message's other files go on; files
 * of one cluster are ingested one at a time, in order; a repeated message is answered from storage, and a
 * redelivered one (or a database failure) ingests the file again without duplicating anything. AddResults is
 * volatile, so the hand-offs are observed through their effects: the in-memory engine, the in-memory database
 * state and the order of the calls in the shared journal.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Metric, Schema, TestClock } from "effect"
import { ClusterIngest, clusterIngestId, type IngestFilePayload } from "../../../actors/ClusterIngest.js"
import { filesIngested } from "../../../actors/ClusterIngestLive.js"
import { RecommendationMessageJson } from "../../../schema/ros/RecommendationMessage.js"
import { containerColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { fileKeyOf } from "../../../src/processor/UsageFileDownload.js"
import { EngineUnavailable } from "../../../src/services/EngineClient.js"
import { MemoryEngine } from "../../support/memoryEngine.js"
import { MemoryFiles } from "../../support/memoryFiles.js"
import { type JournalEntry, MemoryJournal } from "../../support/memoryJournal.js"
import { MemoryKafka } from "../../support/memoryKafka.js"
import { type ExperimentDone, MemoryRos, type SqlOperation } from "../../support/memoryRos.js"
import {
  containerCsv,
  containerRow,
  interval,
  namespaceCsv,
  namespaceRow,
  scope
} from "../processor/UsageCsvFixtures.js"
import { advance, drive, elapsedSeconds, redeliver, settle, storedRequests, withActors } from "./ActorHarness.js"

const REQUEST = "2b7e6a1c8f2d4c55"
const unavailable = new EngineUnavailable({ operation: "createExperiment", message: "HTTP 503: engine restarting" })
const SIGNATURE = "X-Amz-Signature=5ecret5ignature"

/** A presigned URL of the ros-data bucket. */
const urlOf = (name: string) =>
  `http://127.0.0.1:9000/ros-data/${scope.orgId}/${scope.clusterUuid}/${name}?X-Amz-Algorithm=AWS4-HMAC-SHA256&${SIGNATURE}`

const fileOf = (name: string, fileCount = 1, requestId = REQUEST): IngestFilePayload => ({
  requestId,
  fileKey: fileKeyOf(urlOf(name)),
  url: urlOf(name),
  fileCount,
  orgId: scope.orgId,
  sourceId: scope.sourceId,
  clusterUuid: scope.clusterUuid,
  clusterAlias: "prod-east"
})

const experimentName = (workload: string) =>
  `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}|shop|deployment|${workload}`

/** `count` workload names w000, w001… */
const workloadNames = (count: number) => Array.from({ length: count }, (_, i) => `w${String(i).padStart(3, "0")}`)

/** `intervals` rows of each workload. */
const workloadsCsv = (workloads: ReadonlyArray<string>, intervals = 2) =>
  containerCsv(
    workloads.flatMap((workload) =>
      Array.from({ length: intervals }, (_, i) =>
        containerRow({ ...interval(i), workload, owner_name: `${workload}-7d9f`, pod: `${workload}-7d9f-1` })
      )
    )
  )

/** The end of the i-th interval of the fixtures (`interval(i)`: 15 minutes each from 2023-06-02 00:00 UTC). */
const intervalEnd = (i: number) => new Date(Date.UTC(2023, 5, 2, 0, 15 * (i + 1)))

const ingest = (file: IngestFilePayload) =>
  Effect.flatMap(ClusterIngest.client, (client) =>
    drive(client(clusterIngestId(file.orgId, file.clusterUuid)).IngestFile(file))
  )

/** IngestFile in a fiber of its own, with the clock left to the test: joined once answered. */
const ingestInBackground = (file: IngestFilePayload) =>
  Effect.flatMap(ClusterIngest.client, (client) =>
    Effect.fork(client(clusterIngestId(file.orgId, file.clusterUuid)).IngestFile(file))
  )

const send = (file: IngestFilePayload) =>
  Effect.flatMap(ClusterIngest.client, (client) =>
    client(clusterIngestId(file.orgId, file.clusterUuid)).IngestFile(file, { discard: true })
  )

/**
 * Lets every fiber run until all wait, moving the TestClock by 200 ms in all: the cluster delivers the first
 * messages, while no retry is due yet (the earliest, an Experiment's, comes 400 ms after a failure at least).
 */
const quiesce = Effect.repeatN(TestClock.adjust("10 millis"), 20)

/** Positions in the journal of the calls that went through, to compare the order of calls. */
const positions = (journal: ReadonlyArray<JournalEntry>, service: JournalEntry["service"], op: string) =>
  journal.flatMap((e, i) => (e.service === service && e.op === op && e.failedWith === undefined ? [i] : []))

/** The rosocp.kruize.recommendations messages sent, decoded. */
const kafkaMessages = Effect.flatMap(MemoryKafka, (kafka) =>
  Effect.forEach(kafka.sent, (m) => Schema.decode(RecommendationMessageJson)(String(m.value)))
)

/** Each experiment name with the outcomes recorded for it, in order. */
const outcomesByExperiment = (done: ReadonlyArray<{ readonly experimentName: string; readonly outcome: string }>) => {
  const outcomes = new Map<string, Array<string>>()
  for (const d of done) outcomes.set(d.experimentName, [...(outcomes.get(d.experimentName) ?? []), d.outcome])
  return outcomes
}

/** The file was recorded ingested once, after every batch of it was stored and registered. */
const fileDoneAfterTheLastBatch = Effect.gen(function* () {
  const journal = (yield* MemoryJournal).entries
  const fileDone = positions(journal, "progress", "fileDone")
  expect(fileDone).toHaveLength(1)
  expect(Math.max(...positions(journal, "progress", "expectExperiments"))).toBeLessThan(fileDone[0]!)
})

describe("ClusterIngest.IngestFile", () => {
  it.effect("reads the file, records the cluster, stores workloads and usage rows, registers, then hands each on", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      yield* files.put(file.url, workloadsCsv(["web", "api"], 3))
      // the world at the moment the experiments are registered
      const atRegistration: Array<object> = []
      yield* ros.onExpectExperiments(() =>
        Effect.sync(
          () =>
            void atRegistration.push({
              workloads: ros.workloads.size,
              metrics: ros.metrics.length,
              created: engine.experiments.length,
              done: ros.experimentsDone.length
            })
        )
      )
      yield* ingest(file)

      const names = [experimentName("api"), experimentName("web")]
      // answered once both experiments were sent
      expect(ros.experimentsDone.map((d) => [d.experimentName, d.requestId, d.fileKey, d.outcome]).sort()).toEqual(
        names.map((n) => [n, REQUEST, file.fileKey, "sent"])
      )
      expect(ros.experimentsDone.map((d) => d.maxIntervalEnd)).toEqual(
        [intervalEnd(2), intervalEnd(2)].map((d) => d.toISOString())
      )
      expect(ros.expected.map((e) => ({ ...e, names: [...e.names].sort() }))).toEqual([
        { requestId: REQUEST, filesExpected: 1, names, fileKey: file.fileKey }
      ])
      expect(atRegistration).toEqual([{ workloads: 2, metrics: 6, created: 0, done: 0 }])
      expect(ros.clusters).toEqual([
        {
          id: 1,
          orgId: scope.orgId,
          account: undefined,
          sourceId: scope.sourceId,
          clusterUuid: scope.clusterUuid,
          clusterAlias: "prod-east"
        }
      ])
      // the workloads, written once, and one usage row per container and interval, under the workload's id
      for (const workload of ["web", "api"]) {
        const stored = ros.workloads.get(experimentName(workload))
        expect(stored?.writes).toBe(1)
        expect(stored?.row).toEqual({
          orgId: scope.orgId,
          clusterId: 1,
          experimentName: experimentName(workload),
          namespace: "shop",
          workloadType: "deployment",
          workloadName: workload,
          containers: ["app"],
          metricsUploadAt: intervalEnd(2)
        })
        const rows = ros.metrics.filter((m) => m.workloadId === stored?.id)
        expect(rows.map((m) => m.intervalEnd)).toEqual([0, 1, 2].map(intervalEnd))
        for (const row of rows) {
          expect(row).toMatchObject({ orgId: scope.orgId, kind: "container", namespace: "shop", containerName: "app" })
        }
      }
      expect(ros.metrics).toHaveLength(6)
      // each experiment reached the engine with its three intervals, and the poller was told its workload's id
      expect([...engine.experiments].sort()).toEqual(names)
      for (const name of names) expect(engine.results(name)).toHaveLength(3)
      const messages = yield* kafkaMessages
      expect(messages.map((m) => m.Metadata.Experiment_name).sort()).toEqual(names)
      for (const m of messages) {
        expect(m.Request_id).toBe(REQUEST)
        expect(m.Metadata.Org_id).toBe(scope.orgId)
        expect(m.Metadata.Workload_id).toBe(ros.workloads.get(m.Metadata.Experiment_name)?.id)
      }
      expect(ros.files).toEqual([
        {
          requestId: REQUEST,
          filesExpected: 1,
          fileKey: file.fileKey,
          outcome: "ingested",
          detail: { file: file.fileKey, kind: "ContainerUsage", rows: expect.anything(), experiments: 2 },
          experiments: []
        }
      ])
      expect(ros.reports).toEqual([])
      // cluster, workloads, usage rows, registration, and only then the engine
      const journal = (yield* MemoryJournal).entries
      const order = [
        positions(journal, "workloads", "upsertCluster"),
        positions(journal, "workloads", "upsertWorkloads"),
        positions(journal, "workloads", "insertMetrics"),
        positions(journal, "progress", "expectExperiments"),
        positions(journal, "engine", "createExperiment")
      ].map((at) => at[0] ?? -1)
      expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]!))).toBe(true)
      yield* fileDoneAfterTheLastBatch
      // AddResults is volatile: nothing of it in the message storage
      expect(yield* storedRequests("Experiment", "AddResults")).toEqual([])
    }).pipe(withActors())
  )

  it.effect(
    "150 experiments: stored and registered in batches of 100 and 50, each before its experiments are sent",
    () =>
      Effect.gen(function* () {
        const file = fileOf("usage-1.csv")
        const ros = yield* MemoryRos
        const engine = yield* MemoryEngine
        const workloads = workloadNames(150)
        yield* (yield* MemoryFiles).put(file.url, workloadsCsv(workloads, 1))
        const snapshots: Array<object> = []
        yield* ros.onExpectExperiments((expected) =>
          Effect.sync(() => {
            const ids = new Set(expected.names.map((n) => ros.workloads.get(n)?.id))
            snapshots.push({
              names: expected.names.length,
              workloadsStored: expected.names.every((n) => ros.workloads.has(n)),
              metricsStored: ros.metrics.filter((m) => ids.has(m.workloadId)).length,
              atTheEngine: expected.names.filter((n) => engine.experiments.includes(n)).length
            })
          })
        )
        yield* ingest(file)

        // answered once every experiment was sent, each once
        expect(ros.experimentsDone).toHaveLength(150)
        expect(new Set(ros.experimentsDone.map((d) => d.experimentName))).toEqual(
          new Set(workloads.map(experimentName))
        )
        expect(snapshots).toEqual([
          { names: 100, workloadsStored: true, metricsStored: 100, atTheEngine: 0 },
          { names: 50, workloadsStored: true, metricsStored: 50, atTheEngine: 0 }
        ])
        const journal = yield* MemoryJournal
        // one statement per batch and table
        expect(journal.of("workloads", "upsertWorkloads").map((e) => e.subject.split(",").length)).toEqual([100, 50])
        expect(journal.of("workloads", "insertMetrics")).toHaveLength(2)
        expect(new Set(ros.expected.flatMap((e) => e.names))).toEqual(new Set(workloads.map(experimentName)))
        expect(new Set(engine.experiments)).toEqual(new Set(workloads.map(experimentName)))
        expect(engine.attempts("createExperiment")).toBe(150)
        expect(engine.accepted).toHaveLength(150)
        expect(ros.files[0]?.detail).toMatchObject({ experiments: 150 })
        yield* fileDoneAfterTheLastBatch
      }).pipe(withActors())
  )

  // Guards that ClusterIngest waits for each AddResults to be answered before it takes on more: with a
  // `{ discard: true }` hand-off (or none awaited) all 450 experiments would be stored, registered and recorded
  // ingested at once while none had reached the engine, and a runner would hold every experiment of a large file.
  // The stored batches run ahead of the hand-offs by the stream's buffer: besides the batch being handed on, the
  // one in the buffer and the one stored and waiting to enter it, 300 experiments at most.
  it.effect(
    "waits for its hand-offs: with the engine away, the stored batches stay a bounded way ahead; then all 450 sent once",
    () =>
      Effect.gen(function* () {
        const file = fileOf("usage-1.csv")
        const ros = yield* MemoryRos
        const engine = yield* MemoryEngine
        const workloads = workloadNames(450)
        yield* (yield* MemoryFiles).put(file.url, workloadsCsv(workloads, 1))
        // The engine is away: each experiment handed on fails and waits to try again, later than `quiesce` goes.
        yield* engine.failNext("createExperiment", unavailable, { times: 48 })
        const answered = yield* ingestInBackground(file)
        yield* quiesce

        const registered = ros.expected.flatMap((e) => e.names).length
        expect(registered).toBeGreaterThanOrEqual(100)
        expect(registered).toBeLessThanOrEqual(300)
        expect(ros.workloads.size).toBe(registered)
        expect(engine.attempts("createExperiment")).toBe(16) // concurrentHandOffs, by default
        expect(engine.accepted).toEqual([])
        expect(ros.experimentsDone).toEqual([])
        expect(ros.files).toEqual([])
        expect(answered.unsafePoll()).toBeNull()

        // the engine is back
        yield* drive(Fiber.join(answered))
        expect(ros.expected.map((e) => e.names.length)).toEqual([100, 100, 100, 100, 50])
        expect(new Set(engine.experiments)).toEqual(new Set(workloads.map(experimentName)))
        expect(engine.accepted).toHaveLength(450)
        expect(engine.attempts("updateResults")).toBe(450)
        const outcomes = outcomesByExperiment(ros.experimentsDone)
        expect(outcomes.size).toBe(450)
        expect([...outcomes.values()].every((o) => o.length === 1 && o[0] === "sent")).toBe(true)
        expect(ros.files).toEqual([
          expect.objectContaining({ outcome: "ingested", detail: expect.objectContaining({ experiments: 450 }) })
        ])
        expect(ros.reports).toEqual([])
      }).pipe(withActors())
  )

  it.effect("concurrentHandOffs bounds the experiments handed on at once", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      yield* (yield* MemoryFiles).put(file.url, workloadsCsv(workloadNames(20), 1))
      yield* engine.failNext("createExperiment", unavailable, { times: 3 })
      const answered = yield* ingestInBackground(file)
      yield* quiesce
      expect(engine.attempts("createExperiment")).toBe(3)
      expect(answered.unsafePoll()).toBeNull()

      yield* drive(Fiber.join(answered))
      expect(engine.experiments).toHaveLength(20)
      expect(ros.experimentsDone.map((d) => d.outcome)).toEqual(Array.from({ length: 20 }, () => "sent"))
    }).pipe(withActors({ concurrentHandOffs: 3 }))
  )

  it.effect("a hand-off whose outcome could not be recorded is handed on again after a backoff; the file waits", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      // web's Experiment cannot record that it sent the results, three times: it answers AddResultsUnrecorded
      const web = experimentName("web")
      yield* ros.failNext("experimentDone", 3, (argument) => (argument as ExperimentDone).experimentName === web)
      const started = yield* elapsedSeconds
      const answered = yield* ingestInBackground(file)
      yield* quiesce

      expect(ros.experimentsDone.map((d) => [d.experimentName, d.outcome])).toEqual([[experimentName("api"), "sent"]])
      expect(answered.unsafePoll()).toBeNull()
      yield* drive(Fiber.join(answered))

      const journal = yield* MemoryJournal
      expect(journal.of("progress", "experimentDone").filter((e) => e.failedWith === "SqlError")).toHaveLength(3)
      expect(outcomesByExperiment(ros.experimentsDone)).toEqual(
        new Map([
          [experimentName("api"), ["sent"]],
          [web, ["sent"]]
        ])
      )
      // ClusterIngest's own retry brought it back, after 1 + 2 + 4 s of backoff (a defect would instead make the
      // cluster restart the entity and replay the message at once, for as long as the failure lasts)
      expect((yield* elapsedSeconds) - started).toBeGreaterThanOrEqual(7)
      // sent again each time (created once: the entity knows the engine has it), each result kept once
      expect(journal.of("engine", "createExperiment").filter((e) => e.subject === web)).toHaveLength(1)
      expect(journal.of("engine", "updateResults").filter((e) => e.subject === web)).toHaveLength(4)
      expect(engine.results(web)).toHaveLength(2)
      // only the hand-off was repeated, not the file
      expect(files.requests).toEqual([file.fileKey])
      expect(journal.of("workloads", "upsertWorkloads")).toHaveLength(1)
      expect(ros.files).toEqual([
        expect.objectContaining({ outcome: "ingested", detail: expect.objectContaining({ experiments: 2 }) })
      ])
      expect(ros.reports).toEqual([])
    }).pipe(withActors())
  )

  /** A file of workloads web and api, where recording an outcome of web fails whenever `failing` says so. */
  const webUnrecordable = (failing: (done: ExperimentDone, files: MemoryFiles["Type"]) => boolean) =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const ros = yield* MemoryRos
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      const web = experimentName("web")
      yield* ros.failNext("experimentDone", 10_000, (argument) => {
        const done = argument as ExperimentDone
        return done.experimentName === web && failing(done, files)
      })
      return { file, files, ros, web }
    })

  it.effect("a hand-off failing beyond ENGINE_RETRY_FOR is recorded as not sent, with why, and the file goes on", () =>
    Effect.gen(function* () {
      // every "sent" of web fails to be recorded; the "rejected" ClusterIngest records in the end goes through
      const { file, files, ros, web } = yield* webUnrecordable((done) => done.outcome === "sent")
      yield* ingest(file)

      expect(outcomesByExperiment(ros.experimentsDone)).toEqual(
        new Map([
          [experimentName("api"), ["sent"]],
          [web, ["rejected"]]
        ])
      )
      const given = ros.experimentsDone.find((d) => d.experimentName === web)
      expect(given).toMatchObject({ requestId: REQUEST, fileKey: file.fileKey })
      expect(given?.detail).toMatch(/^could not be handed to its Experiment: .*injected failure of experimentDone/)
      expect(ros.files).toEqual([expect.objectContaining({ outcome: "ingested" })])
      expect(files.requests).toEqual([file.fileKey])
    }).pipe(withActors({ retryFor: Duration.minutes(2) }))
  )

  it.effect(
    "recording a failed hand-off failing too: the file is read again, but reported and counted ingested once",
    () =>
      Effect.gen(function* () {
        // every outcome of web fails to be recorded, "rejected" included, until the file has been read again
        const { file, files, ros, web } = yield* webUnrecordable((_, files) => files.requests.length < 2)
        const countedBefore = (yield* Metric.value(filesIngested)).count
        yield* ingest(file)

        expect(files.requests).toEqual([file.fileKey, file.fileKey])
        expect(ros.files).toEqual([expect.objectContaining({ outcome: "ingested" })])
        expect((yield* Metric.value(filesIngested)).count - countedBefore).toBe(1)
        expect(ros.reports).toEqual([])
        expect(outcomesByExperiment(ros.experimentsDone).get(web)).toEqual(["sent"])
      }).pipe(withActors({ retryFor: Duration.minutes(2) }))
  )

  it.effect("a file answering 404 is refused with a readable reason; the message's other file goes through", () =>
    Effect.gen(function* () {
      const missing = fileOf("usage-1.csv", 2)
      const present = fileOf("usage-2.csv", 2)
      const files = yield* MemoryFiles
      const ros = yield* MemoryRos
      yield* files.put(present.url, workloadsCsv(["web"]))
      yield* ingest(missing)
      yield* ingest(present)

      const reason = "could not read the file: HTTP 404 (expired or unknown URL?)"
      expect(ros.files.map((f) => [f.fileKey, f.outcome, f.detail])).toEqual([
        [missing.fileKey, "failed", { error: reason }],
        [present.fileKey, "ingested", expect.objectContaining({ experiments: 1 })]
      ])
      expect(ros.reports).toEqual([
        {
          requestId: REQUEST,
          stage: "ingested",
          outcome: "failed",
          error: `${missing.fileKey}: ${reason}`,
          detail: { file: missing.fileKey }
        }
      ])
      // a 4xx is final: asked once
      expect(files.requests.filter((key) => key === missing.fileKey)).toHaveLength(1)
      expect(ros.experimentsDone.map((d) => [d.experimentName, d.outcome])).toEqual([[experimentName("web"), "sent"]])
    }).pipe(withActors())
  )

  it.effect("a file that does not answer (or answers 503) is tried again with backoff, then read", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      yield* files.put(file.url, workloadsCsv(["web"]))
      yield* files.answerNext(file.url, { _tag: "Unreachable" })
      yield* files.answerNext(file.url, { _tag: "Status", status: 503 })
      const start = yield* elapsedSeconds
      yield* ingest(file)

      expect(files.requests).toEqual([file.fileKey, file.fileKey, file.fileKey])
      expect((yield* elapsedSeconds) - start).toBeGreaterThanOrEqual(0.5 + 1)
      const ros = yield* MemoryRos
      expect(ros.files.map((f) => f.outcome)).toEqual(["ingested"])
      expect(ros.reports).toEqual([])
    }).pipe(withActors())
  )

  it.effect("a file that never answers is refused after five tries", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      yield* files.put(file.url, workloadsCsv(["web"]))
      yield* files.answerNext(file.url, { _tag: "Unreachable" }, 100)
      yield* ingest(file)

      expect(files.requests).toHaveLength(5)
      const ros = yield* MemoryRos
      expect(ros.files.map((f) => f.outcome)).toEqual(["failed"])
      expect(String(ros.files[0]?.detail.error)).toMatch(/^could not read the file: Transport: connection refused/)
      expect(ros.expected).toEqual([])
      expect(ros.clusters).toEqual([])
    }).pipe(withActors())
  )

  it.effect("the reason of an unreachable file names it without the presigned signature", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      yield* files.answerNext(file.url, { _tag: "Unreachable" }, 100)
      yield* ingest(file)

      const ros = yield* MemoryRos
      expect(ros.files.map((f) => f.outcome)).toEqual(["failed"])
      expect(String(ros.files[0]?.detail.error)).toContain(`/ros-data/${scope.orgId}/${scope.clusterUuid}/usage-1.csv`)
      expect(String(ros.files[0]?.detail.error)).not.toContain(SIGNATURE)
      expect(ros.reports.map((r) => r.error ?? "").join("\n")).not.toContain(SIGNATURE)
    }).pipe(withActors())
  )

  it.effect("a malformed CSV, or one lacking columns, is refused with its reason, and not downloaded again", () =>
    Effect.gen(function* () {
      const malformed = fileOf("usage-1.csv", 2)
      const noColumns = fileOf("usage-2.csv", 2)
      const files = yield* MemoryFiles
      yield* files.put(malformed.url, `${containerColumns.join(",")}\n"unterminated,1\n`)
      yield* files.put(noColumns.url, "report_period_start,namespace\n2023-06-01,shop\n")
      yield* ingest(malformed)
      yield* ingest(noColumns)

      const ros = yield* MemoryRos
      expect(ros.files.map((f) => [f.fileKey, f.outcome])).toEqual([
        [malformed.fileKey, "failed"],
        [noColumns.fileKey, "failed"]
      ])
      expect(String(ros.files[0]?.detail.error)).toMatch(/^the file is not valid CSV \(line \d+: .*quote/i)
      expect(String(ros.files[1]?.detail.error)).toMatch(
        /^the container CSV lacks required columns: report_period_end, interval_start, interval_end, /
      )
      expect(ros.reports.map((r) => [r.stage, r.outcome, r.error])).toEqual([
        ["ingested", "failed", `${malformed.fileKey}: ${ros.files[0]?.detail.error}`],
        ["ingested", "failed", `${noColumns.fileKey}: ${ros.files[1]?.detail.error}`]
      ])
      expect(files.requests).toEqual([malformed.fileKey, noColumns.fileKey])
      expect(ros.expected).toEqual([])
      expect((yield* MemoryEngine).attempts("createExperiment")).toBe(0)
    }).pipe(withActors())
  )

  it.effect("a file above PROCESSOR_MAX_CSV_BYTES is refused while it streams, and not downloaded again", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const text = workloadsCsv(["web"], 50)
      expect(text.length).toBeGreaterThan(4096)
      yield* files.put(file.url, text)
      yield* ingest(file)

      const ros = yield* MemoryRos
      expect(ros.files.map((f) => [f.outcome, f.detail])).toEqual([
        ["failed", { error: "could not read the file: more than 4096 bytes" }]
      ])
      expect(files.requests).toHaveLength(1)
      expect(ros.expected).toEqual([])
    }).pipe(withActors({ maxCsvBytes: 4096 }))
  )

  it.effect("a database failure is passing: the file is ingested again from the start, nothing lost", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const ros = yield* MemoryRos
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      yield* ros.failNext("upsertCluster", 2)
      const start = yield* elapsedSeconds
      yield* ingest(file)

      expect((yield* elapsedSeconds) - start).toBeGreaterThanOrEqual(1 + 2)
      expect(files.requests).toHaveLength(3)
      expect(ros.clusters).toHaveLength(1)
      expect(ros.files.map((f) => f.outcome)).toEqual(["ingested"])
      expect(ros.reports).toEqual([])
      expect(ros.experimentsDone.map((d) => [d.experimentName, d.outcome]).sort()).toEqual([
        [experimentName("api"), "sent"],
        [experimentName("web"), "sent"]
      ])
      expect((yield* MemoryEngine).attempts("createExperiment")).toBe(2)
    }).pipe(withActors())
  )

  for (const operation of ["upsertWorkloads", "insertMetrics"] satisfies ReadonlyArray<SqlOperation>) {
    it.effect(`${operation} failing on the second batch: the file is ingested again from the start, nothing lost`, () =>
      Effect.gen(function* () {
        const file = fileOf("usage-1.csv")
        const files = yield* MemoryFiles
        const ros = yield* MemoryRos
        const engine = yield* MemoryEngine
        const workloads = workloadNames(150)
        yield* files.put(file.url, workloadsCsv(workloads, 2))
        // armed when the first batch is registered: the second batch's statement fails
        let armed = false
        yield* ros.onExpectExperiments(() =>
          armed
            ? Effect.void
            : Effect.zipRight(
                Effect.sync(() => (armed = true)),
                ros.failNext(operation)
              )
        )
        yield* ingest(file)

        const journal = yield* MemoryJournal
        expect(journal.of("workloads", operation).filter((e) => e.failedWith === "SqlError")).toHaveLength(1)
        // read and stored again from the start
        expect(files.requests).toEqual([file.fileKey, file.fileKey])
        expect(journal.of("workloads", "upsertCluster")).toHaveLength(2)
        expect(ros.expected.map((e) => e.names.length)).toEqual([100, 100, 50])
        // nothing duplicated: one workload per experiment (the first batch's written twice), its two usage rows once
        const names = workloads.map(experimentName)
        expect(new Set(ros.workloads.keys())).toEqual(new Set(names))
        for (const name of names.slice(0, 100)) expect(ros.workloads.get(name)?.writes).toBe(2)
        expect(ros.metrics).toHaveLength(300)
        // nothing lost: every experiment sent, each result kept once by the engine
        for (const name of names) expect(engine.results(name)).toEqual(engine.results(names[0]!))
        expect(engine.results(names[0]!)).toHaveLength(2)
        const outcomes = outcomesByExperiment(ros.experimentsDone)
        expect(new Set(outcomes.keys())).toEqual(new Set(names))
        expect([...outcomes.values()].flat().every((o) => o === "sent")).toBe(true)
        expect(ros.files).toEqual([
          expect.objectContaining({ outcome: "ingested", detail: expect.objectContaining({ experiments: 150 }) })
        ])
        expect(ros.reports).toEqual([])
        yield* fileDoneAfterTheLastBatch
      }).pipe(withActors())
    )
  }

  it.effect("a namespace file is skipped, without downloading it, when namespace recommendations are disabled", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-namespace-1.csv")
      const files = yield* MemoryFiles
      yield* files.put(file.url, namespaceCsv([namespaceRow()]))
      yield* ingest(file)

      expect(files.requests).toEqual([])
      const ros = yield* MemoryRos
      expect(ros.files).toEqual([
        {
          requestId: REQUEST,
          filesExpected: 1,
          fileKey: file.fileKey,
          outcome: "ingested",
          detail: { skipped: "namespace recommendations are disabled" },
          experiments: []
        }
      ])
      expect(ros.expected).toEqual([])
      expect(ros.clusters).toEqual([])
      expect(ros.workloads.size).toBe(0)
      expect((yield* MemoryEngine).attempts("createExperiment")).toBe(0)
    }).pipe(withActors({ namespaceEnabled: false }))
  )

  it.effect("the same namespace file is ingested when namespace recommendations are enabled", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-namespace-1.csv")
      yield* (yield* MemoryFiles).put(file.url, namespaceCsv([namespaceRow()]))
      yield* ingest(file)

      const ros = yield* MemoryRos
      expect(ros.files.map((f) => [f.outcome, f.detail.kind])).toEqual([["ingested", "NamespaceUsage"]])
      const name = `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}|namespace|project-ros-a1`
      expect(ros.experimentsDone.map((d) => [d.experimentName, d.outcome])).toEqual([[name, "sent"]])
      const workload = ros.workloads.get(name)
      expect(workload?.row).toMatchObject({ workloadType: "namespace", workloadName: null, containers: null })
      // one usage row per interval, for the namespace (container name "")
      expect(ros.metrics.map((m) => [m.workloadId, m.kind, m.namespace, m.containerName])).toEqual([
        [workload?.id, "namespace", "project-ros-a1", ""]
      ])
      expect((yield* MemoryEngine).results(name)).toHaveLength(1)
    }).pipe(withActors({ namespaceEnabled: true }))
  )

  it.effect("files of one cluster are ingested one at a time, in the order they were sent", () =>
    Effect.gen(function* () {
      const names = ["usage-1.csv", "usage-2.csv", "usage-3.csv"]
      const files = yield* MemoryFiles
      for (const [i, name] of names.entries()) yield* files.put(urlOf(name), workloadsCsv([`w${i}`]))
      // the first file needs a retry (0.5 s later): the others wait for it
      yield* files.answerNext(urlOf(names[0]!), { _tag: "Status", status: 503 })
      for (const name of names) yield* send(fileOf(name, 3))
      const ros = yield* MemoryRos
      yield* settle(() => ros.files.length === 3, "three files ingested")

      expect(ros.files.map((f) => f.fileKey)).toEqual(names.map((n) => fileKeyOf(urlOf(n))))
      expect(files.requests).toEqual([names[0], names[0], names[1], names[2]].map((n) => fileKeyOf(urlOf(n!))))
    }).pipe(withActors())
  )

  /** A file of cluster A is held up by the engine; what happens to cluster B's file sent meanwhile? */
  const otherClusterWhileOneIsHeld = Effect.gen(function* () {
    const clusterB = "5f0c3a52-8d4e-4b1a-9c7e-2e6b1d0a9f11"
    const fileA = fileOf("usage-1.csv")
    const urlB = urlOf("usage-1.csv").replace(scope.clusterUuid, clusterB)
    const fileB: IngestFilePayload = { ...fileA, clusterUuid: clusterB, url: urlB, fileKey: fileKeyOf(urlB) }
    const files = yield* MemoryFiles
    const engine = yield* MemoryEngine
    yield* files.put(fileA.url, workloadsCsv(["web"]))
    yield* files.put(fileB.url, workloadsCsv(["api"]))
    yield* engine.failNext("createExperiment", unavailable, { times: 3 })
    const answeredA = yield* ingestInBackground(fileA)
    yield* quiesce
    const answeredB = yield* ingestInBackground(fileB)
    yield* quiesce
    const whileHeld = [...files.requests]
    yield* drive(Effect.zip(Fiber.join(answeredA), Fiber.join(answeredB)))
    expect(engine.experiments).toHaveLength(2)
    return { whileHeld, fileA, fileB, all: files.requests }
  })

  it.effect("files of other clusters wait for a free slot of the runner (concurrentFiles), then go through", () =>
    Effect.gen(function* () {
      const { whileHeld, fileA, fileB, all } = yield* otherClusterWhileOneIsHeld
      expect(whileHeld).toEqual([fileA.fileKey])
      expect(all).toEqual([fileA.fileKey, fileB.fileKey])
    }).pipe(withActors({ concurrentFiles: 1 }))
  )

  it.effect("with a free slot, another cluster's file is read while the first is held up", () =>
    Effect.gen(function* () {
      const { whileHeld, fileA, fileB } = yield* otherClusterWhileOneIsHeld
      expect(whileHeld).toEqual([fileA.fileKey, fileB.fileKey])
    }).pipe(withActors({ concurrentFiles: 2 }))
  )
})

describe("ClusterIngest.IngestFile: idempotency", () => {
  it.effect("the same requestId + file twice is ingested once; the second call is answered from storage", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const engine = yield* MemoryEngine
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      yield* ingest(file)
      // a redelivered Kafka message presigns the same file again: another query, the same file key
      yield* ingest({ ...file, url: file.url.replace(SIGNATURE, "X-Amz-Signature=other") })

      expect(files.requests).toEqual([file.fileKey])
      const ros = yield* MemoryRos
      const journal = yield* MemoryJournal
      expect(ros.files).toHaveLength(1)
      expect(ros.expected).toHaveLength(1)
      expect(journal.of("workloads", "upsertCluster")).toHaveLength(1)
      expect(journal.of("workloads", "upsertWorkloads")).toHaveLength(1)
      expect(journal.of("workloads", "insertMetrics")).toHaveLength(1)
      expect(yield* storedRequests("ClusterIngest", "IngestFile")).toHaveLength(1)
      expect(engine.attempts("createExperiment")).toBe(2)
      expect(ros.experimentsDone).toHaveLength(2)

      // the same file in another upload is new work: read and sent again, its rows upserted, not duplicated
      yield* ingest(fileOf("usage-1.csv", 1, "another-request"))
      expect(files.requests).toEqual([file.fileKey, file.fileKey])
      // the Experiments, still active, know the engine has them: results only
      expect(engine.attempts("createExperiment")).toBe(2)
      expect(engine.attempts("updateResults")).toBe(4)
      expect(ros.experimentsDone.map((d) => d.requestId)).toEqual([
        REQUEST,
        REQUEST,
        "another-request",
        "another-request"
      ])
      expect(ros.workloads.size).toBe(2)
      expect([...ros.workloads.values()].map((w) => w.writes)).toEqual([2, 2])
      expect(ros.metrics).toHaveLength(4)
    }).pipe(withActors())
  )

  it.effect("a redelivered IngestFile reads the file again: nothing stored twice, every experiment still sent", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const engine = yield* MemoryEngine
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      yield* ingest(file)
      const [stored] = yield* storedRequests("ClusterIngest", "IngestFile")
      yield* redeliver(stored!.requestId)
      const ros = yield* MemoryRos
      yield* settle(() => ros.files.length === 2, "the redelivered file handled")
      yield* advance(60) // time for anything further to happen

      expect(files.requests).toEqual([file.fileKey, file.fileKey]) // the handler did run twice
      expect(ros.expected).toHaveLength(2)
      expect(ros.files.map((f) => f.outcome)).toEqual(["ingested", "ingested"])
      expect(ros.clusters).toHaveLength(1)
      // the workloads upserted, their usage rows kept once
      expect(ros.workloads.size).toBe(2)
      expect([...ros.workloads.values()].map((w) => w.writes)).toEqual([2, 2])
      expect(ros.metrics).toHaveLength(4)
      // handed on again to the still active Experiments (not created again); the engine keeps each result once
      expect(engine.attempts("createExperiment")).toBe(2)
      expect(engine.attempts("updateResults")).toBe(4)
      for (const name of [experimentName("web"), experimentName("api")]) {
        expect(engine.results(name)).toEqual([0, 1].map((i) => intervalEnd(i).toISOString()))
      }
      expect(ros.experimentsDone).toHaveLength(4)
      expect(ros.experimentsDone.every((d) => d.outcome === "sent")).toBe(true)
      expect(ros.reports).toEqual([])
    }).pipe(withActors())
  )
})
