/**
 * The koku stage for one announced upload (spec C.2, C.3, C.4): read the staged tarball, unpack and validate it
 * completely, find its source, then ship it and report `koku_processed` on the upload's status.
 *
 * No partial output: the tarball is unpacked into a temporary directory that lives as long as the upload's scope,
 * and nothing is written to a bucket or to Kafka until the archive has been read to its end, every entry has
 * passed the rules, the manifest has decoded, every listed file is there and every ROS file is a ROS CSV, and the
 * source is known. The shipper removes what it wrote if it fails before its message is out.
 *
 * What is wrong with the upload (a hostile or damaged archive, an unknown source, a request a server refuses) is
 * reported as failed and the message is done with. What is wrong with the infrastructure (S3, Kafka, the Sources
 * API or the local disk unavailable) fails the effect, so the consumer retries the message with backoff.
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect, Metric, Option, Schedule, Stream } from "effect"
import type { AnnounceMessage } from "../../schema/ingress/AnnounceMessage.js"
import type { StageOutcome } from "../../schema/uploads/UploadStatus.js"
import { ObjectStore } from "../services/ObjectStore.js"
import { BucketSettings, KokuSettings } from "../services/Settings.js"
import { UploadStatusRepo } from "../uploads/UploadStatusRepo.js"
import { extractArchive, SpoolFailed } from "./PayloadArchive.js"
import { checkPayload } from "./PayloadCheck.js"
import { PayloadRejected } from "./PayloadRejected.js"
import { RosShipper } from "./RosShipper.js"
import { SourcesClient } from "./SourcesClient.js"

const uploadsHandled = Metric.counter("ros_koku_uploads_total", {
  description: "Announced hccm uploads the koku stage finished, by outcome"
})

/** What became of an upload, as `koku_processed` records it. */
interface Verdict {
  readonly outcome: StageOutcome
  readonly detail: Readonly<Record<string, unknown>>
  readonly clusterUuid?: string
  readonly error?: string
}

const failed = (error: string, clusterUuid?: string): Verdict => ({
  outcome: "failed",
  detail: {},
  error,
  ...(clusterUuid === undefined ? {} : { clusterUuid })
})

/** Status writes wait out a database outage in place, so a shipped upload is never shipped twice for it. */
const statusRetry = Schedule.exponential("200 millis").pipe(
  Schedule.union(Schedule.spaced("30 seconds")),
  Schedule.jittered
)

export class KokuStage extends Effect.Service<KokuStage>()("ros/koku/KokuStage", {
  effect: Effect.gen(function* () {
    const store = yield* ObjectStore
    const sources = yield* SourcesClient
    const shipper = yield* RosShipper
    const status = yield* UploadStatusRepo
    const settings = yield* KokuSettings
    const buckets = yield* BucketSettings
    const limits = {
      maxEntries: settings.maxEntries,
      maxEntryBytes: settings.maxEntryBytes,
      maxTotalBytes: settings.maxTotalBytes,
      maxManifestBytes: settings.maxManifestBytes
    }
    const spoolRoot = Option.getOrElse(settings.spoolDirectory, () => tmpdir())

    /** A directory of our own for this upload, removed with everything in it when the scope closes. */
    const spoolDirectory = Effect.acquireRelease(
      Effect.tryPromise({
        try: () => mkdtemp(join(spoolRoot, "ros-koku-")),
        catch: (e) => new SpoolFailed({ operation: "mkdtemp", path: spoolRoot, message: String(e) })
      }),
      (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
    )

    /** The staged tarball's bytes (ingress stores it under its request id). */
    const tarball = (requestId: string) =>
      store.get(buckets.uploads, requestId).pipe(
        Effect.catchTag("ObjectNotFound", (e) =>
          Effect.fail(new PayloadRejected({ problem: "upload_missing", detail: `${e.bucket}/${e.key}` }))
        ),
        Effect.flatMap((got) =>
          got.info.size === 0
            ? Stream.runDrain(got.body).pipe(
                Effect.zipRight(Effect.fail(new PayloadRejected({ problem: "empty_upload", detail: "" })))
              )
            : Effect.succeed(got.body)
        )
      )

    const unpackAndShip = (upload: AnnounceMessage) =>
      Effect.gen(function* () {
        const directory = yield* spoolDirectory
        const body = yield* tarball(upload.request_id)
        const archive = yield* extractArchive(body, directory, limits).pipe(Effect.withSpan("KokuStage.extract"))
        const payload = yield* checkPayload(archive, settings)
        const clusterUuid = payload.manifest.cluster_id
        yield* Effect.annotateLogs(Effect.logDebug("archive validated"), {
          clusterUuid,
          entries: archive.entries,
          bytes: archive.bytes
        })
        const source = yield* sources.findCostSource({
          orgId: upload.org_id,
          account: upload.account,
          clusterId: clusterUuid
        })
        if (Option.isNone(source)) {
          return failed(
            `no cost-management source for cluster ${clusterUuid} in org ${upload.org_id}: create an OpenShift ` +
              "source whose source_ref is the cluster id, with the cost-management application",
            clusterUuid
          )
        }
        const shipped = yield* shipper.ship({ upload, payload, source: source.value })
        const detail = {
          source_id: source.value.sourceId,
          provider_uuid: source.value.providerUuid,
          manifest_uuid: payload.manifest.uuid,
          ros_files: shipped.rosKeys.length,
          report_files: shipped.reportKeys.length,
          object_keys: shipped.rosKeys,
          published: shipped.published,
          ...(payload.absent.length === 0 ? {} : { absent_files: payload.absent }),
          ...(payload.unlisted.length === 0 ? {} : { unlisted_files: payload.unlisted })
        }
        const verdict: Verdict =
          shipped.rosKeys.length === 0
            ? {
                outcome: "skipped",
                detail: { ...detail, reason: "the manifest lists no resource-optimization files" },
                clusterUuid
              }
            : { outcome: "done", detail, clusterUuid }
        return verdict
      }).pipe(
        Effect.scoped,
        Effect.catchTags({
          PayloadRejected: (e) => Effect.succeed(failed(e.message)),
          SourcesRejected: (e) =>
            Effect.succeed(failed(`the Sources API refused the source lookup (${e.status ?? "?"}): ${e.message}`)),
          ObjectStoreFailure: (e) => Effect.succeed(failed(`the object store refused ${e.operation}: ${e.message}`)),
          ObjectNotFound: (e) => Effect.succeed(failed(`object ${e.bucket}/${e.key} disappeared while shipping`)),
          KafkaFailure: (e) => Effect.succeed(failed(`Kafka refused ${e.operation}: ${e.message}`))
        })
      )

    /** Handles one announced upload; fails only with what is worth retrying. */
    const process = Effect.fn("KokuStage.process")(
      function* (upload: AnnounceMessage) {
        yield* Effect.annotateCurrentSpan({ requestId: upload.request_id, orgId: upload.org_id })
        const verdict = yield* unpackAndShip(upload)
        yield* status
          .report({
            requestId: upload.request_id,
            stage: "koku_processed",
            outcome: verdict.outcome,
            detail: verdict.detail,
            ...(verdict.clusterUuid === undefined ? {} : { clusterUuid: verdict.clusterUuid }),
            ...(verdict.error === undefined ? {} : { error: verdict.error })
          })
          .pipe(
            Effect.tapError((e) => Effect.logWarning("upload status not written yet; retrying", e.message)),
            Effect.retry(statusRetry)
          )
        yield* Metric.update(uploadsHandled.pipe(Metric.tagged("outcome", verdict.outcome)), 1)
        yield* verdict.outcome === "failed"
          ? Effect.logWarning("upload not shipped to ROS", verdict.error ?? "")
          : Effect.logInfo(`upload ${verdict.outcome === "done" ? "shipped to ROS" : "processed without ROS files"}`)
      },
      (effect, upload) => Effect.annotateLogs(effect, { requestId: upload.request_id, orgId: upload.org_id })
    )

    return { process } as const
  }),
  dependencies: [SourcesClient.Default, RosShipper.Default]
}) {}
