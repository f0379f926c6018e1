/**
 * Unpacks an upload's tar.gz as it streams in, into a spool directory, enforcing {@link ArchiveLimits} as it goes:
 * gzip is checked by its magic bytes, the uncompressed stream is metered (a gzip bomb stops at the byte budget,
 * not at the end of the bomb), and every entry must pass {@link checkEntry} before its data is read. Nothing is
 * written outside `directory`: entries land in files named by their position (`0003.entry`), never by the names
 * the archive gives them, and `manifest.json` is kept in memory.
 *
 * The caller owns `directory` (a scoped temporary directory), so a rejected archive leaves nothing behind.
 */
import { createWriteStream } from "node:fs"
import { join } from "node:path"
import { createGunzip } from "node:zlib"
import { NodeStream } from "@effect/platform-node"
import { Effect, Either, Option, Schema, Stream } from "effect"
import { extract } from "tar-stream"
import { type ArchiveLimits, type ArchiveTally, checkEntry, emptyTally } from "./EntryRules.js"
import { PayloadRejected } from "./PayloadRejected.js"

/** The local disk failed us (full, not writable): nothing to do with the upload, worth retrying. */
export class SpoolFailed extends Schema.TaggedError<SpoolFailed>()("SpoolFailed", {
  operation: Schema.String,
  path: Schema.String,
  message: Schema.String
}) {}

export interface SpooledFile {
  readonly name: string
  /** Where its bytes are, inside the spool directory. */
  readonly path: string
  readonly size: number
}

export interface SpooledArchive {
  /** manifest.json's bytes, when the archive has one at its root. */
  readonly manifest: Option.Option<Uint8Array>
  /** Every other regular file, by name, in archive order. */
  readonly files: ReadonlyMap<string, SpooledFile>
  readonly entries: number
  /** Uncompressed bytes of the tar stream. */
  readonly bytes: number
}

const GZIP_MAGIC = [0x1f, 0x8b] as const

const rejected = (problem: PayloadRejected["problem"], detail: string) => new PayloadRejected({ problem, detail })

const describeError = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Fails on the first chunk(s) unless the stream starts with gzip's two magic bytes. */
const requireGzip = <E>(bytes: Stream.Stream<Uint8Array, E>): Stream.Stream<Uint8Array, E | PayloadRejected> =>
  bytes.pipe(
    Stream.mapAccumEffect(0, (seen, chunk) => {
      for (let i = 0; seen + i < GZIP_MAGIC.length && i < chunk.length; i++) {
        if (chunk[i] !== GZIP_MAGIC[seen + i]) {
          const head = Buffer.from(chunk.subarray(0, 8)).toString("hex")
          return Effect.fail(rejected("not_gzip", `it starts with bytes ${head}, not the gzip magic 1f8b`))
        }
      }
      return Effect.succeed([seen + chunk.length, chunk] as const)
    })
  )

/** zlib's words for what is wrong with the compressed bytes. */
const gunzipFailure = (e: unknown) => {
  const message = describeError(e)
  return /unexpected end of file/i.test(message)
    ? rejected("truncated_gzip", "the compressed data ends before the gzip trailer")
    : rejected("truncated_gzip", message)
}

/** Fails as soon as more than `max` bytes have passed. */
const meter =
  (max: number) =>
  <E>(bytes: Stream.Stream<Uint8Array, E>): Stream.Stream<Uint8Array, E | PayloadRejected> =>
    bytes.pipe(
      Stream.mapAccumEffect(0, (total, chunk) =>
        total + chunk.length > max
          ? Effect.fail(rejected("archive_too_large", `it inflates to more than ${max} bytes`))
          : Effect.succeed([total + chunk.length, chunk] as const)
      )
    )

interface Spooling {
  tally: ArchiveTally
  manifest: Option.Option<Uint8Array>
  readonly files: Map<string, SpooledFile>
  bytes: number
}

export const extractArchive = <E>(
  compressed: Stream.Stream<Uint8Array, E>,
  directory: string,
  limits: ArchiveLimits
): Effect.Effect<SpooledArchive, PayloadRejected | SpoolFailed | E> =>
  Effect.gen(function* () {
    const state: Spooling = { tally: emptyTally, manifest: Option.none(), files: new Map(), bytes: 0 }
    // The first failure of the byte pipeline, kept typed (the Node side only sees an Error). The first one is the
    // cause: a failed S3 read or a bad gzip header also ends the gunzip stream early, which zlib then reports as
    // a truncated stream.
    let firstFailure: Option.Option<E | PayloadRejected> = Option.none()
    const remember = <A, E2 extends E | PayloadRejected>(bytes: Stream.Stream<A, E2>) =>
      Stream.tapError(bytes, (e) =>
        Effect.sync(() => {
          if (Option.isNone(firstFailure)) firstFailure = Option.some(e)
        })
      )
    const tar = compressed.pipe(
      requireGzip,
      remember,
      NodeStream.pipeThroughDuplex(() => createGunzip(), gunzipFailure),
      remember,
      meter(limits.maxTotalBytes),
      remember,
      Stream.tap((chunk) =>
        Effect.sync(() => {
          state.bytes += chunk.length
        })
      )
    )
    const source = yield* NodeStream.toReadable(tar)
    return yield* Effect.async<SpooledArchive, PayloadRejected | SpoolFailed | E>((resume) => {
      const archive = extract()
      let settled = false
      const stop = () => {
        source.unpipe(archive)
        source.destroy()
        archive.destroy()
      }
      const settle = (outcome: Effect.Effect<SpooledArchive, PayloadRejected | SpoolFailed | E>) => {
        if (settled) return
        settled = true
        stop()
        resume(outcome)
      }

      source.on("error", (e) =>
        settle(
          Option.match(firstFailure, {
            onNone: () => Effect.die(e),
            onSome: (failure) => Effect.fail(failure)
          })
        )
      )
      archive.on("error", (e: unknown) => settle(Effect.fail(rejected("corrupt_tar", describeError(e)))))
      archive.on("finish", () =>
        settle(
          Effect.succeed({
            manifest: state.manifest,
            files: state.files,
            entries: state.tally.entries,
            bytes: state.bytes
          })
        )
      )
      archive.on("entry", (header, body, next) => {
        const verdict = checkEntry(header, state.tally, limits)
        if (Either.isLeft(verdict)) return settle(Effect.fail(verdict.left))
        const [plan, tally] = verdict.right
        state.tally = tally
        switch (plan._tag) {
          case "Directory":
            body.resume()
            return body.on("end", () => next())
          case "Manifest": {
            const chunks: Array<Uint8Array> = []
            body.on("data", (chunk) => {
              if (chunk instanceof Uint8Array) chunks.push(chunk)
            })
            return body.on("end", () => {
              state.manifest = Option.some(new Uint8Array(Buffer.concat(chunks)))
              next()
            })
          }
          case "File": {
            const path = join(directory, `${String(tally.entries).padStart(4, "0")}.entry`)
            // "wx": a name collision inside our own directory would be a bug; never overwrite.
            const out = createWriteStream(path, { flags: "wx" })
            out.on("error", (e) =>
              settle(Effect.fail(new SpoolFailed({ operation: "write", path, message: describeError(e) })))
            )
            out.on("finish", () => {
              state.files.set(plan.name, { name: plan.name, path, size: out.bytesWritten })
              next()
            })
            return body.pipe(out)
          }
        }
      })

      source.pipe(archive)
      return Effect.sync(() => {
        settled = true
        stop()
      })
    })
  })
