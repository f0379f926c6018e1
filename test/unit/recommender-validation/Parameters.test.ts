import { describe, expect, it } from "@effect/vitest"
import { errorBody, type KruizeFailure } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { validateDeleteExperiment } from "../../../src/recommender/validation/DeleteExperimentValidation.js"
import { validateListExperiments } from "../../../src/recommender/validation/ListExperimentsParams.js"
import { validateListRecommendations } from "../../../src/recommender/validation/ListRecommendationsParams.js"
import type { QueryParams } from "../../../src/recommender/validation/QueryParams.js"
import {
  noMetricsAvailable,
  resultsWindow,
  validateUpdateRecommendations
} from "../../../src/recommender/validation/UpdateRecommendationsParams.js"
import { left, right } from "../../support/kruizeFixtures.js"

const known = "exp-1"
const experimentExists = (name: string) => name === known
const T = "2026-06-01T11:45:00.000Z"
const Tms = Date.parse(T)

const expectFailure = (failure: KruizeFailure, message: string, httpcode = 400) =>
  expect(errorBody(failure)).toStrictEqual({ message, httpcode, documentationLink: "", status: "ERROR" })

describe("updateRecommendations parameters (§2.7)", () => {
  const validate = (params: QueryParams) => validateUpdateRecommendations(params, { experimentExists })

  it("a valid request", () => {
    expect(
      right(
        validate([
          ["experiment_name", known],
          ["interval_end_time", T],
          ["interval_start_time", "ignored"]
        ])
      )
    ).toStrictEqual({ experimentName: known, intervalEndMs: Tms, intervalEndTime: T })
  })

  it("missing parameters, with Kruize's exact punctuation", () => {
    expectFailure(left(validate([["interval_end_time", T]])), "experiment_name is mandatory, ")
    expectFailure(left(validate([["experiment_name", known]])), "interval_end_time is mandatory")
    expectFailure(left(validate([])), "experiment_name is mandatory, interval_end_time is mandatory")
    expectFailure(
      left(
        validate([
          ["experiment_name", ""],
          ["interval_end_time", ""]
        ])
      ),
      "experiment_name is mandatory, interval_end_time is mandatory"
    )
  })

  it.each([
    "2026-06-01T11:45:00Z",
    "2026-06-01T11:45:00.0Z",
    "2026-06-01T11:45:00.000+00:00",
    "2026-06-01 11:45:00.000Z",
    "2026-06-31T11:45:00.000Z",
    "2026-06-01T24:00:00.000Z",
    "2026-06-01T11:45:60.000Z",
    "2026-6-1T11:45:00.000Z",
    "yesterday",
    " 2026-06-01T11:45:00.000Z"
  ])("a timestamp not in the strict format: %j", (ts) => {
    expectFailure(
      left(
        validate([
          ["experiment_name", known],
          ["interval_end_time", ts]
        ])
      ),
      `Given timestamp - " ${ts} " is not a valid timestamp format`
    )
  })

  it("format is checked before the experiment", () => {
    expectFailure(
      left(
        validate([
          ["experiment_name", "nope"],
          ["interval_end_time", "bad"]
        ])
      ),
      'Given timestamp - " bad " is not a valid timestamp format'
    )
  })

  it("an unknown experiment", () => {
    const failure = left(
      validate([
        ["experiment_name", "nope"],
        ["interval_end_time", T]
      ])
    )
    expect(failure._tag).toBe("ExperimentNotFound")
    expectFailure(failure, "Not Found: experiment_name does not exist: nope")
  })

  it("the 15-day results window and its 400", () => {
    expect(resultsWindow(Tms)).toStrictEqual({ fromMs: Date.parse("2026-05-17T11:45:00.000Z"), toMs: Tms })
    expectFailure(
      noMetricsAvailable(Tms),
      "No metrics available from 2026-05-17T11:45:00.000Z to 2026-06-01T11:45:00.000Z"
    )
  })
})

describe("listRecommendations parameters (§2.8)", () => {
  const stored = new Set([`${known}|${Tms}`])
  const view = {
    experimentExists,
    recommendationExists: (name: string | undefined, endMs: number) =>
      name === undefined ? [...stored].some((k) => k.endsWith(`|${endMs}`)) : stored.has(`${name}|${endMs}`)
  }
  const validate = (params: QueryParams) => validateListRecommendations(params, view)

  it("defaults: all experiments, latest only", () => {
    expect(right(validate([["rm", "true"]]))).toStrictEqual({ latest: true })
  })

  it("latest is false only for 'false' in any case", () => {
    expect(right(validate([["latest", "FALSE"]])).latest).toBe(false)
    expect(right(validate([["latest", "no"]])).latest).toBe(true)
  })

  it("a name is trimmed and must exist", () => {
    expect(right(validate([["experiment_name", ` ${known} `]]))).toStrictEqual({ latest: true, experimentName: known })
    const failure = left(validate([["experiment_name", "nope"]]))
    expect(failure._tag).toBe("ExperimentNotFound")
    expectFailure(failure, 'Given experiment name - " nope " is not valid')
    expectFailure(left(validate([["experiment_name", ""]])), 'Given experiment name - "  " is not valid')
  })

  it("with a name, the experiment is checked before the timestamp", () => {
    expectFailure(
      left(
        validate([
          ["experiment_name", "nope"],
          ["monitoring_end_time", "bad"]
        ])
      ),
      'Given experiment name - " nope " is not valid'
    )
  })

  it("monitoring_end_time: strict format, then existence", () => {
    expect(
      right(
        validate([
          ["experiment_name", known],
          ["monitoring_end_time", T]
        ])
      )
    ).toStrictEqual({ latest: true, experimentName: known, monitoringEndMs: Tms, monitoringEndTime: T })
    expectFailure(
      left(validate([["monitoring_end_time", "2026-06-01T11:45:00Z"]])),
      'Given timestamp - " 2026-06-01T11:45:00Z " is not a valid timestamp format'
    )
    const missing = left(validate([["monitoring_end_time", "2026-06-01T12:00:00.000Z"]]))
    expect(missing._tag).toBe("RecommendationTimestampNotFound")
    expectFailure(missing, 'Recommendation for timestamp - " 2026-06-01T12:00:00.000Z " does not exist')
    expect(right(validate([["monitoring_end_time", ` ${T}`]])).monitoringEndTime).toBe(T)
  })

  it("an empty monitoring_end_time is ignored, unknown parameters too", () => {
    expect(
      right(
        validate([
          ["monitoring_end_time", ""],
          ["whatever", "1"]
        ])
      )
    ).toStrictEqual({ latest: true })
  })
})

describe("listExperiments parameters (§2.4)", () => {
  const validate = (params: QueryParams) => validateListExperiments(params, { experimentExists })

  it("defaults", () => {
    expect(right(validate([["rm", "true"]]))).toStrictEqual({ results: false, recommendations: false, latest: true })
  })

  it("booleans in any case", () => {
    expect(
      right(
        validate([
          ["results", "TRUE"],
          ["recommendations", "true"],
          ["latest", "False"],
          ["experiment_name", known]
        ])
      )
    ).toStrictEqual({ results: true, recommendations: true, latest: false, experimentName: known })
  })

  it("unknown parameters first", () => {
    expectFailure(
      left(
        validate([
          ["foo", "1"],
          ["results", "maybe"],
          ["bar", "2"],
          ["foo", "3"]
        ])
      ),
      'The query param(s) - " [foo, bar] " is/are invalid'
    )
  })

  it("then non-boolean values", () => {
    for (const key of ["results", "recommendations", "latest", "rm"]) {
      expectFailure(left(validate([[key, "yes"]])), "The query param value(s) is/are invalid")
    }
  })

  it("then the experiment", () => {
    const failure = left(validate([["experiment_name", "nope"]]))
    expect(failure._tag).toBe("ExperimentNotFound")
    expectFailure(failure, 'Given experiment name - " nope " is not valid')
  })
})

describe("deleteExperiment (§2.3)", () => {
  const validate = (body: unknown) =>
    validateDeleteExperiment(typeof body === "string" ? body : JSON.stringify(body), { experimentExists })

  it("returns the name; other fields are ignored; rm is not looked at", () => {
    expect(right(validate([{ experiment_name: known, cluster_name: "x" }]))).toBe(known)
  })

  it("more than one element", () => {
    expectFailure(
      left(validate([{ experiment_name: known }, { experiment_name: known }])),
      "At present, the system does not support bulk entries!"
    )
  })

  it("unknown, missing or empty names", () => {
    for (const body of [[{ experiment_name: "nope" }], [{}], [{ experiment_name: null }], []]) {
      const failure = left(validate(body))
      expect(failure._tag).toBe("ExperimentNotFound")
      expectFailure(failure, "Experiment not found!")
    }
  })

  it.each(["", "not json", "{}", '[{"experiment_name": 5}]', "[1]"])("malformed body %j → 400", (body) => {
    const failure = left(validate(body))
    expect(failure._tag).toBe("KruizeRequestError")
    expect(failure.httpcode).toBe(400)
    expect(failure.message.startsWith("Failed to parse the JSON. Please check the input payload: ")).toBe(true)
  })

  it("the success message", () => {
    expect(KruizeMessages.experimentDeleted).toBe(
      "Experiment deleted successfully. View registered experiments at /listExperiments"
    )
  })
})
