/**
 * One upload, from the multipart body to the announce (ingress-koku-sources.md A.2 steps 5–12): the file part goes
 * straight from the request into the stage bucket while its bytes are counted (never held whole), then the upload is
 * announced on platform.upload.announce. Every step is reported to the upload's status (received → stored →
 * announced, or failed with the reason).
 *
 * What is left behind on failure: a file over its limit, a body that breaks off, or a store that fails mid-way leave
 * no object (a single PUT is never sent, a multipart upload is aborted). Once an object is whole it stays, also when
 * the announce then fails: a Kafka timeout does not prove the message was lost, and a consumer that did get it can
 * still fetch the object; the upload's status says it failed and why.
 */
import type { Multipart } from "@effect/platform"
import { Chunk, Clock, Effect, Either, Metric, Schema, Stream } from "effect"
import type { Identity } from "../../schema/identity/Identity.js"
import { type AnnounceMessage, type AnnounceMetadata, noMetadata } from "../../schema/ingress/AnnounceMessage.js"
import { type UploadAccepted, uploadAccepted } from "../../schema/ingress/UploadAccepted.js"
import { UploadMetadataJson } from "../../schema/ingress/UploadMetadata.js"
import type { UploadStage } from "../../schema/uploads/UploadStatus.js"
import { ObjectStore, type ObjectStoreError } from "../services/ObjectStore.js"
import { BucketSettings, IngressSettings } from "../services/Settings.js"
import { UploadStatusRepo } from "../uploads/UploadStatusRepo.js"
import { addDays, formatGoTime } from "./GoTime.js"
import {
  BodyTooLarge,
  BodyUnreadable,
  FileMissing,
  FileTooLarge,
  type IngressFailure,
  StagingFailed,
  TrackingUnavailable,
  UnsupportedMediaType
} from "./IngressFailure.js"
import { payloadBytes, stageDuration } from "./IngressMetrics.js"
import { type ServiceDescriptor, serviceDescriptor } from "./ServiceDescriptor.js"
import { UploadAnnouncer } from "./UploadAnnouncer.js"
import { MAX_FIELD_BYTES, MAX_PARTS, maxBodySize, maxFileSize } from "./UploadLimits.js"

/** Upstream's presigned URLs live 24 h (A.8); koku fetches within seconds, a stalled one within the day. */
const URL_EXPIRY_SECONDS = 86_400

/** Go's `AddDate(0, 0, 30)` for the stale_timestamp of an upload with metadata. */
const STALE_AFTER_DAYS = 30

/** The part names upstream takes the file from, in its order of preference. */
const FILE_PARTS: ReadonlySet<string> = new Set(["file", "upload"])

export interface ReceiveInput {
  readonly requestId: string
  readonly identity: Identity
  /** The request's parts, as @effect/platform parses them from the body while it arrives. */
  readonly parts: Stream.Stream<Multipart.Part, Multipart.MultipartError>
}

/** A test request (form value `test=test`): answered 200 with the usual body, nothing stored. */
export interface TestUpload {
  readonly _tag: "Test"
  readonly body: UploadAccepted
}

export interface AcceptedUpload {
  readonly _tag: "Accepted"
  readonly body: UploadAccepted
  readonly message: AnnounceMessage
}

interface StoredFile {
  readonly descriptor: ServiceDescriptor
  readonly contentType: string
  readonly size: number
}

/**
 * The part's Content-Type as the client sent it. Upstream routes on the raw header (case-sensitive, parameters
 * kept) and announces it verbatim; the platform's `File` only exposes the lower-cased media type, but the
 * multipasta part underneath keeps the headers, so read them there when they are there.
 */
export const rawContentType = (part: Multipart.File): string => {
  const file: unknown = "file" in part ? part.file : undefined
  if (typeof file === "object" && file !== null && "info" in file) {
    const info: unknown = file.info
    if (typeof info === "object" && info !== null && "headers" in info) {
      const headers: unknown = info.headers
      if (typeof headers === "object" && headers !== null && "content-type" in headers) {
        const raw: unknown = headers["content-type"]
        if (typeof raw === "string") return raw.trim()
      }
    }
  }
  return part.contentType
}

/** Go's `omitempty`: empty strings, lists and maps are left out. */
const present = (value: string | null | undefined): value is string =>
  value !== null && value !== undefined && value !== ""

/** The announce metadata for a metadata part's text (A.9); a part that does not decode counts as none. */
export const announceMetadata = (text: string | undefined, nowNanos: bigint): AnnounceMetadata => {
  if (text === undefined) return noMetadata
  const decoded = Schema.decodeUnknownEither(UploadMetadataJson)(text)
  if (Either.isLeft(decoded)) return noMetadata
  const m = decoded.right
  const list = (values: ReadonlyArray<string> | null | undefined) =>
    values === null || values === undefined || values.length === 0 ? undefined : values
  const ipAddresses = list(m.ip_addresses)
  const macAddresses = list(m.mac_addresses)
  const custom =
    m.custom_metadata === null || m.custom_metadata === undefined || Object.keys(m.custom_metadata).length === 0
      ? undefined
      : m.custom_metadata
  // Listed in upstream's field order: the message is encoded in this order.
  return {
    ...(ipAddresses === undefined ? {} : { ip_addresses: ipAddresses }),
    ...(present(m.account) ? { account: m.account } : {}),
    ...(present(m.org_id) ? { org_id: m.org_id } : {}),
    ...(present(m.insights_id) ? { insights_id: m.insights_id } : {}),
    ...(present(m.machine_id) ? { machine_id: m.machine_id } : {}),
    ...(present(m.subscription_manager_id) ? { subscription_manager_id: m.subscription_manager_id } : {}),
    ...(macAddresses === undefined ? {} : { mac_addresses: macAddresses }),
    ...(present(m.fqdn) ? { fqdn: m.fqdn } : {}),
    ...(present(m.bios_uuid) ? { bios_uuid: m.bios_uuid } : {}),
    ...(present(m.display_name) ? { display_name: m.display_name } : {}),
    ...(present(m.ansible_host) ? { ansible_host: m.ansible_host } : {}),
    ...(custom === undefined ? {} : { custom_metadata: custom }),
    reporter: "ingress",
    stale_timestamp: formatGoTime(addDays(nowNanos, STALE_AFTER_DAYS)),
    ...(present(m.queue_key) ? { queue_key: m.queue_key } : {})
  }
}

/**
 * A body the multipart parser gave up on. Before the file part, upstream answers as for a missing file (its form
 * parse failed); after it, the upload has started and fails.
 */
const multipartFailure = (error: Multipart.MultipartError, fileSeen: boolean, bodyLimit: number): IngressFailure => {
  switch (error.reason) {
    case "BodyTooLarge":
      return new BodyTooLarge({ limit: bodyLimit })
    case "FieldTooLarge":
      return new BodyUnreadable({ reason: `a form field is larger than ${MAX_FIELD_BYTES} bytes` })
    case "TooManyParts":
      return new BodyUnreadable({ reason: `more than ${MAX_PARTS} parts` })
    default:
      return fileSeen
        ? new BodyUnreadable({ reason: describeMultipart(error) })
        : new FileMissing({ reason: describeMultipart(error) })
  }
}

const describeMultipart = (error: Multipart.MultipartError): string => {
  const cause = error.cause
  const detail =
    typeof cause === "object" && cause !== null && "_tag" in cause && typeof cause._tag === "string"
      ? cause._tag
      : cause instanceof Error
        ? cause.message
        : String(cause)
  return `${error.reason} (${detail})`
}

const describeStore = (error: ObjectStoreError): string => {
  switch (error._tag) {
    case "BucketNotFound":
      return `bucket ${error.bucket} does not exist`
    case "ObjectNotFound":
      return `object ${error.bucket}/${error.key} not found`
    case "ObjectStoreFailure":
    case "ObjectStoreUnavailable":
      return `${error.operation}: ${error.message}`
  }
}

export class IngressUploads extends Effect.Service<IngressUploads>()("ros/ingress/IngressUploads", {
  effect: Effect.gen(function* () {
    const settings = yield* IngressSettings
    const { uploads: bucket } = yield* BucketSettings
    const store = yield* ObjectStore
    const announcer = yield* UploadAnnouncer
    const statuses = yield* UploadStatusRepo
    const bodyLimit = maxBodySize(settings)

    const tracking = <A, E extends { readonly message: string }>(effect: Effect.Effect<A, E>) =>
      Effect.mapError(effect, (error) => new TrackingUnavailable({ reason: error.message }))

    /** Records a failed stage; a status table that is down too only costs a log line (the client still gets the cause). */
    const recordFailure = (requestId: string, stage: UploadStage, error: string) =>
      statuses.report({ requestId, stage, outcome: "failed", error }).pipe(
        Effect.catchAll((e) => Effect.logError("upload failure could not be recorded", e.message)),
        Effect.annotateLogs({ requestId, stage })
      )

    /** Runs a stage after `received`: its failure or interruption marks the upload failed at `stage`. */
    const tracked = <A>(requestId: string, stage: UploadStage, effect: Effect.Effect<A, IngressFailure>) =>
      effect.pipe(
        Effect.tapError((failure) => recordFailure(requestId, stage, failure.message)),
        Effect.onInterrupt(() => recordFailure(requestId, stage, "the client closed the connection"))
      )

    /** The part's bytes, failing once more than `limit` have arrived. */
    const limited = (content: Stream.Stream<Uint8Array, Multipart.MultipartError>, limit: number) =>
      Stream.suspend(() => {
        let size = 0
        return content.pipe(
          Stream.mapError((error) => multipartFailure(error, true, bodyLimit)),
          Stream.mapEffect((chunk) => {
            size += chunk.length
            return size > limit ? Effect.fail(new FileTooLarge({ limit, size })) : Effect.succeed(chunk)
          })
        )
      })

    /** Steps 6–10: route by content type, check the service, record `received`, stream into the bucket. */
    const stage = (requestId: string, identity: Identity, part: Multipart.File) =>
      Effect.gen(function* () {
        const contentType = rawContentType(part)
        const descriptor = yield* serviceDescriptor(contentType).pipe(
          Effect.mapError(() => new UnsupportedMediaType({ contentType }))
        )
        if (!settings.validUploadTypes.includes(descriptor.service)) {
          return yield* new UnsupportedMediaType({ contentType, service: descriptor.service })
        }
        const limit = maxFileSize(settings, descriptor.service)
        const account = identity.accountNumber ?? ""
        yield* tracking(
          statuses.received({
            requestId,
            orgId: identity.orgId,
            ...(account === "" ? {} : { account }),
            detail: { service: descriptor.service, category: descriptor.category, content_type: contentType }
          })
        )
        const put = store
          .put(bucket, requestId, limited(part.content, limit), {
            contentType: "application/gzip",
            // Upstream's minio user metadata, read back as x-amz-meta-requestid / -account / -org.
            metadata: { requestid: requestId, account, org: identity.orgId }
          })
          .pipe(
            Effect.catchTags({
              BucketNotFound: (e) => Effect.fail(new StagingFailed({ reason: describeStore(e), retryable: false })),
              ObjectStoreFailure: (e) => Effect.fail(new StagingFailed({ reason: describeStore(e), retryable: false })),
              ObjectStoreUnavailable: (e) =>
                Effect.fail(new StagingFailed({ reason: describeStore(e), retryable: true }))
            }),
            Metric.trackDuration(stageDuration)
          )
        const stored = yield* tracked(
          requestId,
          "stored",
          Effect.gen(function* () {
            const result = yield* put
            yield* tracking(
              statuses.report({
                requestId,
                stage: "stored",
                outcome: "done",
                detail: { bucket, key: requestId, size: result.size, etag: result.etag }
              })
            )
            return result
          })
        )
        yield* Metric.update(payloadBytes, stored.size)
        yield* Effect.logInfo("upload stored").pipe(
          Effect.annotateLogs({ service: descriptor.service, size: stored.size })
        )
        return { descriptor, contentType, size: stored.size } satisfies StoredFile
      })

    /** A small part's text (the metadata part sent as a file); larger ones are refused. */
    const readSmall = (part: Multipart.File) =>
      Stream.runCollect(limited(part.content, MAX_FIELD_BYTES)).pipe(
        Effect.map((chunks) => Buffer.concat(Chunk.toReadonlyArray(chunks)).toString("utf8")),
        Effect.catchTag("FileTooLarge", () =>
          Effect.fail(new BodyUnreadable({ reason: `the ${part.key} part is larger than ${MAX_FIELD_BYTES} bytes` }))
        )
      )

    /** Steps 11–12: the announce message, then the 202 body. */
    const announce = (requestId: string, identity: Identity, file: StoredFile, metadataText: string | undefined) =>
      Effect.gen(function* () {
        const url = yield* store
          .presignGet(bucket, requestId, URL_EXPIRY_SECONDS)
          .pipe(Effect.mapError((e) => new StagingFailed({ reason: describeStore(e), retryable: false })))
        const now = yield* Clock.currentTimeNanos
        const metadata = announceMetadata(metadataText, now)
        const account = identity.accountNumber ?? ""
        const message: AnnounceMessage = {
          account,
          category: file.descriptor.category,
          content_type: file.contentType,
          metadata,
          request_id: requestId,
          principal: identity.orgId,
          org_id: identity.orgId,
          service: file.descriptor.service,
          size: file.size,
          url,
          b64_identity: identity.header,
          timestamp: formatGoTime(now)
        }
        yield* announcer.announce(message, metadata.queue_key ?? null)
        // Announced is announced: a status table that is down now must not make the client upload it again.
        yield* statuses
          .report({
            requestId,
            stage: "announced",
            outcome: "done",
            detail: { service: message.service, category: message.category, size: message.size }
          })
          .pipe(Effect.catchAll((e) => Effect.logError("announced upload could not be recorded", e.message)))
        yield* Effect.logInfo("upload announced")
        return { _tag: "Accepted", body: uploadAccepted(requestId, account, identity.orgId), message } as const
      })

    /**
     * Reads the parts in order. The file is stored as soon as its part arrives (later parts cannot be waited for
     * without buffering it); a `metadata` part may come before or after it; other parts are read and dropped.
     */
    const receive = Effect.fn("IngressUploads.receive")(
      function* (input: ReceiveInput) {
        const { requestId, identity } = input
        yield* Effect.annotateCurrentSpan({ requestId, orgId: identity.orgId })
        let file: StoredFile | undefined
        let metadataText: string | undefined
        let test = false
        const onPart = (part: Multipart.Part): Effect.Effect<boolean, IngressFailure> => {
          if (part._tag === "Field") {
            // Upstream checks for a test request before it looks at the file; once a file is stored it is too late.
            if (part.key === "test" && part.value === "test" && file === undefined) {
              test = true
              return Effect.succeed(false)
            }
            if (part.key === "metadata" && metadataText === undefined) metadataText = part.value
            return Effect.succeed(true)
          }
          if (FILE_PARTS.has(part.key) && file === undefined) {
            return Effect.map(stage(requestId, identity, part), (stored) => {
              file = stored
              return true
            })
          }
          if (part.key === "metadata" && metadataText === undefined) {
            return Effect.map(readSmall(part), (text) => {
              metadataText = text
              return true
            })
          }
          return Effect.as(Stream.runDrain(limited(part.content, bodyLimit)), true)
        }
        const partsRead = input.parts.pipe(
          Stream.mapError((error) => multipartFailure(error, file !== undefined, bodyLimit)),
          Stream.runForEachWhile(onPart)
        )
        // A body that breaks (or a client that leaves) after the file was stored fails the upload at the announce it
        // never got; before that, the stage that failed has recorded it, or nothing was recorded yet.
        yield* partsRead.pipe(
          Effect.tapError((failure) =>
            file === undefined ? Effect.void : recordFailure(requestId, "announced", failure.message)
          ),
          Effect.onInterrupt(() =>
            file === undefined ? Effect.void : recordFailure(requestId, "announced", "the client closed the connection")
          )
        )
        if (test)
          return {
            _tag: "Test",
            body: uploadAccepted(requestId, identity.accountNumber ?? "", identity.orgId)
          } as const
        if (file === undefined) return yield* new FileMissing({ reason: "no file or upload part with a file name" })
        return yield* tracked(requestId, "announced", announce(requestId, identity, file, metadataText))
      },
      (effect, input) => Effect.annotateLogs(effect, { requestId: input.requestId, orgId: input.identity.orgId })
    )

    return { receive } as const
  })
}) {}
