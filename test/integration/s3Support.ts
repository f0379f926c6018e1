/**
 * S3 plumbing the ObjectStore integration tests need on top of test/support/objectStoreContract.ts: a plain client
 * for set-up and checks, and local servers that misbehave.
 */
import { createServer } from "node:net"
import { DeleteBucketCommand, ListMultipartUploadsCommand, S3Client } from "@aws-sdk/client-s3"
import { Context, Deferred, Effect, Exit, Layer, Redacted } from "effect"
import { S3Settings } from "../../src/services/Settings.js"

export { unusedPort } from "../support/ports.js"

/**
 * A TCP server that accepts connections and never answers, to watch what the client does with a request that
 * hangs: `connected` completes when a request arrives, `closed` when the client gives up its socket.
 */
export const silentServer = Effect.gen(function* () {
  const connected = yield* Deferred.make<void>()
  const closed = yield* Deferred.make<void>()
  const server = createServer((socket) => {
    Deferred.unsafeDone(connected, Exit.void)
    socket.on("close", () => Deferred.unsafeDone(closed, Exit.void))
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        resume(Effect.succeed(typeof address === "object" && address !== null ? address.port : 0))
      })
    }),
    () =>
      Effect.async<void>((resume) => {
        server.close(() => resume(Effect.void))
      })
  )
  return { port, connected: Deferred.await(connected), closed: Deferred.await(closed) }
})

/** Calls the service does not offer, made with a plain client for test set-up and checks. */
export class S3Admin extends Context.Tag("test/S3Admin")<
  S3Admin,
  {
    readonly deleteBucket: (bucket: string) => Effect.Effect<void>
    readonly pendingUploads: (bucket: string, prefix: string) => Effect.Effect<number>
  }
>() {
  static readonly layer = Layer.scoped(
    S3Admin,
    Effect.gen(function* () {
      const s = yield* S3Settings
      const client = yield* Effect.acquireRelease(
        Effect.sync(
          () =>
            new S3Client({
              endpoint: s.endpoint,
              region: s.region,
              forcePathStyle: true,
              credentials: { accessKeyId: s.accessKey, secretAccessKey: Redacted.value(s.secretKey) }
            })
        ),
        (c) => Effect.sync(() => c.destroy())
      )
      return {
        deleteBucket: (bucket: string) =>
          Effect.promise(() => client.send(new DeleteBucketCommand({ Bucket: bucket }))),
        pendingUploads: (bucket: string, prefix: string) =>
          Effect.promise(() => client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix }))).pipe(
            Effect.map((out) => out.Uploads?.length ?? 0)
          )
      }
    }).pipe(Effect.orDie)
  )
}
