/**
 * csv-parse driven chunk by chunk, synchronously: the caller hands it the bytes of one chunk and gets back the
 * records completed by them, with no promise or fiber hop per record (a usage file has hundreds of thousands).
 *
 * The parser is csv-parse's Node `Transform`. Writing to an idle Transform runs its `_transform` in the same call
 * and leaves the records in the readable buffer, where `read()` takes them; draining that buffer is also what lets
 * the Transform accept the next chunk, so nothing piles up between chunks. Only the end of input waits for
 * events, because the final flush is not promised to happen inside `end()`.
 *
 * Options mirror Go's `encoding/csv` as upstream uses it (§2.1): first record = header, no trimming, empty lines
 * skipped, every record as long as the header (a different length is an error, like Go's ErrFieldCount), strict
 * quotes. One leniency: a UTF-8 byte-order mark is skipped instead of becoming part of the first column's name.
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

export class CsvRecordReader {
  private readonly parser = new Parser({ bom: true, skip_empty_lines: true })

  constructor() {
    // Failures are read from `errored` after each call; without a listener the 'error' event would crash Node.
    this.parser.on("error", () => {})
  }

  /** Feeds one chunk and appends the records it completed to `into`. */
  write(chunk: Uint8Array, into: Array<CsvRecord>): MalformedCsv | undefined {
    const failed = this.failure()
    if (failed !== undefined) return failed
    this.parser.write(chunk)
    this.drain(into)
    return this.failure()
  }

  /** Ends the input and appends the last records (a final line without a newline is only complete now). */
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

  /** Releases the parser when the input stops early (a failure upstream, an interruption). */
  close(): void {
    this.parser.destroy()
  }

  private drain(into: Array<CsvRecord>): void {
    for (;;) {
      const record: unknown = this.parser.read()
      if (!isRecord(record)) return
      into.push(record)
    }
  }

  private failure(): MalformedCsv | undefined {
    const error: unknown = this.parser.errored
    return error === null || error === undefined ? undefined : toMalformed(error, this.parser.info.lines)
  }
}
