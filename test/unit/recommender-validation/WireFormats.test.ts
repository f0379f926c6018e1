import { describe, expect, it } from "@effect/vitest"
import { Either, Option } from "effect"
import {
  ExperimentAlreadyExists,
  ExperimentNotFound,
  errorBody,
  NoMetricsAvailable,
  PerformanceProfileAlreadyExists,
  PerformanceProfileNotFound,
  RecommendationTimestampNotFound
} from "../../../schema/kruize/KruizeError.js"
import { formatJavaOneDecimal, KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { parseJavaDouble } from "../../../schema/kruize/KruizeNumber.js"
import { formatTimestamp, parseIsoTimestamp, parseStrictTimestamp } from "../../../schema/kruize/KruizeTimestamp.js"
import { supportedFormats, supportedFormatsInJavaOrder } from "../../../schema/kruize/MetricName.js"

describe("timestamps (§1)", () => {
  it("formats in UTC with exactly three millisecond digits", () => {
    expect(formatTimestamp(Date.parse("2026-06-01T11:45:00Z"))).toBe("2026-06-01T11:45:00.000Z")
    expect(formatTimestamp(Date.parse("2026-06-01T13:45:00.5+02:00"))).toBe("2026-06-01T11:45:00.500Z")
    const year99 = Option.getOrThrow(parseIsoTimestamp("0099-03-04T05:06:07.008Z"))
    expect(formatTimestamp(year99)).toBe("0099-03-04T05:06:07.008Z")
  })

  it("strict query format: accepts only yyyy-MM-dd'T'HH:mm:ss.SSS'Z' with real dates", () => {
    expect(Option.getOrNull(parseStrictTimestamp("2024-02-29T23:59:59.999Z"))).toBe(
      Date.parse("2024-02-29T23:59:59.999Z")
    )
    for (const bad of [
      "2023-02-29T00:00:00.000Z",
      "2026-06-01T11:45:00Z",
      "2026-06-01T11:45:00.0000Z",
      "2026-06-01T11:45:00.000+00:00",
      "0000-01-01T00:00:00.000Z",
      "2026-00-01T00:00:00.000Z",
      ""
    ]) {
      expect(Option.isNone(parseStrictTimestamp(bad))).toBe(true)
    }
  })

  it("body format: ISO-8601 as Gson's ISO8601Utils reads it", () => {
    const at = (s: string) => Option.getOrNull(parseIsoTimestamp(s))
    const base = Date.parse("2026-06-01T11:45:00.000Z")
    expect(at("2026-06-01T11:45:00.000Z")).toBe(base)
    expect(at("2026-06-01T11:45:00Z")).toBe(base)
    expect(at("2026-06-01T11:45Z")).toBe(base)
    expect(at("2026-06-01T13:45:00+02:00")).toBe(base)
    expect(at("2026-06-01T13:45:00+0200")).toBe(base)
    expect(at("2026-06-01T13:45:00+02")).toBe(base)
    expect(at("2026-06-01T09:15:00-02:30")).toBe(base)
    expect(at("20260601T114500Z")).toBe(base)
    expect(at("2026-06-01T11:45:00.1234567Z")).toBe(base + 123)
    expect(at("2026-06-01T11:45:00.5Z")).toBe(base + 500)
    expect(at("2026-06-01")).toBe(Date.parse("2026-06-01T00:00:00Z"))
    expect(at("2026-06-01T23:59:60Z")).toBe(Date.parse("2026-06-01T23:59:59Z"))
    for (const bad of [
      "2026-06-01T11:45:00",
      "2026-06-01T11:45:00+24:00",
      "2026-06-31T11:45:00Z",
      "2026-06-01T25:00:00Z",
      "June 1, 2026",
      "2026-06-01T11:45:00Zjunk",
      "0000-06-01T11:45:00Z"
    ]) {
      expect(Option.isNone(parseIsoTimestamp(bad))).toBe(true)
    }
  })
})

describe("numbers (§1, Java Double.parseDouble)", () => {
  it.each([
    ["4.4", 4.4],
    [" 4.4 ", 4.4],
    ["+4.4", 4.4],
    ["-4.4", -4.4],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1.5E-2", 0.015],
    ["4.4d", 4.4],
    ["4f", 4],
    ["536870912", 536870912],
    ["Infinity", Number.POSITIVE_INFINITY],
    ["-Infinity", Number.NEGATIVE_INFINITY]
  ])("%j → %d", (text, value) => {
    expect(parseJavaDouble(text)).toStrictEqual(Either.right(value))
  })

  it("NaN parses (and is rejected later)", () => {
    const parsed = parseJavaDouble("NaN")
    expect(Either.isRight(parsed) && Number.isNaN(parsed.right)).toBe(true)
  })

  it("errors carry Java's messages", () => {
    expect(parseJavaDouble("")).toStrictEqual(Either.left(KruizeMessages.aggregationInfoInvalidValue))
    expect(parseJavaDouble("abc")).toStrictEqual(Either.left('For input string: "abc"'))
    expect(parseJavaDouble("  1 2 ")).toStrictEqual(Either.left('For input string: "1 2"'))
    expect(parseJavaDouble("nan")).toStrictEqual(Either.left('For input string: "nan"'))
  })

  it("%.1f like Java: shortest digits, half-up", () => {
    expect(formatJavaOneDecimal(2)).toBe("2.0")
    expect(formatJavaOneDecimal(2.25)).toBe("2.3")
    expect(formatJavaOneDecimal(0.15)).toBe("0.2")
    expect(formatJavaOneDecimal(1.04)).toBe("1.0")
    expect(formatJavaOneDecimal(-0.04)).toBe("-0.0")
    expect(formatJavaOneDecimal(1e21)).toBe("1000000000000000000000.0")
    expect(formatJavaOneDecimal(1.5e-7)).toBe("0.0")
  })
})

describe("supported formats (§2.5)", () => {
  // Java's HashSet iteration: buckets of a 64-slot table by (h ^ h >>> 16) & 63 of String.hashCode, in insertion order
  // inside a bucket; Kruize inserts the formats in the order of the spec's list.
  const javaHashSetOrder = (items: ReadonlyArray<string>) => {
    const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(31, h) + c.charCodeAt(0)) | 0, 0)
    const buckets: Array<Array<string>> = Array.from({ length: 64 }, () => [])
    for (const item of items) {
      const h = hash(item)
      buckets[(h ^ (h >>> 16)) & 63]?.push(item)
    }
    return `[${buckets.flat().join(", ")}]`
  }

  it("the message lists them in Java HashSet order", () => {
    expect(supportedFormatsInJavaOrder).toBe(javaHashSetOrder([...supportedFormats]))
    expect(supportedFormats.size).toBe(31)
  })

  it("the rule reproduces the list Kruize's own tests expect (before `percentage` was added)", () => {
    expect(javaHashSetOrder([...supportedFormats].filter((f) => f !== "percentage"))).toBe(
      "[GiB, Gi, Ei, KiB, E, MiB, G, PiB, K, TiB, M, P, Bytes, cores, T, Ti, MB, KB, Pi, GB, EB, k, m, TB, PB, bytes, kB, Mi, Ki, EiB]"
    )
  })
})

describe("typed failures render the error envelope (§1)", () => {
  it.each([
    [new ExperimentAlreadyExists({ experimentName: "e" }), 409, "Experiment name already exists: e"],
    [
      new ExperimentNotFound({ experimentName: "e", endpoint: "updateRecommendations" }),
      400,
      "Not Found: experiment_name does not exist: e"
    ],
    [
      new ExperimentNotFound({ experimentName: "e", endpoint: "listRecommendations" }),
      400,
      'Given experiment name - " e " is not valid'
    ],
    [
      new ExperimentNotFound({ experimentName: "e", endpoint: "listExperiments" }),
      400,
      'Given experiment name - " e " is not valid'
    ],
    [new ExperimentNotFound({ experimentName: "e", endpoint: "deleteExperiment" }), 400, "Experiment not found!"],
    [
      new PerformanceProfileNotFound({ name: "p", endpoint: "createExperiment" }),
      400,
      "Not Found: performance_profile does not exist: p"
    ],
    [
      new PerformanceProfileNotFound({ name: "p", endpoint: "updatePerformanceProfile" }),
      404,
      "Validation failed: Performance Profile 'p' not found. Use POST to create a new profile."
    ],
    [
      new PerformanceProfileAlreadyExists({ name: "p", sameVersion: true }),
      409,
      "Validation failed: Performance Profile already exists: p"
    ],
    [
      new NoMetricsAvailable({ fromMs: 0, toMs: 1000 }),
      400,
      "No metrics available from 1970-01-01T00:00:00.000Z to 1970-01-01T00:00:01.000Z"
    ],
    [
      new RecommendationTimestampNotFound({ timestamp: "2026-06-01T11:45:00.000Z" }),
      400,
      'Recommendation for timestamp - " 2026-06-01T11:45:00.000Z " does not exist'
    ]
  ])("%s", (failure, httpcode, message) => {
    expect(failure.httpcode).toBe(httpcode)
    expect(failure.message).toBe(message)
    expect(errorBody(failure)).toStrictEqual({ message, httpcode, documentationLink: "", status: "ERROR" })
  })
})
