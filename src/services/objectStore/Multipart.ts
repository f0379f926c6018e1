/**
 * Storing a body in parts: regrouping a stream into S3-sized parts, looking ahead to tell a single PutObject from a
 * multipart upload, and the multipart upload itself (aborted if anything fails).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand
} from "@aws-sdk/client-s3"
import { Chunk, Effect, Exit, Option, Schedule, Stream } from "effect"
import {
  type BucketError,
  checkLength,
  ObjectStoreFailure,
  type PutOptions,
  type PutResult
} from "./ObjectStoreService.js"
import { call, classify, unquote } from "./S3Errors.js"

const MiB = 1024 * 1024
/** S3's minimum size for every part but the last. */
const MIN_PART_BYTES = 5 * MiB
const MAX_PARTS = 10_000
/**
 * Parts uploaded at once. The SDK copies each part it sends, so every part in flight costs two; with the part
 * filling and the ones pulled ahead, two in flight measured at 48-64 MiB for 8 MiB parts, and it saturates a
 * local server already.
 */
const PART_CONCURRENCY = 2

export const partSizeFor = (thresholdBytes: number, contentLength: number | undefined): number =>
  Math.max(MIN_PART_BYTES, thresholdBytes, contentLength === undefined ? 0 : Math.ceil(contentLength / MAX_PARTS))

export const concatBytes = (pieces: ReadonlyArray<Uint8Array>, total: number): Uint8Array => {
  const first = pieces[0]
  if (pieces.length === 1 && first !== undefined && first.length === total) return first
  const out = new Uint8Array(total)
  let offset = 0
  for (const piece of pieces) {
    out.set(piece, offset)
    offset += piece.length
  }
  return out
}

/**
 * Regroups a stream of arbitrary chunks into parts of exactly `partSize` bytes (the last one shorter), holding at
 * most one part that is still filling. The buffer is per run of the stream, hence the `suspend`.
 */
export const toParts = <E>(body: Stream.Stream<Uint8Array, E>, partSize: number): Stream.Stream<Uint8Array, E> =>
  Stream.suspend(() => {
    let pending: Array<Uint8Array> = []
    let pendingBytes = 0
    return body.pipe(
      Stream.mapConcat((chunk) => {
        const full: Array<Uint8Array> = []
        let rest = chunk
        while (pendingBytes + rest.length >= partSize) {
          const need = partSize - pendingBytes
          pending.push(rest.subarray(0, need))
          full.push(concatBytes(pending, partSize))
          pending = []
          pendingBytes = 0
          rest = rest.subarray(need)
        }
        if (rest.length > 0) {
          pending.push(rest)
          pendingBytes += rest.length
        }
        return full
      }),
      Stream.concat(
        Stream.suspend(() => (pendingBytes > 0 ? Stream.make(concatBytes(pending, pendingBytes)) : Stream.empty))
      )
    )
  })

/**
 * Pulls the first `count` elements (fewer if the stream is shorter) and hands back the rest as a stream, valid
 * within the scope. `Stream.peel` would do, but in effect 3.22 it leaks upstream failures that happen after the
 * peel as `ChannelException` instead of the stream's own error.
 */
export const lookAhead = <A, E>(stream: Stream.Stream<A, E>, count: number) =>
  Effect.gen(function* () {
    const pull = yield* Stream.toPull(stream)
    const ahead: Array<A> = []
    let ended = false
    while (!ended && ahead.length < count) {
      const next = yield* Effect.catchAll(Effect.map(pull, Option.some), (end) =>
        Option.match(end, { onNone: () => Effect.succeed(Option.none()), onSome: (e) => Effect.fail(e) })
      )
      if (Option.isNone(next)) ended = true
      else ahead.push(...next.value)
    }
    const rest: Stream.Stream<A, E> = ended ? Stream.empty : Stream.repeatEffectChunkOption(pull)
    return { ahead, rest }
  })

export const sliceParts = (bytes: Uint8Array, partSize: number): Stream.Stream<Uint8Array> =>
  Stream.suspend(() => {
    const parts: Array<Uint8Array> = []
    for (let offset = 0; offset < bytes.length; offset += partSize)
      parts.push(bytes.subarray(offset, offset + partSize))
    return Stream.fromIterable(parts)
  })

/** Part uploads are idempotent, so a hiccup costs one part again rather than the whole upload. */
const partRetry = Schedule.exponential("200 millis").pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(2)))

/**
 * Uploads `parts` (each but the last at least 5 MiB) as one object, two parts at a time. The upload is aborted if
 * anything fails, including the body stream itself, whose error `E` is passed through unchanged.
 */
export const putMultipart = <E>(
  client: S3Client,
  bucket: string,
  key: string,
  parts: Stream.Stream<Uint8Array, E>,
  contentType: string,
  metadata: Record<string, string>,
  options: PutOptions
): Effect.Effect<PutResult, BucketError | E> => {
  const target = { bucket, key }
  return Effect.acquireUseRelease(
    call(
      (abortSignal) =>
        client.send(
          new CreateMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            ContentType: contentType,
            Metadata: metadata
          }),
          { abortSignal }
        ),
      (e) => classify({ ...target, operation: "CreateMultipartUpload" }, e)
    ).pipe(
      Effect.flatMap((out) =>
        out.UploadId === undefined
          ? Effect.fail(
              new ObjectStoreFailure({ operation: "CreateMultipartUpload", bucket, key, message: "no UploadId" })
            )
          : Effect.succeed(out.UploadId)
      )
    ),
    (uploadId) =>
      Effect.gen(function* () {
        const uploaded = yield* parts.pipe(
          Stream.zipWithIndex,
          Stream.mapEffect(
            ([part, index]) =>
              index >= MAX_PARTS
                ? Effect.fail(
                    new ObjectStoreFailure({
                      operation: "UploadPart",
                      bucket,
                      key,
                      message: `more than ${MAX_PARTS} parts; pass contentLength so parts can be sized`
                    })
                  )
                : call(
                    (abortSignal) =>
                      client.send(
                        new UploadPartCommand({
                          Bucket: bucket,
                          Key: key,
                          UploadId: uploadId,
                          PartNumber: index + 1,
                          Body: part,
                          ContentLength: part.length
                        }),
                        { abortSignal }
                      ),
                    (e) => classify({ ...target, operation: "UploadPart" }, e)
                  ).pipe(
                    Effect.retry({ schedule: partRetry, while: (e) => e._tag === "ObjectStoreUnavailable" }),
                    Effect.map((out) => ({ PartNumber: index + 1, ETag: out.ETag, size: part.length }))
                  ),
            { concurrency: PART_CONCURRENCY }
          ),
          Stream.runCollect
        )
        const size = Chunk.reduce(uploaded, 0, (total, part) => total + part.size)
        yield* checkLength("CompleteMultipartUpload", bucket, key, options, size)
        const done = yield* call(
          (abortSignal) =>
            client.send(
              new CompleteMultipartUploadCommand({
                Bucket: bucket,
                Key: key,
                UploadId: uploadId,
                MultipartUpload: {
                  Parts: Chunk.toReadonlyArray(uploaded).map(({ ETag, PartNumber }) => ({ ETag, PartNumber }))
                }
              }),
              { abortSignal }
            ),
          (e) => classify({ ...target, operation: "CompleteMultipartUpload" }, e)
        )
        return { etag: unquote(done.ETag), size }
      }),
    (uploadId, exit) =>
      Exit.isSuccess(exit)
        ? Effect.void
        : call(
            (abortSignal) =>
              client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }), {
                abortSignal
              }),
            (e) => classify({ ...target, operation: "AbortMultipartUpload" }, e)
          ).pipe(
            // Nothing to hand back to the caller, who already has the upload's own failure; the server's
            // lifecycle rules sweep what is left.
            Effect.catchAll((e) => Effect.logWarning("abandoned multipart upload not aborted", e)),
            Effect.annotateLogs({ bucket, key, uploadId })
          )
  )
}
