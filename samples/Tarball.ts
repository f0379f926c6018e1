/**
 * A byte-for-byte reproducible tar.gz writer shaped like the one the cost-management operator uses (Go's
 * `archive/tar` + `compress/gzip`): flat USTAR entries, numeric fields as zero-padded octal, uid/gid 0, empty
 * user and group names, two zero blocks at the end, then gzip at the default level with mtime 0 and OS byte 255.
 *
 * It is written by hand rather than with tar-stream for two reasons: the in-memory sample build stays synchronous
 * and pure (no streams to await), and the hostile samples need headers no well-behaved writer will produce (a size
 * field that lies, link entries with absolute targets). The tests read everything back with tar-stream, so the
 * writer is checked by an independent reader. `writeTarGz` is the streaming twin for large samples: same headers,
 * same gzip settings, same bytes, with entries whose content is produced chunk by chunk.
 */
import { once } from "node:events"
import { createWriteStream } from "node:fs"
import { Transform } from "node:stream"
import { pipeline } from "node:stream/promises"
import { createGzip, gzipSync } from "node:zlib"

const BLOCK = 512

export type TarEntryType = "file" | "symlink" | "hardlink"

export interface TarEntry {
  readonly name: string
  /** File content; ignored for links. */
  readonly data?: Uint8Array | string
  /**
   * Content length when larger than `data`: the rest is zeros. Lets a 256 MiB entry be described without
   * building it twice in memory (the gzip-bomb sample).
   */
  readonly size?: number
  readonly type?: TarEntryType
  readonly linkName?: string
  /** Permission bits; the operator's files are 0644. */
  readonly mode?: number
  /** Seconds since the epoch; fixed by the caller so the archive never depends on the clock. */
  readonly mtime: number
  /**
   * The size written into the header when it must differ from the data length (hostile samples only).
   * Values of 8 GiB or more are written in the GNU base-256 form, as GNU tar and Go do.
   */
  readonly claimedSize?: number
}

const typeFlag = (type: TarEntryType): number => {
  switch (type) {
    case "file":
      return 0x30
    case "hardlink":
      return 0x31
    case "symlink":
      return 0x32
  }
}

/** Writes `value` as zero-padded octal in `width - 1` digits followed by a NUL, as Go's tar writer does. */
const writeOctal = (header: Uint8Array, offset: number, width: number, value: number): void => {
  const digits = value.toString(8).padStart(width - 1, "0")
  if (digits.length > width - 1) throw new RangeError(`value ${value} does not fit a ${width}-byte tar field`)
  header.set(Buffer.from(digits, "ascii"), offset)
  header[offset + width - 1] = 0
}

/** GNU base-256 numbers: high bit of the first byte set, the rest big-endian. Needed for sizes >= 8 GiB. */
const writeBase256 = (header: Uint8Array, offset: number, width: number, value: number): void => {
  let rest = BigInt(value)
  for (let i = width - 1; i > 0; i--) {
    header[offset + i] = Number(rest & 0xffn)
    rest >>= 8n
  }
  header[offset] = 0x80
}

const writeText = (header: Uint8Array, offset: number, width: number, text: string, field: string): void => {
  const bytes = Buffer.from(text, "utf8")
  if (bytes.length > width) throw new RangeError(`tar ${field} "${text}" is longer than ${width} bytes`)
  header.set(bytes, offset)
}

const encodeHeader = (entry: TarEntry, size: number): Uint8Array => {
  const header = new Uint8Array(BLOCK)
  const type = entry.type ?? "file"
  writeText(header, 0, 100, entry.name, "name")
  writeOctal(header, 100, 8, entry.mode ?? 0o644)
  writeOctal(header, 108, 8, 0)
  writeOctal(header, 116, 8, 0)
  const claimed = entry.claimedSize ?? size
  if (claimed >= 8 ** 11) writeBase256(header, 124, 12, claimed)
  else writeOctal(header, 124, 12, claimed)
  writeOctal(header, 136, 12, entry.mtime)
  header[156] = typeFlag(type)
  if (entry.linkName !== undefined) writeText(header, 157, 100, entry.linkName, "link name")
  header.set(Buffer.from("ustar\u000000", "ascii"), 257)
  writeOctal(header, 329, 8, 0)
  writeOctal(header, 337, 8, 0)
  // The checksum is computed with its own field read as eight spaces, then stored as six digits, NUL, space.
  header.fill(0x20, 148, 156)
  const sum = header.reduce((acc, byte) => acc + byte, 0)
  header.set(Buffer.from(`${sum.toString(8).padStart(6, "0")}\u0000 `, "ascii"), 148)
  return header
}

const toBytes = (data: Uint8Array | string | undefined): Uint8Array =>
  data === undefined ? new Uint8Array(0) : typeof data === "string" ? Buffer.from(data, "utf8") : data

const padded = (size: number): number => Math.ceil(size / BLOCK) * BLOCK

/**
 * The uncompressed archive: one header (plus padded data) per entry, then two zero blocks. Written into one
 * zero-filled buffer, so zero padding and zero-filled content cost nothing extra.
 */
export const tarArchive = (entries: ReadonlyArray<TarEntry>): Buffer => {
  const laid = entries.map((entry) => {
    const isLink = entry.type === "symlink" || entry.type === "hardlink"
    const data = isLink ? new Uint8Array(0) : toBytes(entry.data)
    const size = isLink ? 0 : Math.max(entry.size ?? 0, data.length)
    return { header: encodeHeader(entry, size), data, size }
  })
  const total = laid.reduce((acc, e) => acc + BLOCK + padded(e.size), 2 * BLOCK)
  const out = Buffer.alloc(total)
  let offset = 0
  for (const e of laid) {
    out.set(e.header, offset)
    out.set(e.data, offset + BLOCK)
    offset += BLOCK + padded(e.size)
  }
  return out
}

/**
 * gzip with the header Go's `gzip.NewWriter` writes: no name, mtime 0, OS 255 ("unknown"). zlib stamps the OS
 * it was built for (3 on Unix, 10 on Windows); overwriting it keeps the bytes identical across platforms. The OS
 * byte is outside the CRC, so the stream stays valid.
 */
export const gzip = (data: Uint8Array, level = 6): Buffer => {
  const out = gzipSync(data, { level })
  out[9] = 0xff
  return out
}

/** `tarArchive` then `gzip`: what the operator uploads. */
export const tarGz = (entries: ReadonlyArray<TarEntry>): Buffer => gzip(tarArchive(entries))

/** An entry whose content is produced while it is written: `size` must be the exact byte length of `chunks()`. */
export interface StreamedTarEntry {
  readonly name: string
  readonly size: number
  readonly mtime: number
  readonly chunks: () => Iterable<string | Uint8Array>
}

/** Strings are gathered up to this many characters before they go to gzip as one buffer. */
const BATCH = 1 << 16

/**
 * `tarGz` as a stream into a file: header, content chunk by chunk, padding, for each entry, then the two zero
 * blocks, through one gzip stream (same level, the OS byte set to 255 on the way out). zlib's deflate output does
 * not depend on how its input is cut as long as nothing is flushed, so the bytes equal `tarGz`'s for the same
 * content; memory stays at one batch plus the streams' buffers. Resolves with the compressed size.
 */
export const writeTarGz = async (entries: Iterable<StreamedTarEntry>, path: string, level = 6): Promise<number> => {
  const gz = createGzip({ level })
  let written = 0
  const osByte = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (written <= 9 && 9 < written + chunk.length) chunk[9 - written] = 0xff
      written += chunk.length
      callback(null, chunk)
    }
  })
  const done = pipeline(gz, osByte, createWriteStream(path))
  const write = async (bytes: Uint8Array): Promise<void> => {
    if (!gz.write(bytes)) await once(gz, "drain")
  }
  const feed = async (): Promise<void> => {
    for (const entry of entries) {
      await write(encodeHeader({ name: entry.name, mtime: entry.mtime }, entry.size))
      let delivered = 0
      let pending = ""
      const flush = async (): Promise<void> => {
        if (pending === "") return
        const bytes = Buffer.from(pending, "utf8")
        pending = ""
        delivered += bytes.length
        await write(bytes)
      }
      for (const chunk of entry.chunks()) {
        if (typeof chunk === "string") {
          pending += chunk
          if (pending.length >= BATCH) await flush()
        } else {
          await flush()
          delivered += chunk.length
          await write(chunk)
        }
      }
      await flush()
      if (delivered !== entry.size) {
        throw new Error(`tar entry ${entry.name}: ${delivered} bytes produced, ${entry.size} declared`)
      }
      const padding = padded(entry.size) - entry.size
      if (padding > 0) await write(new Uint8Array(padding))
    }
    await write(new Uint8Array(2 * BLOCK))
    gz.end()
  }
  await Promise.all([
    done,
    feed().catch((error: unknown) => {
      gz.destroy(error instanceof Error ? error : new Error(String(error)))
      throw error
    })
  ])
  return written
}
