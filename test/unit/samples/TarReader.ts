/**
 * Reads tar and tar.gz bytes with tar-stream and node:zlib: an implementation independent of the samples' own
 * writer, so the tests check the archives as a consumer would see them. It never rejects: a malformed archive
 * resolves with the entries read so far and the error, because several hostile samples are meant to fail.
 */
import { Readable } from "node:stream"
import { createGunzip } from "node:zlib"
import { Effect } from "effect"
import { extract, type Header } from "tar-stream"

export interface TarEntryRead {
  readonly header: Header
  /** The entry's bytes, up to the `keepBytes` budget. */
  readonly data: Buffer
  /** How many bytes the entry really delivered (may exceed `data.length`). */
  readonly delivered: number
}

export interface TarRead {
  /** Header in archive order, including one whose data never arrived. */
  readonly headers: ReadonlyArray<Header>
  readonly entries: ReadonlyArray<TarEntryRead>
  readonly error: Error | undefined
}

const read = (source: Readable, keepBytes: number): Promise<TarRead> =>
  new Promise((resolve) => {
    const headers: Array<Header> = []
    const entries: Array<TarEntryRead> = []
    let settled = false
    const settle = (error: Error | undefined) => {
      if (settled) return
      settled = true
      resolve({ headers, entries, error })
    }
    const tar = extract()
    tar.on("entry", (header, stream, next) => {
      headers.push(header)
      const chunks: Array<Buffer> = []
      let kept = 0
      let delivered = 0
      stream.on("data", (chunk: unknown) => {
        if (!(chunk instanceof Uint8Array)) return
        delivered += chunk.length
        if (kept < keepBytes) {
          chunks.push(Buffer.from(chunk))
          kept += chunk.length
        }
      })
      stream.on("end", () => {
        entries.push({ header, data: Buffer.concat(chunks), delivered })
        next()
      })
      stream.on("error", (error: Error) => settle(error))
    })
    tar.on("finish", () => settle(undefined))
    tar.on("error", (error: Error) => settle(error))
    source.on("error", (error: Error) => settle(error))
    // tar-stream is a streamx Writable; node's pipe() drives it fine.
    source.on("data", (chunk: Buffer) => {
      if (!tar.write(chunk)) source.pause()
    })
    tar.on("drain", () => source.resume())
    source.on("end", () => tar.end(undefined))
  })

/** An uncompressed tar. */
export const readTar = (bytes: Uint8Array, keepBytes = Number.POSITIVE_INFINITY): Effect.Effect<TarRead> =>
  Effect.promise(() => read(Readable.from([Buffer.from(bytes)]), keepBytes))

/** A tar.gz, decompressed as a stream so a gzip bomb is only ever counted, never held. */
export const readTarGz = (bytes: Uint8Array, keepBytes = Number.POSITIVE_INFINITY): Effect.Effect<TarRead> =>
  Effect.promise(() => read(Readable.from([Buffer.from(bytes)]).pipe(createGunzip()), keepBytes))

/** Total decompressed size of a gzip stream, counted chunk by chunk; undefined if the stream is broken. */
export const gunzippedSize = (bytes: Uint8Array): Effect.Effect<number | undefined> =>
  Effect.promise(
    () =>
      new Promise<number | undefined>((resolve) => {
        let total = 0
        const gunzip = createGunzip()
        gunzip.on("data", (chunk: Buffer) => {
          total += chunk.length
        })
        gunzip.on("end", () => resolve(total))
        gunzip.on("error", () => resolve(undefined))
        gunzip.end(Buffer.from(bytes))
      })
  )
