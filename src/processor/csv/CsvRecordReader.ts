/**
 * CSV records from chunks of bytes, synchronously: the caller hands it the bytes of one chunk and gets back the
 * records completed by them, with no promise or fiber hop per record (a usage file has hundreds of thousands).
 *
 * Options mirror Go's `encoding/csv` as upstream uses it (§2.1): first record = header, no trimming, empty lines
 * skipped, every record as long as the header (a different length is an error, like Go's ErrFieldCount), strict
 * quotes. One leniency: a UTF-8 byte-order mark is skipped instead of becoming part of the first column's name.
 *
 * Two readers share that contract. The operator writes plain files (no quotes, `\n` line ends), and for those a
 * line is its cells split on commas: about ten times faster than a general CSV parser. The first quote or carriage
 * return hands the rest of the file, from the start of its line, to csv-parse (its Node `Transform`, driven
 * synchronously: writing to an idle Transform runs its `_transform` in the same call and leaves the records in the
 * readable buffer, where `read()` takes them). csv-parse is first given the lines already read again (the header,
 * and empty lines for the others), so its line numbers, its error messages and the header's length are those of a
 * csv-parse run over the whole file. Only its end of input waits for events, because its final flush is not
 * promised to happen inside `end()`.
 *
 * The cells of the plain reader are slices of the chunk's text, so a consumer that keeps a cell for long should
 * keep a copy (see `StringPool`), or it keeps the chunk alive.
 */
import { CsvError, Parser } from "csv-parse"
import { Effect, Predicate } from "effect"
import { MalformedCsv } from "../../../schema/ros/UsageCsvError.js"

export type CsvRecord = ReadonlyArray<string>

const toMalformed = (error: unknown, fallbackLine: number): MalformedCsv => {
  const line = Predicate.hasProperty(error, "lines") && typeof error.lines === "number" ? error.lines : fallbackLine
  return new MalformedCsv({
    line,
    code: error instanceof CsvError ? error.code : "CSV_UNKNOWN_ERROR",
    message: error instanceof Error ? error.message : String(error)
  })
}

const isRecord = (u: unknown): u is Array<string> => Array.isArray(u)

/** Where the plain reader cannot go on: a quote or a carriage return, or -1. */
const specialAt = (text: string): number => {
  const quote = text.indexOf('"')
  const cr = text.indexOf("\r")
  return quote === -1 ? cr : cr === -1 ? quote : Math.min(quote, cr)
}

/** csv-parse from some line on, fed text; the records it completes go to `into`. */
class GeneralReader {
  private readonly parser = new Parser({ bom: true, skip_empty_lines: true })
  /** the header, given again to set the record length, is not a record of the caller's */
  private skipRecords: number

  constructor(replay: string, skipRecords: number) {
    this.skipRecords = skipRecords
    // Failures are read from `errored` after each call; without a listener the 'error' event would crash Node.
    this.parser.on("error", () => {})
    if (replay.length > 0) this.parser.write(replay)
  }

  write(text: string, into: Array<CsvRecord>): MalformedCsv | undefined {
    const failed = this.failure()
    if (failed !== undefined) return failed
    if (text.length > 0) this.parser.write(text)
    this.drain(into)
    return this.failure()
  }

  end(into: Array<CsvRecord>): Effect.Effect<void, MalformedCsv> {
    return Effect.async<void, MalformedCsv>((resume) => {
      const parser = this.parser
      const onReadable = () => this.drain(into)
      const onEnd = () => {
        cleanup()
        resume(Effect.void)
      }
      const onError = (error: unknown) => {
        cleanup()
        resume(Effect.fail(toMalformed(error, parser.info.lines)))
      }
      const cleanup = () => {
        parser.off("readable", onReadable)
        parser.off("end", onEnd)
        parser.off("error", onError)
      }
      const failed = this.failure()
      if (failed !== undefined) {
        resume(Effect.fail(failed))
        return
      }
      parser.on("readable", onReadable)
      parser.once("end", onEnd)
      parser.once("error", onError)
      parser.end()
      this.drain(into)
      return Effect.sync(() => {
        cleanup()
        parser.destroy()
      })
    })
  }

  close(): void {
    this.parser.destroy()
  }

  private drain(into: Array<CsvRecord>): void {
    for (;;) {
      const record: unknown = this.parser.read()
      if (!isRecord(record)) return
      if (this.skipRecords > 0) this.skipRecords--
      else into.push(record)
    }
  }

  private failure(): MalformedCsv | undefined {
    const error: unknown = this.parser.errored
    return error === null || error === undefined ? undefined : toMalformed(error, this.parser.info.lines)
  }
}

export class CsvRecordReader {
  /** Non-fatal UTF-8 (bad bytes become U+FFFD, as in csv-parse); drops a leading byte-order mark. */
  private readonly decoder = new TextDecoder()
  /** The text after the last line end read so far. */
  private pending = ""
  /** Lines ended so far (empty ones included). */
  private lines = 0
  private header: { readonly text: string; readonly line: number; readonly cells: number } | undefined
  private general: GeneralReader | undefined
  private failed: MalformedCsv | undefined

  /** Feeds one chunk and appends the records it completed to `into`. */
  write(chunk: Uint8Array, into: Array<CsvRecord>): MalformedCsv | undefined {
    if (this.failed !== undefined) return this.failed
    const text = this.decoder.decode(chunk, { stream: true })
    if (this.general !== undefined) return this.general.write(text, into)
    return this.plain(this.pending + text, into)
  }

  /** Ends the input and appends the last records (a final line without a newline is only complete now). */
  end(into: Array<CsvRecord>): Effect.Effect<void, MalformedCsv> {
    return Effect.suspend(() => {
      if (this.failed !== undefined) return Effect.fail(this.failed)
      const tail = this.decoder.decode()
      if (this.general === undefined) {
        const text = this.pending + tail
        if (specialAt(text) === -1) {
          this.pending = ""
          const failed = text.length > 0 ? this.line(text, into) : undefined
          return failed === undefined ? Effect.void : Effect.fail(failed)
        }
        const failed = this.plain(text, into)
        if (failed !== undefined) return Effect.fail(failed)
      } else if (tail.length > 0) {
        const failed = this.general.write(tail, into)
        if (failed !== undefined) return Effect.fail(failed)
      }
      return this.general === undefined ? Effect.void : this.general.end(into)
    })
  }

  /** Releases the parser when the input stops early (a failure upstream, an interruption). */
  close(): void {
    this.general?.close()
  }

  /** Reads the complete lines of `text` up to a quote or carriage return, and hands the rest to csv-parse then. */
  private plain(text: string, into: Array<CsvRecord>): MalformedCsv | undefined {
    const special = specialAt(text)
    const stop = special === -1 ? text.length : text.lastIndexOf("\n", special) + 1
    let from = 0
    for (;;) {
      const end = text.indexOf("\n", from)
      if (end === -1 || end >= stop) break
      const failed = this.line(text.slice(from, end), into)
      if (failed !== undefined) return failed
      from = end + 1
    }
    if (special === -1) {
      this.pending = text.slice(from)
      return undefined
    }
    this.pending = ""
    // Lines 1..lines again: the header in its place, the others empty, so csv-parse counts lines as we did.
    const h = this.header
    const replay =
      h === undefined
        ? "\n".repeat(this.lines)
        : `${"\n".repeat(h.line - 1)}${h.text}\n${"\n".repeat(this.lines - h.line)}`
    this.general = new GeneralReader(replay, h === undefined ? 0 : 1)
    return this.general.write(text.slice(from), into)
  }

  /** One line without its line end; empty lines are skipped, like csv-parse's `skip_empty_lines`. */
  private line(text: string, into: Array<CsvRecord>): MalformedCsv | undefined {
    const line = ++this.lines
    if (text.length === 0) return undefined
    const cells = text.split(",")
    if (this.header === undefined) {
      this.header = { text, line, cells: cells.length }
    } else if (cells.length !== this.header.cells) {
      // csv-parse's error for the same line, word for word.
      this.failed = new MalformedCsv({
        line,
        code: "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH",
        message: `Invalid Record Length: expect ${this.header.cells}, got ${cells.length} on line ${line}`
      })
      return this.failed
    }
    into.push(cells)
    return undefined
  }
}
