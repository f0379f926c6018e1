/**
 * The fast paths of the CSV reader must not change a thing: records and errors (line, code, message) are those
 * of csv-parse over the whole file, whatever the chunking, and a float cell reads as `parseDecimal` reads it.
 */
import { describe, expect, it } from "@effect/vitest"
import { CsvError } from "csv-parse"
import { parse } from "csv-parse/sync"
import { Effect, Either, FastCheck as fc } from "effect"
import { parseDecimal } from "../../../schema/ros/CsvDecimal.js"
import { type CsvRecord, CsvRecordReader } from "../../../src/processor/csv/CsvRecordReader.js"
import { readDecimal } from "../../../src/processor/csv/UsageCells.js"

interface Outcome {
  readonly records: ReadonlyArray<CsvRecord> | null
  readonly error: { readonly line: number; readonly code: string; readonly message: string } | null
}

/** csv-parse over the whole text, with the options the reader promises to mirror. */
const reference = (text: string): Outcome => {
  try {
    const records: Array<Array<string>> = parse(text, { bom: true, skip_empty_lines: true })
    return { records, error: null }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error
    const line = (error as CsvError & { readonly lines?: number }).lines ?? -1
    return { records: null, error: { line, code: error.code, message: error.message } }
  }
}

const read = (text: string, chunkSize: number) =>
  Effect.gen(function* () {
    const bytes = new TextEncoder().encode(text)
    const reader = new CsvRecordReader()
    const records: Array<CsvRecord> = []
    const fail = (e: { readonly line: number; readonly code: string; readonly message: string }): Outcome => ({
      records: null,
      error: { line: e.line, code: e.code, message: e.message }
    })
    for (let i = 0; i < bytes.length; i += chunkSize) {
      const failed = reader.write(bytes.subarray(i, i + chunkSize), records)
      if (failed !== undefined) return fail(failed)
    }
    const end = yield* Effect.either(reader.end(records))
    return Either.isLeft(end) ? fail(end.left) : ({ records, error: null } satisfies Outcome)
  })

const cell = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("a", "bc", "", "1.5", "ü", "€uro", "0.033264", "<none>") },
  { weight: 1, arbitrary: fc.constantFrom('"q"', '"a,b"', '"x\ny"', 'x"y', '"a""b"', "\r", " ", '"open', "a\r\nb") }
)
const csvText = fc
  .record({
    columns: fc.integer({ min: 1, max: 4 }),
    lines: fc.array(fc.tuple(fc.integer({ min: -1, max: 1 }), fc.array(cell, { minLength: 5, maxLength: 5 })), {
      maxLength: 12
    }),
    blank: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
    crlf: fc.boolean(),
    finalNewline: fc.boolean(),
    bom: fc.boolean()
  })
  .map(({ columns, lines, blank, crlf, finalNewline, bom }) => {
    const text = lines
      .map(([delta, cells], i) =>
        blank[i] === true && i % 3 === 0 ? "" : cells.slice(0, Math.max(1, columns + delta)).join(",")
      )
      .join(crlf ? "\r\n" : "\n")
    return `${bom ? "\uFEFF" : ""}${text}${finalNewline ? (crlf ? "\r\n" : "\n") : ""}`
  })

describe("CsvRecordReader agrees with csv-parse", () => {
  it.effect("records and errors, for any chunking", () =>
    Effect.gen(function* () {
      const samples = fc.sample(fc.tuple(csvText, fc.constantFrom(1, 2, 3, 7, 64, 1 << 16)), {
        numRuns: 3000,
        seed: 4242
      })
      for (const [text, chunkSize] of samples) {
        expect(yield* read(text, chunkSize), JSON.stringify({ text, chunkSize })).toEqual(reference(text))
      }
    })
  )

  it.effect("a quote far into a plain file: csv-parse takes over with the right line numbers", () =>
    Effect.gen(function* () {
      const rows = Array.from({ length: 500 }, (_, i) => `r${i},${i}`)
      const late = ["h1,h2", ...rows, '"quoted,cell",1', "x,y", 'bad"quote,2'].join("\n")
      expect(yield* read(`${late}\n`, 100)).toEqual(reference(`${late}\n`))
      const wrongLength = ["h1,h2", "", ...rows, "a,b,c"].join("\n")
      expect(yield* read(wrongLength, 4096)).toEqual(reference(wrongLength))
    })
  )
})

describe("readDecimal agrees with parseDecimal", () => {
  const same = (cellText: string) => Object.is(readDecimal(cellText), parseDecimal(cellText))

  it("on numbers as the operator writes them", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 12 }), (x, digits) =>
        same(x.toFixed(digits))
      ),
      { numRuns: 5000, seed: 7 }
    )
    for (const text of [
      "0",
      "-0",
      "5.",
      ".5",
      "000001.5",
      "999999999999999",
      "9999999999999999",
      "1.0000000000000000"
    ]) {
      expect(same(text), text).toBe(true)
    }
  })

  it("on anything made of digits, points, signs and exponents", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[-+0-9.eE x]{0,20}$/), (text) => same(text)),
      { numRuns: 20000, seed: 11 }
    )
  })
})
