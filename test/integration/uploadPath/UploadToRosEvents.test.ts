/**
 * Issue 4's "done when", end to end on the real Kafka, S3 and PostgreSQL: the sources, ingress and koku roles
 * started for real in this process (scratch databases, free ports, settings through ConfigProvider), wired as in
 * a deployment: ingress and koku share the `ros` database and the announce topic, koku asks the Sources API over
 * HTTP. The topics are the koku harness's fresh ones (INGRESS_KAFKAANNOUNCETOPIC and UPLOAD_TOPIC set for both
 * roles), so nothing else reads these uploads and hccm.ros.events is read from its start.
 *
 * An OpenShift source with the cost-management application is registered through the Sources API for the
 * sample's cluster (from its manifest) in org 3340851; samples/cost-mgmt.tar.gz is uploaded with curl as the seed
 * does it; the track endpoint then shows received, stored, announced and koku_processed done, and hccm.ros.events
 * holds the upload's message in koku's format, whose presigned URLs download the ROS CSVs. An upload for a
 * cluster with no source goes through the same chain and ends as koku_processed failed with a readable reason,
 * and no message.
 */
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, layer } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Context, Effect, Encoding, Exit, Layer, Ref, Schedule, Schema, Scope, Stream } from "effect"
import { operatorPayload, payloadTarGz } from "../../../samples/OperatorPayload.js"
import { ContainerColumns37, NamespaceColumns, sampleOptions } from "../../../samples/SampleData.js"
import { RosEventMessageJson } from "../../../schema/koku/RosEventMessage.js"
import { UploadTrack } from "../../../schema/uploads/UploadStatus.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import { call, curlUpload, sha256, startIngress, upload } from "../../support/ingressHarness.js"
import { createCostSource, kokuOn, kokuTopics, rosEventReader } from "../../support/kokuHarness.js"
import { scratchDatabaseName } from "../../support/scratchDatabase.js"
import { sourcesOn } from "../../support/sourcesHarness.js"
import { readTarGz } from "../../unit/samples/TarReader.js"

const ORG = "3340851"
const ACCOUNT = "12345"
/** The seed's identity: no `type`, the org only under `internal`. */
const IDENTITY = Encoding.encodeBase64(
  JSON.stringify({ identity: { account_number: ACCOUNT, internal: { org_id: ORG } } })
)
/** The type the seed's curl gives the file part. */
const SEED_TYPE = "application/vnd.redhat.hccm.filename+tgz"
const SAMPLE_PATH = fileURLToPath(new URL("../../../samples/cost-mgmt.tar.gz", import.meta.url))
const sampleBytes = readFileSync(SAMPLE_PATH)
/** Both the track polling and the wait for hccm.ros.events. */
const BOUND = "60 seconds"

interface SampleManifest {
  readonly cluster_id: string
  readonly resource_optimization_files: ReadonlyArray<string>
}

class Suite extends Context.Tag("test/UploadPathSuite")<
  Suite,
  {
    readonly ingressUrl: string
    readonly events: Effect.Effect.Success<ReturnType<typeof rosEventReader>>
    readonly manifest: SampleManifest
    readonly entries: ReadonlyMap<string, Buffer>
    readonly source: { readonly id: string; readonly uid: string; readonly name: string }
    /** Prefix of every request id of this run (their processed tarballs are removed by it). */
    readonly runId: string
  }
>() {}

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** Deletes every object under `prefix` (test clean-up; failures only logged). */
const removeUnder = (bucket: string, prefix: string) =>
  Effect.gen(function* () {
    const store = yield* ObjectStore
    const keys = yield* Stream.runCollect(store.listAll(bucket, prefix))
    yield* Effect.forEach(keys, (o) => store.delete(bucket, o.key), { discard: true, concurrency: 4 })
  }).pipe(Effect.catchAllCause((cause) => Effect.logWarning(`test objects under ${bucket}/${prefix} remain`, cause)))

const SuiteLive = Layer.scoped(
  Suite,
  Effect.gen(function* () {
    const tar = yield* readTarGz(sampleBytes, 64 * 1024 * 1024)
    const entries = new Map(tar.entries.map((e) => [e.header.name, e.data]))
    const manifest = JSON.parse(entries.get("manifest.json")?.toString("utf8") ?? "{}") as SampleManifest

    const sourcesDatabase = yield* scratchDatabaseName("sources_upload_path")
    const sources = yield* sourcesOn(sourcesDatabase)
    const sourcesScope = yield* sources.start
    yield* Effect.addFinalizer(() => Scope.close(sourcesScope, Exit.void))

    // One announce topic for both roles; koku on the database ingress created, so the track shows its stage.
    const topics = yield* kokuTopics
    const ingress = yield* startIngress({ INGRESS_KAFKAANNOUNCETOPIC: topics.announce })
    const kokuScope = yield* kokuOn({ rosDatabase: ingress.database, sourcesUrl: sources.url, topics }).start
    yield* Effect.addFinalizer(() => Scope.close(kokuScope, Exit.void))
    const events = yield* rosEventReader(topics.rosEvents)

    const source = yield* createCostSource(sources.url, IDENTITY, manifest.cluster_id, unique("e2e-cluster"))
    const runId = unique("e2e")
    // Runs first: what koku wrote for this run's source and uploads leaves the shared buckets.
    yield* Effect.addFinalizer(() =>
      Effect.all(
        [
          removeUnder("ros-data", `org${ORG}/source=${source.uid}/`),
          removeUnder("koku-bucket", `data/csv/org${ORG}/openshift/source=${source.uid}/`),
          removeUnder("insights-upload-perm", runId)
        ],
        { discard: true }
      )
    )
    return { ingressUrl: ingress.url, events, manifest, entries, source, runId }
  })
).pipe(Layer.provideMerge(Layer.mergeAll(Kafka.layer, ObjectStore.layer)))

/**
 * GET /api/ingress/v1/track/{id} every 500 ms until the koku stage has written its outcome (BOUND at most); the
 * failure names the last answer.
 */
const trackUntilKoku = (url: string, requestId: string) =>
  Effect.gen(function* () {
    const last = yield* Ref.make("no answer yet")
    const poll = call(url, "GET", `/api/ingress/v1/track/${requestId}`, { identity: IDENTITY }).pipe(
      Effect.tap((answer) => Ref.set(last, `${answer.status} ${answer.text}`)),
      Effect.flatMap((answer) =>
        answer.status === 200 ? Schema.decodeUnknown(UploadTrack)(answer.body).pipe(Effect.orDie) : Effect.fail("wait")
      ),
      Effect.filterOrFail((track) => track.events.some((e) => e.stage === "koku_processed"))
    )
    return yield* poll.pipe(
      Effect.retry(Schedule.spaced("500 millis")),
      Effect.timeoutFail({ duration: BOUND, onTimeout: () => "timeout" as const }),
      Effect.catchAll(() =>
        Effect.flatMap(Ref.get(last), (answer) =>
          Effect.dieMessage(`no koku_processed outcome for ${requestId} within ${BOUND}; last track: ${answer}`)
        )
      )
    )
  })

/**
 * Each stage's outcome. Not a list: ingress writes `announced` once Kafka has acknowledged the message, and koku may
 * in principle record its outcome first. One event per stage: a repeated stage fails the check.
 */
const outcomes = (track: UploadTrack) => {
  const byStage = Object.fromEntries(track.events.map((e) => [e.stage, e.outcome]))
  return Object.keys(byStage).length === track.events.length ? byStage : track.events
}

const csvHeader = (bytes: Buffer): ReadonlyArray<string> => {
  const firstLine = bytes.subarray(0, bytes.indexOf(0x0a)).toString("utf8")
  return (parse(firstLine) as Array<Array<string>>)[0] ?? []
}

describe("upload path: ingress → koku stage → hccm.ros.events, with the Sources API", () => {
  layer(SuiteLive, { excludeTestServices: true, timeout: "180 seconds" })((it) => {
    it.effect("done when: curl upload of the sample → 202, track shows koku done, a message with working URLs", () =>
      Effect.gen(function* () {
        const suite = yield* Suite
        const requestId = `${suite.runId}-sample`
        const t0 = Date.now()
        const answer = yield* curlUpload(suite.ingressUrl, SAMPLE_PATH, IDENTITY, requestId)
        const accepted = Date.now()
        expect(answer.status).toBe(202)
        expect(JSON.parse(answer.body)).toEqual({
          request_id: requestId,
          upload: { account_number: ACCOUNT, org_id: ORG }
        })

        const track = yield* trackUntilKoku(suite.ingressUrl, requestId)
        const tracked = Date.now()
        expect(outcomes(track)).toEqual({ received: "done", stored: "done", announced: "done", koku_processed: "done" })
        expect([track.stage, track.status, track.error, track.org_id, track.cluster_uuid]).toEqual([
          "koku_processed",
          "in_progress",
          null,
          ORG,
          suite.manifest.cluster_id
        ])
        expect(track.events.find((e) => e.stage === "koku_processed")?.detail).toMatchObject({
          ros_files: 2,
          source_id: suite.source.id
        })

        const { event } = yield* suite.events.next(requestId)
        const delivered = Date.now()
        // The spec's fields (C.4), in koku's order, key = the cluster.
        const raw = JSON.parse(event.text) as Record<string, unknown>
        expect(Object.keys(raw)).toEqual(["request_id", "b64_identity", "metadata", "files", "object_keys"])
        expect(Object.keys(raw.metadata as object)).toEqual([
          "account",
          "org_id",
          "source_id",
          "provider_uuid",
          "cluster_uuid",
          "operator_version",
          "cluster_alias"
        ])
        expect(event.key).toBe(suite.manifest.cluster_id)
        const message = Schema.decodeUnknownSync(RosEventMessageJson)(event.text)
        expect(message.request_id).toBe(requestId)
        expect(message.b64_identity).toBe(IDENTITY)
        expect(message.metadata).toEqual({
          account: ACCOUNT,
          org_id: ORG,
          source_id: suite.source.id,
          provider_uuid: suite.source.uid,
          cluster_uuid: suite.manifest.cluster_id,
          operator_version: "koku-metrics-operator:v4.1.0",
          cluster_alias: suite.source.name
        })
        expect(message.object_keys.map((key) => key.replace(/^.*\//, ""))).toEqual(
          suite.manifest.resource_optimization_files
        )
        for (const key of message.object_keys) {
          expect(key).toMatch(new RegExp(`^org${ORG}/source=${suite.source.uid}/date=\\d{4}-\\d{2}-\\d{2}/`))
        }

        // Each URL, fetched with nothing but fetch, is the CSV from the tarball: the container file with the 37
        // columns ROS requires, the namespace file with its 25.
        expect(message.files).toHaveLength(message.object_keys.length)
        const headers: Array<ReadonlyArray<string>> = []
        for (const [i, url] of message.files.entries()) {
          const name = suite.manifest.resource_optimization_files[i] ?? ""
          const response = yield* Effect.promise(() => fetch(url))
          expect(response.status, url).toBe(200)
          const body = Buffer.from(yield* Effect.promise(() => response.arrayBuffer()))
          expect(sha256(body), name).toBe(sha256(suite.entries.get(name) ?? Buffer.alloc(0)))
          headers.push(csvHeader(body))
        }
        expect(headers).toEqual([[...ContainerColumns37], [...NamespaceColumns]])
        expect(headers[0]).toHaveLength(37)

        console.info(
          `upload path timings: 202 after ${accepted - t0} ms; track shows koku_processed done after ` +
            `${tracked - t0} ms; hccm.ros.events message read after ${delivered - t0} ms`
        )
      })
    )

    it.effect("an upload whose cluster has no source: koku_processed failed with the reason, no message", () =>
      Effect.gen(function* () {
        const suite = yield* Suite
        const orphanCluster = "5f0c7a52-0d8e-4c36-9a55-6f3b2e1d4c70"
        const orphan = payloadTarGz(operatorPayload(sampleOptions({ days: 1, clusterId: orphanCluster })))
        const requestId = `${suite.runId}-no-source`
        const answer = yield* upload(suite.ingressUrl, {
          identity: IDENTITY,
          headers: { "x-rh-request-id": requestId },
          file: { bytes: orphan, type: SEED_TYPE }
        })
        expect([answer.status, (answer.body as { request_id?: string }).request_id]).toEqual([202, requestId])

        const track = yield* trackUntilKoku(suite.ingressUrl, requestId)
        expect(outcomes(track)).toEqual({
          received: "done",
          stored: "done",
          announced: "done",
          koku_processed: "failed"
        })
        expect([track.status, track.stage, track.cluster_uuid]).toEqual(["failed", "koku_processed", orphanCluster])
        expect(track.error).toEqual({
          stage: "koku_processed",
          message:
            `no cost-management source for cluster ${orphanCluster} in org ${ORG}: create an OpenShift source ` +
            "whose source_ref is the cluster id, with the cost-management application"
        })

        // A marker through the same chain, for the cluster that has a source: koku reads the announce topic (one
        // partition) in order, so a message for the orphan would have been published before the marker's.
        const markerId = `${suite.runId}-marker`
        const marker = yield* upload(suite.ingressUrl, {
          identity: IDENTITY,
          headers: { "x-rh-request-id": markerId },
          file: { bytes: payloadTarGz(operatorPayload(sampleOptions({ days: 1 }))), type: SEED_TYPE }
        })
        expect(marker.status).toBe(202)
        const { before } = yield* suite.events.next(markerId)
        const after = yield* suite.events.pending
        expect([...before, ...after].map((e) => e.requestId)).not.toContain(requestId)
      })
    )
  })
})
