import { describe, expect, it } from "@effect/vitest"
import { Chunk, Data, Effect, Stream } from "effect"
import { containerColumns, namespaceColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { MalformedCsv, MissingColumns } from "../../../schema/ros/UsageCsvError.js"
import { aggregateUsageCsv } from "../../../src/processor/csv/AggregateUsageCsv.js"
import { aggregate, bytes, containerCsv, containerReport, containerRow, failureOf, scope } from "./UsageCsvFixtures.js"

const header = containerColumns.join(",")
const line = (cells: Record<string, string> = containerRow()) => containerColumns.map((c) => cells[c] ?? "").join(",")

const malformed = (text: string, chunkSize?: number) =>
  failureOf(aggregateUsageCsv(bytes(text, chunkSize), { scope })).pipe(
    Effect.map((error) => (error instanceof MalformedCsv ? { line: error.line, code: error.code } : error))
  )

describe("malformed CSV (csv-parse errors)", () => {
  it.effect("an unterminated quote swallows the rest of the file: the error names the line where input ended", () =>
    Effect.gen(function* () {
      const text = [header, line(), line(), line({ ...containerRow(), pod: '"web-1' }), line()].join("\n")
      expect(yield* malformed(`${text}\n`)).toEqual({ line: 5, code: "CSV_QUOTE_NOT_CLOSED" })
      expect(yield* malformed(`${header}\n${line()}\n"open`)).toEqual({ line: 3, code: "CSV_QUOTE_NOT_CLOSED" })
    })
  )

  it.effect("a quote inside an unquoted field", () =>
    Effect.gen(function* () {
      const text = [header, line(), line({ ...containerRow(), pod: 'web"1' })].join("\n")
      expect(yield* malformed(`${text}\n`)).toEqual({ line: 3, code: "INVALID_OPENING_QUOTE" })
    })
  )

  it.effect("text after a closing quote", () =>
    Effect.gen(function* () {
      const text = [header, line({ ...containerRow(), pod: '"web"1' })].join("\n")
      expect(yield* malformed(`${text}\n`)).toEqual({ line: 2, code: "CSV_INVALID_CLOSING_QUOTE" })
    })
  )

  it.effect("a row with more or fewer fields than the header (Go's ErrFieldCount)", () =>
    Effect.gen(function* () {
      expect(yield* malformed(`${[header, line(), `${line()},extra`, line()].join("\n")}\n`)).toEqual({
        line: 3,
        code: "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH"
      })
      expect(yield* malformed(`${[header, "a,b,c"].join("\n")}\n`)).toEqual({
        line: 2,
        code: "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH"
      })
    })
  )

  it.effect("the line number is right deep into a file read in small chunks", () =>
    Effect.gen(function* () {
      const rows = Array.from({ length: 1500 }, () => line())
      rows[1233] = line({ ...containerRow(), node: 'node"7' })
      expect(yield* malformed(`${[header, ...rows].join("\n")}\n`, 61)).toEqual({
        line: 1235,
        code: "INVALID_OPENING_QUOTE"
      })
    })
  )

  it.effect("carries csv-parse's message", () =>
    Effect.gen(function* () {
      const error = yield* failureOf(aggregate(`${header}\n"unterminated`))
      expect(error).toBeInstanceOf(MalformedCsv)
      expect(error instanceof MalformedCsv && error.message).toMatch(/quote/i)
    })
  )
})

describe("well-formed CSV variants", () => {
  it.effect("quoted cells with commas, quotes and newlines are data, CRLF line ends, empty lines skipped", () =>
    Effect.gen(function* () {
      const odd = containerRow({ image_name: 'reg.io/a,b:"1"\nx', container_name: "c,1" })
      const text = containerCsv([containerRow(), odd]).replaceAll("\n", "\r\n").replace("\r\n", "\r\n\r\n")
      const report = yield* containerReport(`${text}\r\n`)
      expect(report.rows.total).toBe(2)
      expect(report.experiments[0]!.containers).toEqual([
        { container_image_name: "quay.io/shop/web:1", container_name: "app" },
        { container_image_name: 'reg.io/a,b:"1"\r\nx', container_name: "c,1" }
      ])
    })
  )

  it.effect("a UTF-8 byte-order mark does not hide the first column", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(`\uFEFF${containerCsv([containerRow()])}`)
      expect(report.rows.accepted).toBe(1)
    })
  )

  it.effect("a last row without a newline counts", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(containerCsv([containerRow(), containerRow({ pod: "p2" })]).trimEnd())
      expect(report.rows.total).toBe(2)
    })
  )

  it.effect("cells are not trimmed, like Go's reader: ' 1' is not a number", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([containerRow(), containerRow({ cpu_usage_container_avg: " 0.5" })])
      )
      expect(report.rows.dropped.invalid_usage).toBe(1)
    })
  )

  it.effect("chunk boundaries do not matter: 1-byte chunks give the same report as one chunk", () =>
    Effect.gen(function* () {
      const text = containerCsv([
        containerRow(),
        containerRow({ pod: "p2", image_name: '"quoted, image"' }),
        containerRow({ namespace: "ünïcødé-ns" })
      ])
      const whole = yield* aggregateUsageCsv(bytes(text, 1 << 20), { scope })
      const bytewise = yield* aggregateUsageCsv(bytes(text, 1), { scope })
      expect(bytewise).toEqual(whole)
      const withEmptyChunks = bytes(text, 50).pipe(Stream.intersperse(new Uint8Array(0)))
      expect(yield* aggregateUsageCsv(withEmptyChunks, { scope })).toEqual(whole)
      expect(whole._tag === "ContainerUsageReport" && whole.experiments.map((e) => e.namespace)).toEqual([
        "shop",
        "ünïcødé-ns"
      ])
    })
  )
})

describe("empty input and input failures", () => {
  it.effect("an empty file has no header: every required column is missing", () =>
    Effect.gen(function* () {
      expect(yield* failureOf(aggregate(""))).toEqual(
        new MissingColumns({ kind: "container", missing: containerColumns })
      )
      expect(yield* failureOf(aggregate("\n\n", "namespace"))).toEqual(
        new MissingColumns({ kind: "namespace", missing: namespaceColumns })
      )
    })
  )

  it.effect("the byte stream's own error comes through as is", () =>
    Effect.gen(function* () {
      class Download extends Data.TaggedError("Download")<{ readonly status: number }> {}
      const head = new TextEncoder().encode(`${header}\n${line()}\n`)
      const broken = Stream.fromChunk(Chunk.of(head)).pipe(Stream.concat(Stream.fail(new Download({ status: 503 }))))
      const error = yield* failureOf(aggregateUsageCsv(broken, { scope }))
      expect(error).toEqual(new Download({ status: 503 }))
    })
  )

  it.effect("a missing column is reported as soon as the header is read, without pulling the rest", () =>
    Effect.gen(function* () {
      let pulled = 0
      const head = new TextEncoder().encode(`${containerColumns.slice(1).join(",")}\n`)
      const endless = Stream.repeatEffect(Effect.sync(() => (pulled++ === 0 ? head : new Uint8Array([10]))))
      const error = yield* failureOf(aggregateUsageCsv(endless, { scope }))
      expect(error).toEqual(new MissingColumns({ kind: "container", missing: ["report_period_start"] }))
      expect(pulled).toBeLessThan(10)
    })
  )
})
