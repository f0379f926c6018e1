/**
 * The koku stage's decisions on in-memory S3 with stubbed Sources API, Kafka and upload status: what it writes
 * where for a good upload, that a refused upload or an unknown source writes nothing, that a failure before the
 * message is sent removes what was written, which failures are retried, and that the spool directory goes away.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Option, Schema, Stream, TestClock } from "effect"
import type { AnnounceMessage } from "../../../schema/ingress/AnnounceMessage.js"
import { RosEventMessageJson } from "../../../schema/koku/RosEventMessage.js"
import { KokuStage } from "../../../src/koku/KokuStage.js"
import { RosShipper } from "../../../src/koku/RosShipper.js"
import { type CostSource, SourcesClient, SourcesUnavailable } from "../../../src/koku/SourcesClient.js"
import {
  Kafka,
  type KafkaError,
  KafkaFailure,
  KafkaUnavailable,
  type OutgoingMessage
} from "../../../src/services/Kafka.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import { type StageReport, UploadStatusRepo } from "../../../src/uploads/UploadStatusRepo.js"

const ORG = "3340851"
const CLUSTER = "136212d4-b6cf-4271-b904-26dcf46a89d1"
const NOW = Date.parse("2026-11-26T10:00:00Z")
const source: CostSource = { sourceId: "42", name: "prod-east", providerUuid: "6c2f7f4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f" }

const upload = (requestId: string): AnnounceMessage => ({
  account: "",
  category: "tar",
  content_type: "application/vnd.redhat.hccm.tar+tgz",
  metadata: { reporter: "", stale_timestamp: "0001-01-01T00:00:00Z" },
  request_id: requestId,
  principal: ORG,
  org_id: ORG,
  service: "hccm",
  size: 1,
  url: "http://127.0.0.1:9000/insights-upload-perma/x",
  b64_identity: "eyJpZGVudGl0eSI6e319",
  timestamp: "2026-11-26T10:00:00Z"
})

interface World {
  readonly reports: Array<StageReport>
  readonly sent: Array<OutgoingMessage>
  readonly spool: string
}

interface Options {
  readonly findCostSource?: () => Effect.Effect<Option.Option<CostSource>, SourcesUnavailable>
  readonly send?: () => Effect.Effect<void, KafkaError>
}

/** Runs `body` against a stage on in-memory S3 and stubs, in a fresh spool directory. */
const withStage = <A, E>(options: Options, body: (world: World) => Effect.Effect<A, E, KokuStage | ObjectStore>) =>
  Effect.gen(function* () {
    const spool = yield* Effect.promise(() => mkdtemp(join(tmpdir(), "koku-stage-test-")))
    const world: World = { reports: [], sent: [], spool }
    const layer = KokuStage.DefaultWithoutDependencies.pipe(
      Layer.provide(RosShipper.Default),
      Layer.provide(
        Layer.mock(SourcesClient, {
          _tag: "ros/koku/SourcesClient",
          findCostSource: () => (options.findCostSource ?? (() => Effect.succeed(Option.some(source))))()
        })
      ),
      Layer.provide(
        Layer.mock(UploadStatusRepo, {
          _tag: "ros/UploadStatusRepo",
          report: (r: StageReport) => Effect.sync(() => void world.reports.push(r))
        })
      ),
      Layer.provide(
        Layer.mock(Kafka, {
          send: (messages: ReadonlyArray<OutgoingMessage>) =>
            (options.send ?? (() => Effect.void))().pipe(Effect.tap(() => world.sent.push(...messages)))
        })
      ),
      Layer.provideMerge(ObjectStore.layerMemory),
      Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["KOKU_SPOOL_DIR", spool]]))))
    )
    yield* TestClock.setTime(NOW)
    return yield* body(world).pipe(
      Effect.provide(layer),
      Effect.ensuring(Effect.promise(() => rm(spool, { recursive: true, force: true })))
    )
  })

const stageTarball = (requestId: string, file: string) =>
  Effect.gen(function* () {
    const store = yield* ObjectStore
    const bytes = yield* Effect.promise(() => readFile(new URL(`../../../samples/${file}`, import.meta.url)))
    yield* store.put("insights-upload-perma", requestId, new Uint8Array(bytes))
  })

const keysOf = (bucket: string) =>
  Effect.flatMap(ObjectStore, (store) => Stream.runCollect(store.listAll(bucket))).pipe(
    Effect.map((chunk) => [...chunk].map((o) => o.key))
  )

describe("KokuStage", () => {
  it.effect("ships the sample: ROS CSVs under koku's keys, reports archived, one message, tarball kept", () =>
    withStage({}, (world) =>
      Effect.gen(function* () {
        yield* stageTarball("req-good", "cost-mgmt.tar.gz")
        const stage = yield* KokuStage
        yield* stage.process(upload("req-good"))

        const prefix = `org${ORG}/source=${source.providerUuid}/date=2026-11-26/`
        const uuid = "cff2d72a-83b2-4d32-8a13-b893dc5a04e7"
        const rosKeys = [
          `${prefix}${uuid}-ros-openshift-container-202608.4.csv`,
          `${prefix}${uuid}-ros-openshift-namespace-202608.5.csv`
        ]
        expect(yield* keysOf("ros-data")).toEqual(rosKeys)
        const reports = yield* keysOf("koku-bucket")
        expect(reports).toHaveLength(4)
        for (const key of reports) {
          expect(key).toMatch(
            new RegExp(`^data/csv/org${ORG}/openshift/source=${source.providerUuid}/year=2026/month=08/${uuid}-cm-`)
          )
        }
        expect(yield* keysOf("insights-upload-perm")).toEqual(["req-good"])

        expect(world.sent).toHaveLength(1)
        const [sent] = world.sent
        expect(sent?.topic).toBe("hccm.ros.events")
        expect(sent?.key).toBe(CLUSTER)
        expect(sent?.headers).toBeUndefined()
        const message = Schema.decodeUnknownSync(RosEventMessageJson)(sent?.value)
        expect(message.object_keys).toEqual(rosKeys)
        expect(message.files).toHaveLength(2)
        expect(message.metadata).toEqual({
          account: "no_account",
          org_id: ORG,
          source_id: "42",
          provider_uuid: source.providerUuid,
          cluster_uuid: CLUSTER,
          operator_version: "koku-metrics-operator:v4.1.0",
          cluster_alias: "prod-east"
        })
        expect(world.reports).toEqual([
          expect.objectContaining({
            requestId: "req-good",
            stage: "koku_processed",
            outcome: "done",
            clusterUuid: CLUSTER
          })
        ])
        expect(world.reports[0]?.detail).toMatchObject({ ros_files: 2, report_files: 4, object_keys: rosKeys })
        expect(yield* Effect.promise(() => readdir(world.spool))).toEqual([])
      })
    )
  )

  it.effect("refuses a hostile upload with the reason and writes nothing", () =>
    withStage({}, (world) =>
      Effect.gen(function* () {
        yield* stageTarball("req-evil", "hostile/path-traversal.tar.gz")
        yield* (yield* KokuStage).process(upload("req-evil"))
        expect(world.reports[0]).toMatchObject({ outcome: "failed", error: expect.stringMatching(/climbs out/) })
        expect(world.sent).toEqual([])
        for (const bucket of ["ros-data", "koku-bucket", "insights-upload-perm"])
          expect(yield* keysOf(bucket)).toEqual([])
        expect(yield* Effect.promise(() => readdir(world.spool))).toEqual([])
      })
    )
  )

  it.effect("records an unknown source, and an upload whose object is gone, as failed without output", () =>
    withStage({ findCostSource: () => Effect.succeed(Option.none()) }, (world) =>
      Effect.gen(function* () {
        yield* stageTarball("req-orphan", "cost-mgmt.tar.gz")
        const stage = yield* KokuStage
        yield* stage.process(upload("req-orphan"))
        yield* stage.process(upload("req-never-stored"))
        expect(world.reports.map((r) => [r.outcome, r.error])).toEqual([
          [
            "failed",
            expect.stringMatching(new RegExp(`no cost-management source for cluster ${CLUSTER} in org ${ORG}`))
          ],
          ["failed", expect.stringMatching(/not in the object store: insights-upload-perma\/req-never-stored/)]
        ])
        expect(world.reports[0]?.clusterUuid).toBe(CLUSTER)
        expect(world.sent).toEqual([])
        for (const bucket of ["ros-data", "koku-bucket", "insights-upload-perm"])
          expect(yield* keysOf(bucket)).toEqual([])
      })
    )
  )

  it.effect("leaves a passing failure to the consumer's retry, reporting nothing", () =>
    withStage(
      { findCostSource: () => Effect.fail(new SourcesUnavailable({ url: "http://x", message: "connection refused" })) },
      (world) =>
        Effect.gen(function* () {
          yield* stageTarball("req-wait", "cost-mgmt.tar.gz")
          const error = yield* (yield* KokuStage).process(upload("req-wait")).pipe(Effect.flip)
          expect(error._tag).toBe("SourcesUnavailable")
          expect(world.reports).toEqual([])
        })
    )
  )

  it.effect("removes what it wrote when the message cannot be sent, whether retried or refused", () =>
    Effect.gen(function* () {
      yield* withStage(
        { send: () => Effect.fail(new KafkaUnavailable({ operation: "send", message: "down" })) },
        (world) =>
          Effect.gen(function* () {
            yield* stageTarball("req-down", "cost-mgmt.tar.gz")
            const error = yield* (yield* KokuStage).process(upload("req-down")).pipe(Effect.flip)
            expect(error._tag).toBe("KafkaUnavailable")
            expect(world.reports).toEqual([])
            for (const bucket of ["ros-data", "koku-bucket", "insights-upload-perm"]) {
              expect(yield* keysOf(bucket)).toEqual([])
            }
          })
      )
      yield* withStage(
        { send: () => Effect.fail(new KafkaFailure({ operation: "send", message: "no such topic" })) },
        (world) =>
          Effect.gen(function* () {
            yield* stageTarball("req-refused", "cost-mgmt.tar.gz")
            yield* (yield* KokuStage).process(upload("req-refused"))
            expect(world.reports[0]).toMatchObject({ outcome: "failed", error: "Kafka refused send: no such topic" })
            for (const bucket of ["ros-data", "koku-bucket", "insights-upload-perm"]) {
              expect(yield* keysOf(bucket)).toEqual([])
            }
          })
      )
    })
  )

  it.effect("processes an upload without ROS files as skipped: reports archived, no message", () =>
    withStage({}, (world) =>
      Effect.gen(function* () {
        const { gzipSync } = yield* Effect.promise(() => import("node:zlib"))
        const { tarArchive } = yield* Effect.promise(() => import("../../../samples/Tarball.js"))
        const manifest = {
          uuid: "3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b",
          cluster_id: CLUSTER,
          version: "x",
          date: "2026-08-12T00:03:24Z",
          files: ["cost.csv"],
          resource_optimization_files: null
        }
        const tar = tarArchive([
          { name: "cost.csv", data: "a,b\n1,2\n", mtime: 0 },
          { name: "manifest.json", data: JSON.stringify(manifest), mtime: 0 }
        ])
        yield* (yield* ObjectStore).put("insights-upload-perma", "req-cost-only", new Uint8Array(gzipSync(tar)))
        yield* (yield* KokuStage).process(upload("req-cost-only"))
        expect(world.reports[0]).toMatchObject({ outcome: "skipped", detail: { ros_files: 0, report_files: 1 } })
        expect(world.sent).toEqual([])
        expect(yield* keysOf("ros-data")).toEqual([])
        expect(yield* keysOf("koku-bucket")).toHaveLength(1)
        expect(yield* keysOf("insights-upload-perm")).toEqual(["req-cost-only"])
      })
    )
  )
})
