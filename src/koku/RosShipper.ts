/**
 * Everything the koku stage writes for one validated upload, in this order:
 *
 * 1. each ROS CSV to the ROS bucket at koku's key `<schema>/source=<provider_uuid>/date=<today UTC>/<file>`
 *    (spec C.3, with koku's `x-amz-meta-manifestid`);
 * 2. each cost report file to the koku bucket at
 *    `data/csv/<schema>/openshift/source=<provider_uuid>/year=<YYYY>/month=<MM>/<file>` (the month of the
 *    manifest's `start`, else of its `date`), modelled on where koku keeps an OpenShift provider's CSVs;
 * 3. when there is at least one ROS file, one hccm.ros.events message (spec C.4) with presigned GET URLs, keyed by
 *    the cluster uuid so that one cluster's uploads stay in order;
 * 4. the tarball itself, copied from the upload bucket to the processed-uploads bucket under its request id.
 *
 * Objects written before the message is sent are deleted again if anything fails before it is sent, so a failed
 * upload leaves nothing behind. Once the message is out its files must stay (the processor is fetching them);
 * a later failure is retried, and a retry writes the same keys again.
 */
import { createReadStream } from "node:fs"
import { NodeStream } from "@effect/platform-node"
import { DateTime, Effect, Ref } from "effect"
import { makeIdentityHeader } from "../../schema/identity/Identity.js"
import type { AnnounceMessage } from "../../schema/ingress/AnnounceMessage.js"
import { encodeRosEvent, type RosEventMessage } from "../../schema/koku/RosEventMessage.js"
import { Kafka } from "../services/Kafka.js"
import { ObjectStore } from "../services/ObjectStore.js"
import { BucketSettings, KafkaSettings } from "../services/Settings.js"
import { operatorVersion } from "./OperatorVersions.js"
import type { SpooledFile } from "./PayloadArchive.js"
import { SpoolFailed } from "./PayloadArchive.js"
import type { CheckedPayload } from "./PayloadCheck.js"
import type { CostSource } from "./SourcesClient.js"

export interface Shipment {
  readonly upload: AnnounceMessage
  readonly payload: CheckedPayload
  readonly source: CostSource
}

export interface Shipped {
  /** ROS bucket keys, in manifest order (the message's `object_keys`). */
  readonly rosKeys: ReadonlyArray<string>
  readonly reportKeys: ReadonlyArray<string>
  /** Whether hccm.ros.events was sent (only when there are ROS files). */
  readonly published: boolean
  readonly processedKey: string
}

/** koku's tenant schema name for an org (`org1234567`). */
export const schemaName = (orgId: string): string => `org${orgId}`

export const rosObjectKey = (orgId: string, providerUuid: string, day: string, file: string): string =>
  `${schemaName(orgId)}/source=${providerUuid}/date=${day}/${file}`

export const reportObjectKey = (orgId: string, providerUuid: string, month: Date, file: string): string => {
  const year = month.getUTCFullYear().toString().padStart(4, "0")
  const mm = (month.getUTCMonth() + 1).toString().padStart(2, "0")
  return `data/csv/${schemaName(orgId)}/openshift/source=${providerUuid}/year=${year}/month=${mm}/${file}`
}

const fileBody = (file: SpooledFile) =>
  NodeStream.fromReadable<SpoolFailed>(
    () => createReadStream(file.path),
    (e) => new SpoolFailed({ operation: "read", path: file.path, message: String(e) })
  )

export class RosShipper extends Effect.Service<RosShipper>()("ros/koku/RosShipper", {
  effect: Effect.gen(function* () {
    const store = yield* ObjectStore
    const kafka = yield* Kafka
    const buckets = yield* BucketSettings
    const topics = yield* KafkaSettings

    const ship = Effect.fn("RosShipper.ship")(function* ({ upload, payload, source }: Shipment) {
      const { manifest } = payload
      yield* Effect.annotateCurrentSpan({ requestId: upload.request_id, clusterUuid: manifest.cluster_id })
      const day = DateTime.formatIsoDateUtc(yield* DateTime.now)
      const month = manifest.start ?? manifest.date
      const written = yield* Ref.make<ReadonlyArray<readonly [bucket: string, key: string]>>([])
      const sent = yield* Ref.make(false)

      const put = (bucket: string, key: string, file: SpooledFile) =>
        store
          .put(bucket, key, fileBody(file), {
            contentType: "text/csv",
            contentLength: file.size,
            metadata: { ManifestId: manifest.uuid }
          })
          .pipe(Effect.zipRight(Ref.update(written, (keys) => [...keys, [bucket, key] as const])), Effect.as(key))

      // Best effort: the failure that brought us here is what gets reported, not a failed cleanup. Once the
      // message is out (even if what follows its send failed) the files stay.
      const removeWritten = Effect.all([Ref.get(written), Ref.get(sent)]).pipe(
        Effect.flatMap(([keys, isSent]) =>
          isSent
            ? Effect.void
            : Effect.forEach(keys, ([bucket, key]) => store.delete(bucket, key).pipe(Effect.ignore), { discard: true })
        ),
        Effect.timeout("30 seconds"),
        Effect.ignore
      )

      const beforePublish = Effect.gen(function* () {
        const rosKeys = yield* Effect.forEach(payload.rosFiles, (file) =>
          put(buckets.ros, rosObjectKey(upload.org_id, source.providerUuid, day, file.name), file)
        )
        const reportKeys = yield* Effect.forEach(payload.reportFiles, (file) =>
          put(buckets.koku, reportObjectKey(upload.org_id, source.providerUuid, month, file.name), file)
        )
        if (rosKeys.length === 0) return { rosKeys, reportKeys, published: false }
        const files = yield* Effect.forEach(rosKeys, (key) => store.presignGet(buckets.ros, key))
        const message: RosEventMessage = {
          request_id: upload.request_id,
          // ROS requires an identity; ingress without Auth announces none, so speak for the org as koku would.
          b64_identity:
            upload.b64_identity === ""
              ? makeIdentityHeader({
                  orgId: upload.org_id,
                  ...(upload.account === "" ? {} : { accountNumber: upload.account })
                })
              : upload.b64_identity,
          metadata: {
            account: upload.account === "" ? "no_account" : upload.account,
            org_id: upload.org_id,
            source_id: source.sourceId,
            provider_uuid: source.providerUuid,
            cluster_uuid: manifest.cluster_id,
            operator_version: operatorVersion(manifest),
            cluster_alias: source.name
          },
          files,
          object_keys: rosKeys
        }
        // Not interruptible: whether the broker took the message must be known to decide about the cleanup.
        yield* kafka
          .send([{ topic: topics.uploadTopic, key: manifest.cluster_id, value: encodeRosEvent(message) }])
          .pipe(Effect.zipRight(Ref.set(sent, true)), Effect.uninterruptible)
        return { rosKeys, reportKeys, published: true }
      }).pipe(Effect.onError(() => removeWritten))

      const shipped = yield* beforePublish
      const processed = { bucket: buckets.processed, key: upload.request_id }
      yield* store.copy({ bucket: buckets.uploads, key: upload.request_id }, processed)
      return { ...shipped, processedKey: processed.key } satisfies Shipped
    })

    return { ship } as const
  })
}) {}
