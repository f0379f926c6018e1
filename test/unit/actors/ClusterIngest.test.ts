/**
 * The ClusterIngest entity on the in-memory cluster: a usage CSV is downloaded (from memory), read, its cluster
 * recorded and its experiments registered in the upload progress before they are handed to their Experiment
 * entities; bad files are refused with a reason a user can read while the message's other files go on; files of
 * one cluster are ingested one at a time, in order; a repeated or redelivered message ingests nothing twice.
 */
import { MessageStorage } from "@effect/cluster"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ClusterIngest, clusterIngestId, type IngestFilePayload } from "../../../actors/ClusterIngest.js"
import type { AddResultsPayload } from "../../../actors/Experiment.js"
import { containerColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { fileKeyOf } from "../../../src/processor/UsageFileDownload.js"
import { EngineUnavailable } from "../../../src/services/EngineClient.js"
import { MemoryEngine } from "../../support/memoryEngine.js"
import { MemoryFiles } from "../../support/memoryFiles.js"
import { MemoryJournal } from "../../support/memoryJournal.js"
import { MemoryRos } from "../../support/memoryRos.js"
import {
  containerCsv,
  containerRow,
  interval,
  namespaceCsv,
  namespaceRow,
  scope
} from "../processor/UsageCsvFixtures.js"
import {
  advance,
  drive,
  elapsedSeconds,
  redeliver,
  requestsIn,
  settle,
  storedRequests,
  withActors
} from "./ActorHarness.js"

const REQUEST = "2b7e6a1c8f2d4c55"
const unavailable = new EngineUnavailable({ operation: "updateResults", message: "HTTP 503: engine restarting" })
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

/** `intervals` rows of each workload. */
const workloadsCsv = (workloads: ReadonlyArray<string>, intervals = 2) =>
  containerCsv(
    workloads.flatMap((workload) =>
      Array.from({ length: intervals }, (_, i) =>
        containerRow({ ...interval(i), workload, owner_name: `${workload}-7d9f`, pod: `${workload}-7d9f-1` })
      )
    )
  )

const ingest = (file: IngestFilePayload) =>
  Effect.flatMap(ClusterIngest.client, (client) =>
    drive(client(clusterIngestId(file.orgId, file.clusterUuid)).IngestFile(file))
  )

const send = (file: IngestFilePayload) =>
  Effect.flatMap(ClusterIngest.client, (client) =>
    client(clusterIngestId(file.orgId, file.clusterUuid)).IngestFile(file, { discard: true })
  )

/** AddResults messages stored for the Experiment entities, as (experiment, payload). */
const handOffsIn = (driver: MessageStorage.MemoryDriver) =>
  requestsIn(driver, "Experiment", "AddResults").map((r) => ({
    experiment: r.address.entityId,
    payload: r.payload as AddResultsPayload
  }))

const handOffs = Effect.map(MessageStorage.MemoryDriver, handOffsIn)

const experimentsSent = (count: number) =>
  Effect.flatMap(MemoryRos, (ros) => settle(() => ros.experimentsDone.length >= count, `${count} experiments sent`))

describe("ClusterIngest.IngestFile", () => {
  it.effect("reads the file, records the cluster, registers the experiments, then hands each on", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      const ros = yield* MemoryRos
      yield* files.put(file.url, workloadsCsv(["web", "api"], 3))
      // what the message storage holds at the moment the experiments are registered
      const handedBefore: Array<number> = []
      const driver = yield* MessageStorage.MemoryDriver
      yield* ros.onExpectExperiments(() => Effect.sync(() => void handedBefore.push(handOffsIn(driver).length)))
      yield* ingest(file)
      yield* experimentsSent(2)

      const names = [experimentName("api"), experimentName("web")]
      expect(ros.expected.map((e) => ({ ...e, names: [...e.names].sort() }))).toEqual([
        { requestId: REQUEST, filesExpected: 1, names, fileKey: file.fileKey }
      ])
      expect(handedBefore).toEqual([0])
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
      const stored = yield* handOffs
      expect(stored.map((h) => h.experiment).sort()).toEqual(names)
      for (const h of stored) {
        expect(h.payload).toMatchObject({ requestId: REQUEST, fileKey: file.fileKey, orgId: scope.orgId, clusterId: 1 })
        expect(h.payload.usage.experimentName).toBe(h.experiment)
        expect(h.payload.usage.results).toHaveLength(3)
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
      expect(ros.experimentsDone.map((d) => [d.experimentName, d.outcome]).sort()).toEqual(
        names.map((n) => [n, "sent"])
      )
      expect(ros.reports).toEqual([])
      // the file counts as ingested only after every hand-off
      const progress = (yield* MemoryJournal).of("progress").map((e) => e.op)
      expect(progress.indexOf("fileDone")).toBeGreaterThan(progress.indexOf("expectExperiments"))
    }).pipe(withActors())
  )

  it.effect("150 experiments: registered in batches of 100 and 50, each batch before its hand-off", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const ros = yield* MemoryRos
      const workloads = Array.from({ length: 150 }, (_, i) => `w${String(i).padStart(3, "0")}`)
      yield* (yield* MemoryFiles).put(file.url, workloadsCsv(workloads, 1))
      const snapshots: Array<{ readonly handed: number; readonly ofBatch: number }> = []
      const driver = yield* MessageStorage.MemoryDriver
      yield* ros.onExpectExperiments((expected) =>
        Effect.sync(() => {
          const stored = handOffsIn(driver)
          const batch = new Set(expected.names)
          snapshots.push({ handed: stored.length, ofBatch: stored.filter((h) => batch.has(h.experiment)).length })
        })
      )
      yield* ingest(file)

      expect(ros.expected.map((e) => e.names.length)).toEqual([100, 50])
      expect(snapshots).toEqual([
        { handed: 0, ofBatch: 0 },
        { handed: 100, ofBatch: 0 }
      ])
      expect(new Set(ros.expected.flatMap((e) => e.names))).toEqual(new Set(workloads.map(experimentName)))
      expect(yield* handOffs).toHaveLength(150)
      expect(ros.files[0]?.detail).toMatchObject({ experiments: 150 })
    }).pipe(withActors())
  )

  it.effect("hands on no more than maxPendingExperiments ahead of the experiments whose results were sent", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const ros = yield* MemoryRos
      const engine = yield* MemoryEngine
      const workloads = Array.from({ length: 450 }, (_, i) => `w${String(i).padStart(3, "0")}`)
      yield* (yield* MemoryFiles).put(file.url, workloadsCsv(workloads, 1))
      // The engine is away for a while: the experiments handed on cannot settle, so the file must wait.
      yield* engine.failNext("updateResults", unavailable, { times: 400 })
      const pendingAtRegistration: Array<number> = []
      yield* ros.onExpectExperiments(() => Effect.sync(() => void pendingAtRegistration.push(ros.pending(REQUEST))))
      yield* ingest(file)

      // 200 allowed: two batches at once, each later one only once the earlier ones leave room.
      expect(pendingAtRegistration).toHaveLength(5)
      expect(pendingAtRegistration.slice(0, 2)).toEqual([0, 100])
      expect(Math.max(...pendingAtRegistration)).toBeLessThanOrEqual(100)
      yield* experimentsSent(450)
      expect(new Set(ros.experimentsDone.map((e) => e.experimentName))).toEqual(new Set(workloads.map(experimentName)))
      expect(ros.experimentsDone.every((e) => e.outcome === "sent")).toBe(true)
    }).pipe(withActors({ maxPendingExperiments: 200 }))
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
      yield* experimentsSent(1)

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
      yield* experimentsSent(2)

      expect((yield* elapsedSeconds) - start).toBeGreaterThanOrEqual(1 + 2)
      expect(files.requests).toHaveLength(3)
      expect(ros.clusters).toHaveLength(1)
      expect(ros.files.map((f) => f.outcome)).toEqual(["ingested"])
      expect(ros.reports).toEqual([])
      expect(yield* handOffs).toHaveLength(2)
    }).pipe(withActors())
  )

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
      expect(yield* handOffs).toEqual([])
    }).pipe(withActors({ namespaceEnabled: false }))
  )

  it.effect("the same namespace file is ingested when namespace recommendations are enabled", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-namespace-1.csv")
      yield* (yield* MemoryFiles).put(file.url, namespaceCsv([namespaceRow()]))
      yield* ingest(file)
      yield* experimentsSent(1)

      const ros = yield* MemoryRos
      expect(ros.files.map((f) => [f.outcome, f.detail.kind])).toEqual([["ingested", "NamespaceUsage"]])
      const name = `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}|namespace|project-ros-a1`
      expect(ros.experimentsDone.map((d) => [d.experimentName, d.outcome])).toEqual([[name, "sent"]])
      expect(ros.workloads.get(name)?.row.workloadType).toBe("namespace")
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
})

describe("ClusterIngest.IngestFile: idempotency", () => {
  it.effect("the same requestId + file twice is ingested once; the second call is answered from storage", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      yield* ingest(file)
      // a redelivered Kafka message presigns the same file again: another query, the same file key
      yield* ingest({ ...file, url: file.url.replace(SIGNATURE, "X-Amz-Signature=other") })
      yield* experimentsSent(2)

      expect(files.requests).toEqual([file.fileKey])
      const ros = yield* MemoryRos
      expect(ros.files).toHaveLength(1)
      expect(ros.expected).toHaveLength(1)
      expect((yield* MemoryJournal).of("workloads", "upsertCluster")).toHaveLength(1)
      expect(yield* storedRequests("ClusterIngest", "IngestFile")).toHaveLength(1)
      expect(yield* handOffs).toHaveLength(2)
      expect((yield* MemoryEngine).attempts("createExperiment")).toBe(2)

      // the same file in another upload is new work
      yield* ingest(fileOf("usage-1.csv", 1, "another-request"))
      expect(files.requests).toEqual([file.fileKey, file.fileKey])
      expect(yield* handOffs).toHaveLength(4)
    }).pipe(withActors())
  )

  it.effect("a redelivered IngestFile reads the file again, but its hand-offs dedupe: each experiment sent once", () =>
    Effect.gen(function* () {
      const file = fileOf("usage-1.csv")
      const files = yield* MemoryFiles
      yield* files.put(file.url, workloadsCsv(["web", "api"]))
      yield* ingest(file)
      yield* experimentsSent(2)
      const [stored] = yield* storedRequests("ClusterIngest", "IngestFile")
      yield* redeliver(stored!.requestId)
      const ros = yield* MemoryRos
      yield* settle(() => ros.files.length === 2, "the redelivered file handled")
      yield* advance(60) // time for any further hand-off to be handled

      expect(files.requests).toEqual([file.fileKey, file.fileKey]) // the handler did run twice
      expect(ros.expected).toHaveLength(2)
      expect(yield* handOffs).toHaveLength(2)
      expect((yield* MemoryEngine).attempts("createExperiment")).toBe(2)
      expect(ros.experimentsDone).toHaveLength(2)
      expect(ros.clusters).toHaveLength(1)
    }).pipe(withActors())
  )
})
