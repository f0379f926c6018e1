/**
 * The koku role on the real Kafka, S3 and PostgreSQL, asking the real sources role (started here on a throw-away
 * database): an operator upload staged as ingress stages it becomes ROS CSVs in ros-data under koku's keys, the
 * reports in koku-bucket, one hccm.ros.events message in koku's exact JSON whose URLs download the CSVs, the
 * tarball in insights-upload-perm and `koku_processed` done. Every hostile archive and an unknown source are
 * recorded as failed with a clear reason and leave no object and no message; a Sources API that is down is
 * waited for.
 */

import { randomUUID } from "node:crypto"
import { readFileSync } from "node:fs"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Option, Schema, Scope, Stream } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { type PythonJsonValue, pythonJsonDumps } from "../../../schema/koku/PythonJson.js"
import { RosEventMessageJson } from "../../../schema/koku/RosEventMessage.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { ObjectStore } from "../../../src/services/ObjectStore.js"
import { UploadStatusRepo } from "../../../src/uploads/UploadStatusRepo.js"
import {
  announce,
  createCostSource,
  kokuOn,
  kokuOutcome,
  kokuTopics,
  rosEventReader
} from "../../support/kokuHarness.js"
import { unusedPort } from "../../support/ports.js"
import { databaseClient, scratchDatabaseName } from "../../support/scratchDatabase.js"
import { sourcesOn } from "../../support/sourcesHarness.js"
import { readTarGz } from "../../unit/samples/TarReader.js"

const CLUSTER = "136212d4-b6cf-4271-b904-26dcf46a89d1"
const sampleBytes = readFileSync(new URL("../../../samples/cost-mgmt.tar.gz", import.meta.url))
const hostileBytes = (name: string) => readFileSync(new URL(`../../../samples/hostile/${name}`, import.meta.url))

const orgId = () => String(7_000_000_000 + Math.floor(Math.random() * 999_999_999))

interface Tenant {
  readonly orgId: string
  readonly identity: string
}

const tenant = (): Tenant => {
  const id = orgId()
  return { orgId: id, identity: makeIdentityHeader({ orgId: id }) }
}

class Suite extends Context.Tag("test/KokuSuite")<
  Suite,
  {
    readonly sourcesUrl: string
    readonly sourcesDatabase: string
    /** The suite role's announce topic (one partition). */
    readonly announceTopic: string
    readonly rosDatabase: string
    readonly repo: UploadStatusRepo
    readonly events: Effect.Effect.Success<ReturnType<typeof rosEventReader>>
    /** Has a cost source for the sample's cluster. */
    readonly owner: Tenant
    readonly source: { readonly id: string; readonly uid: string; readonly name: string }
  }
>() {}

const SuiteLive = Layer.scoped(
  Suite,
  Effect.gen(function* () {
    const sourcesDatabase = yield* scratchDatabaseName("sources_koku")
    const sources = yield* sourcesOn(sourcesDatabase)
    const sourcesScope = yield* sources.start
    yield* Effect.addFinalizer(() => Scope.close(sourcesScope, Exit.void))

    const rosDatabase = yield* scratchDatabaseName("ros_koku")
    const topics = yield* kokuTopics
    const koku = kokuOn({ rosDatabase, sourcesUrl: sources.url, topics })
    const kokuScope = yield* koku.start
    yield* Effect.addFinalizer(() => Scope.close(kokuScope, Exit.void))

    // Built after the role, whose database layer has migrated the scratch database by now.
    const repo = yield* Layer.build(UploadStatusRepo.Default.pipe(Layer.provide(databaseClient(rosDatabase)))).pipe(
      Effect.map((context) => Context.get(context, UploadStatusRepo))
    )
    const events = yield* rosEventReader(topics.rosEvents)
    const owner = tenant()
    const source = yield* createCostSource(sources.url, owner.identity, CLUSTER, `cluster ${owner.orgId}`)
    return {
      sourcesUrl: sources.url,
      sourcesDatabase,
      announceTopic: topics.announce,
      rosDatabase,
      repo,
      events,
      owner,
      source
    }
  })
).pipe(Layer.provideMerge(Layer.mergeAll(Kafka.layer, ObjectStore.layer)))

/** Stages `bytes` as ingress would, records it as received, and announces it on `topic`. */
const upload = (topic: string, who: Tenant, bytes: Uint8Array, options: { readonly service?: string } = {}) =>
  Effect.gen(function* () {
    const { repo } = yield* Suite
    const requestId = randomUUID()
    yield* (yield* ObjectStore).put("insights-upload-perma", requestId, bytes, { contentType: "application/gzip" })
    yield* repo.received({ requestId, orgId: who.orgId }).pipe(Effect.orDie)
    yield* announce(topic, {
      requestId,
      orgId: who.orgId,
      identity: who.identity,
      size: bytes.length,
      ...(options.service === undefined ? {} : { service: options.service })
    })
    return requestId
  })

const keysUnder = (bucket: string, prefix: string) =>
  Effect.flatMap(ObjectStore, (store) => Stream.runCollect(store.listAll(bucket, prefix))).pipe(
    Effect.map((chunk) => [...chunk].map((o) => o.key)),
    Effect.orDie
  )

const exists = (bucket: string, key: string) =>
  Effect.flatMap(ObjectStore, (store) => store.head(bucket, key)).pipe(
    Effect.as(true),
    Effect.catchTag("ObjectNotFound", () => Effect.succeed(false)),
    Effect.orDie
  )

const today = () => new Date().toISOString().slice(0, 10)

describe("koku role on the real servers", () => {
  layer(SuiteLive, { excludeTestServices: true, timeout: "180 seconds" })((it) => {
    it.effect("ships the sample upload: ROS CSVs, reports, the message, the tarball, the status", () =>
      Effect.gen(function* () {
        const suite = yield* Suite
        const topic = suite.announceTopic
        const dayBefore = today()
        const requestId = yield* upload(topic, suite.owner, sampleBytes)
        const { event, before } = yield* suite.events.next(requestId)
        expect(before).toEqual([])
        const dayAfter = today()

        // koku's exact JSON: Python's separators and escapes, koku's key order, key = cluster uuid, no headers.
        const parsed = JSON.parse(event.text) as Record<string, PythonJsonValue>
        expect(event.text).toBe(pythonJsonDumps(parsed))
        expect(Object.keys(parsed)).toEqual(["request_id", "b64_identity", "metadata", "files", "object_keys"])
        expect(Object.keys(parsed.metadata as object)).toEqual([
          "account",
          "org_id",
          "source_id",
          "provider_uuid",
          "cluster_uuid",
          "operator_version",
          "cluster_alias"
        ])
        expect(event.key).toBe(CLUSTER)
        expect(event.headers).toEqual({})
        const message = Schema.decodeUnknownSync(RosEventMessageJson)(event.text)
        expect(message.request_id).toBe(requestId)
        expect(message.b64_identity).toBe(suite.owner.identity)
        expect(message.metadata).toEqual({
          account: "no_account",
          org_id: suite.owner.orgId,
          source_id: suite.source.id,
          provider_uuid: suite.source.uid,
          cluster_uuid: CLUSTER,
          operator_version: "koku-metrics-operator:v4.1.0",
          cluster_alias: suite.source.name
        })

        // object_keys: koku's naming, in manifest order; files: presigned URLs that download those very bytes.
        const tar = yield* readTarGz(sampleBytes, 64 * 1024 * 1024)
        const manifest = JSON.parse(
          tar.entries.find((e) => e.header.name === "manifest.json")?.data.toString("utf8") ?? "{}"
        ) as { resource_optimization_files: ReadonlyArray<string>; files: ReadonlyArray<string> }
        const day = message.object_keys[0]?.match(/date=(\d{4}-\d{2}-\d{2})\//)?.[1] ?? ""
        expect([dayBefore, dayAfter]).toContain(day)
        expect(message.object_keys).toEqual(
          manifest.resource_optimization_files.map(
            (name) => `org${suite.owner.orgId}/source=${suite.source.uid}/date=${day}/${name}`
          )
        )
        expect(message.files).toHaveLength(message.object_keys.length)
        for (const [i, url] of message.files.entries()) {
          const name = manifest.resource_optimization_files[i] ?? ""
          const original = tar.entries.find((e) => e.header.name === name)?.data
          const response = yield* Effect.promise(() => fetch(url))
          expect(response.status, url).toBe(200)
          const fetched = Buffer.from(yield* Effect.promise(() => response.arrayBuffer()))
          expect(original?.equals(fetched), name).toBe(true)
          const stored = yield* (yield* ObjectStore)
            .getBytes("ros-data", message.object_keys[i] ?? "")
            .pipe(Effect.orDie)
          expect(original?.equals(Buffer.from(stored)), name).toBe(true)
        }

        const reports = yield* keysUnder("koku-bucket", `data/csv/org${suite.owner.orgId}/`)
        expect(reports.sort()).toEqual(
          manifest.files
            .map(
              (name) =>
                `data/csv/org${suite.owner.orgId}/openshift/source=${suite.source.uid}/year=2026/month=08/${name}`
            )
            .sort()
        )
        const processed = yield* (yield* ObjectStore).head("insights-upload-perm", requestId).pipe(Effect.orDie)
        expect(processed.size).toBe(sampleBytes.length)

        const { event: status, track } = yield* kokuOutcome(suite.repo, requestId, suite.owner.orgId)
        expect(status.outcome).toBe("done")
        expect(status.detail).toMatchObject({ ros_files: 2, report_files: 4, source_id: suite.source.id })
        expect(track.cluster_uuid).toBe(CLUSTER)
        expect(track.status).toBe("in_progress")
        expect(track.error).toBeNull()
      })
    )

    it.effect("records every hostile archive and an unknown source as failed, writing nothing", () =>
      Effect.gen(function* () {
        const suite = yield* Suite
        const topic = suite.announceTopic
        const hostile = yield* Effect.sync(tenant)
        yield* createCostSource(suite.sourcesUrl, hostile.identity, CLUSTER, `hostile ${hostile.orgId}`)
        const expected: ReadonlyArray<readonly [string, RegExp]> = [
          ["path-traversal.tar.gz", /unsafe entry: "\.\.\/evil\.csv" climbs out of the archive/],
          ["absolute-path.tar.gz", /unsafe entry: "\/tmp\/evil\.csv" is an absolute path/],
          ["symlink.tar.gz", /not a regular file: .* is a symbolic link to "\/etc\/passwd"/],
          ["hardlink.tar.gz", /not a regular file: .* is a hard link to "\/etc\/passwd"/],
          ["not-gzip.tar.gz", /not gzip-compressed/],
          ["uncompressed-tar.tar.gz", /not gzip-compressed/],
          ["truncated-gzip.tar.gz", /truncated or corrupt: the compressed data ends before the gzip trailer/],
          ["missing-listed-file.tar.gz", /lists files the archive does not hold: .*ros-openshift-container/],
          ["manifest-not-json.tar.gz", /manifest\.json is invalid: .*JSON/],
          ["absurd-size.tar.gz", /entry is too large: .* declares 1099511627776 bytes/],
          ["entry-count-bomb.tar.gz", /too many entries: more than 1000 entries/],
          ["gzip-bomb.tar.gz", /entry is too large: .* declares 268435456 bytes/],
          ["missing-manifest.tar.gz", /^the archive has no manifest\.json at its root$/],
          ["missing-column.tar.gz", /not a ROS CSV: .*lacks the container column\(s\) cpu_usage_container_avg/]
        ]
        const requests = yield* Effect.forEach(expected, ([name, reason]) =>
          Effect.map(upload(topic, hostile, hostileBytes(name)), (requestId) => ({ name, reason, requestId }))
        )
        const stranger = yield* Effect.sync(tenant)
        const orphan = yield* upload(topic, stranger, sampleBytes)

        for (const { name, reason, requestId } of requests) {
          const { event, track } = yield* kokuOutcome(suite.repo, requestId, hostile.orgId)
          expect(event.outcome, name).toBe("failed")
          expect(track.status, name).toBe("failed")
          expect(track.error?.stage, name).toBe("koku_processed")
          expect(track.error?.message, name).toMatch(reason)
          expect(yield* exists("insights-upload-perm", requestId), name).toBe(false)
        }
        const unknown = yield* kokuOutcome(suite.repo, orphan, stranger.orgId)
        expect(unknown.event.outcome).toBe("failed")
        expect(unknown.track.error?.message).toBe(
          `no cost-management source for cluster ${CLUSTER} in org ${stranger.orgId}: create an OpenShift source ` +
            "whose source_ref is the cluster id, with the cost-management application"
        )
        expect(unknown.track.cluster_uuid).toBe(CLUSTER)
        expect(yield* exists("insights-upload-perm", orphan)).toBe(false)

        for (const who of [hostile, stranger]) {
          expect(yield* keysUnder("ros-data", `org${who.orgId}/`)).toEqual([])
          expect(yield* keysUnder("koku-bucket", `data/csv/org${who.orgId}/`)).toEqual([])
        }

        // The marker: wrong-types is shipped (its bad cells are the processor's to drop). Announced after every
        // outcome above was recorded, its message comes after any they could have sent, on the same partition
        // (same cluster key): nothing came before it.
        const marker = yield* upload(topic, hostile, hostileBytes("wrong-types.tar.gz"))
        const { before } = yield* suite.events.next(marker)
        expect(before).toEqual([])
        expect((yield* kokuOutcome(suite.repo, marker, hostile.orgId)).event.outcome).toBe("done")
      })
    )

    it.effect("commits poison and other services' uploads without effect and goes on", () =>
      Effect.gen(function* () {
        const suite = yield* Suite
        const topic = suite.announceTopic
        const kafka = yield* Kafka
        yield* kafka.send([
          { topic, value: "{not json", headers: { service: "hccm" } },
          { topic, value: JSON.stringify({ request_id: "x" }), headers: { service: "hccm" } }
        ])
        const advisor = yield* upload(topic, suite.owner, sampleBytes, { service: "advisor" })
        const after = yield* upload(topic, suite.owner, sampleBytes)
        yield* suite.events.next(after)
        expect((yield* kokuOutcome(suite.repo, after, suite.owner.orgId)).event.outcome).toBe("done")
        // The announce topic has one partition: the advisor upload was handled (ignored) before this one.
        const track = yield* suite.repo.track(advisor, suite.owner.orgId).pipe(Effect.orDie)
        expect(Option.map(track, (t) => t.events.map((e) => e.stage))).toEqual(Option.some(["received"]))
        expect(yield* exists("insights-upload-perm", advisor)).toBe(false)
      })
    )

    it.effect("waits for a Sources API that is down, then ships", () =>
      Effect.gen(function* () {
        const suite = yield* Suite
        const port = yield* unusedPort
        const topics = yield* kokuTopics
        const koku = kokuOn({ rosDatabase: suite.rosDatabase, sourcesUrl: `http://127.0.0.1:${port}`, topics })
        const kokuScope = yield* koku.start
        yield* Effect.addFinalizer(() => Scope.close(kokuScope, Exit.void))
        const events = yield* rosEventReader(topics.rosEvents)

        const requestId = yield* upload(topics.announce, suite.owner, sampleBytes)
        // While nothing answers, the upload is neither shipped nor recorded: it is retried.
        const early = yield* events.next(requestId).pipe(Effect.timeout("4 seconds"), Effect.option)
        expect(Option.isNone(early)).toBe(true)
        const track = yield* suite.repo.track(requestId, suite.owner.orgId).pipe(Effect.orDie)
        expect(Option.map(track, (t) => t.events.map((e) => e.stage))).toEqual(Option.some(["received"]))

        const sources = yield* sourcesOn(suite.sourcesDatabase, { SOURCES_PORT: String(port) })
        const sourcesScope = yield* sources.start
        yield* Effect.addFinalizer(() => Scope.close(sourcesScope, Exit.void))
        const { event } = yield* events.next(requestId)
        expect(Schema.decodeUnknownSync(RosEventMessageJson)(event.text).metadata.source_id).toBe(suite.source.id)
        expect((yield* kokuOutcome(suite.repo, requestId, suite.owner.orgId)).event.outcome).toBe("done")
      }).pipe(Effect.scoped)
    )
  })
})
