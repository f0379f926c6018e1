import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { CsvDecimal, formatDecimal, parseDecimal } from "../../../schema/ros/CsvDecimal.js"

describe("parseDecimal (strconv.ParseFloat on a CSV cell)", () => {
  it("reads decimal literals, signs, exponents, leading/trailing points", () => {
    expect(parseDecimal("0")).toBe(0)
    expect(parseDecimal("0.047932")).toBe(0.047932)
    expect(parseDecimal("513587266.064516")).toBe(513587266.064516)
    expect(parseDecimal("-1")).toBe(-1)
    expect(parseDecimal("+2.5")).toBe(2.5)
    expect(parseDecimal("1e3")).toBe(1000)
    expect(parseDecimal("1.5E-3")).toBe(0.0015)
    expect(parseDecimal(".5")).toBe(0.5)
    expect(parseDecimal("5.")).toBe(5)
  })

  it("an empty cell is no value (undefined)", () => {
    expect(parseDecimal("")).toBeUndefined()
  })

  it("anything else is NaN: words, spaces, hex, Inf/NaN, overflow", () => {
    for (const cell of [
      "abc",
      " 1",
      "1 ",
      "1,5",
      "0x10",
      "NaN",
      "Inf",
      "+Inf",
      "1e400",
      "-",
      ".",
      "1e",
      "1e+",
      "--1"
    ]) {
      expect(parseDecimal(cell), cell).toBeNaN()
    }
  })
})

describe("formatDecimal (strconv.FormatFloat(v, 'f', -1, 64))", () => {
  it("prints the shortest round-tripping digits, no rounding (PR #486)", () => {
    expect(formatDecimal(0.047932)).toBe("0.047932")
    expect(formatDecimal(1073741824)).toBe("1073741824")
    expect(formatDecimal(513587266.064516)).toBe("513587266.064516")
    expect(formatDecimal(0.1 + 0.2)).toBe("0.30000000000000004")
    expect(formatDecimal(2)).toBe("2")
    expect(formatDecimal(0)).toBe("0")
    expect(formatDecimal(-0)).toBe("-0")
    expect(formatDecimal(-1.5)).toBe("-1.5")
  })

  it("never uses an exponent", () => {
    expect(formatDecimal(5e-7)).toBe("0.0000005")
    expect(formatDecimal(1.25e-10)).toBe("0.000000000125")
    expect(formatDecimal(-3.5e-8)).toBe("-0.000000035")
    expect(formatDecimal(1e21)).toBe("1000000000000000000000")
    expect(formatDecimal(1.5e22)).toBe("15000000000000000000000")
    expect(formatDecimal(1.2345e25)).toBe("12345000000000000000000000")
  })

  it("round-trips through parseDecimal", () => {
    for (const v of [0.047932, 1e-7, 123456.789, 9007199254740992, 1e21, 2.2250738585072014e-308]) {
      expect(parseDecimal(formatDecimal(v))).toBe(v)
    }
  })

  it("spells non-finite values like Go (never produced by the pipeline)", () => {
    expect(formatDecimal(Number.NaN)).toBe("NaN")
    expect(formatDecimal(Number.POSITIVE_INFINITY)).toBe("+Inf")
    expect(formatDecimal(Number.NEGATIVE_INFINITY)).toBe("-Inf")
  })
})

describe("CsvDecimal schema", () => {
  const decode = Schema.decodeUnknownEither(CsvDecimal)
  it("decodes numbers, and empty or unparsable cells to undefined", () => {
    expect(decode("1.5")).toEqual(Either.right(1.5))
    expect(decode("")).toEqual(Either.right(undefined))
    expect(decode("n/a")).toEqual(Either.right(undefined))
  })
  it("encodes with the Go formatting", () => {
    expect(Schema.encodeSync(CsvDecimal)(5e-7)).toBe("0.0000005")
    expect(Schema.encodeSync(CsvDecimal)(undefined)).toBe("")
  })
})
