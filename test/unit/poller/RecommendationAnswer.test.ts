import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import {
  checkContainerAnswer,
  checkNamespaceAnswer,
  dataKeyFor,
  RecommendationAnswerIncomplete,
  RecommendationAnswerMalformed,
  RecommendationAnswerTypeMismatch
} from "../../../src/poller/RecommendationAnswer.js"
import { containerAnswer, MAX_END, namespaceAnswer } from "./EngineAnswers.js"

const right = <R, L>(e: Either.Either<R, L>): R => {
  if (Either.isLeft(e)) throw new Error(`expected Right, got ${String(e.left)}`)
  return e.right
}
const left = <R, L>(e: Either.Either<R, L>): L => {
  if (Either.isRight(e)) throw new Error(`expected Left, got ${JSON.stringify(e.right)}`)
  return e.left
}

/** A minimal container answer around one container's `recommendations`. */
const withRecommendations = (recommendations: unknown, experimentType: unknown = "container") => [
  { experiment_type: experimentType, kubernetes_objects: [{ containers: [{ container_name: "c", recommendations }] }] }
]
const available = { "111000": { type: "info", message: "Recommendations Are Available", code: 111000 } }
const KEY = "2026-06-01T11:45:00.000Z"

describe("checkContainerAnswer on the engine's answer (kruize.md §4)", () => {
  it("keeps `app` (111000 and a data entry at Max_endtime_report) and rejects `istio-proxy` (120001)", () => {
    const check = right(checkContainerAnswer(containerAnswer(), MAX_END))
    expect(check.valid.map((c) => c.containerName)).toEqual(["app"])
    expect(check.valid[0]?.data).toHaveLength(1)
    expect(check.valid[0]?.data[0]?.monitoring_end_time).toBe("2026-06-01T11:45:00Z")
    expect(check.invalid).toEqual([{ containerName: "istio-proxy", reason: "not_available" }])
  })

  it("a data entry for another time than Max_endtime_report is invalid", () => {
    const check = right(checkContainerAnswer(containerAnswer(), new Date("2026-06-01T12:00:00.000Z")))
    expect(check.valid).toEqual([])
    expect(check.invalid).toEqual([
      { containerName: "app", reason: "no_data_at_max_endtime" },
      { containerName: "istio-proxy", reason: "not_available" }
    ])
  })

  it("the data key is Max_endtime_report in UTC with exactly three fraction digits", () => {
    expect(dataKeyFor(new Date("2023-06-03T02:45:00+02:00"))).toBe("2023-06-03T00:45:00.000Z")
    expect(dataKeyFor(new Date("2023-06-03T00:45:00.5Z"))).toBe("2023-06-03T00:45:00.500Z")
  })
})

describe("checkContainerAnswer: not complete, wrong type (upstream: no commit)", () => {
  it("an empty array or a null body has no experiment", () => {
    for (const body of [[], null]) {
      expect(left(checkContainerAnswer(body, MAX_END))).toEqual(
        new RecommendationAnswerIncomplete({ experimentType: "container", reason: "no_experiment" })
      )
    }
  })

  it("an experiment without kubernetes objects is not complete", () => {
    for (const body of [
      [{ experiment_type: "container" }],
      [{ experiment_type: "container", kubernetes_objects: [] }]
    ]) {
      expect(left(checkContainerAnswer(body, MAX_END))).toEqual(
        new RecommendationAnswerIncomplete({ experimentType: "container", reason: "no_kubernetes_objects" })
      )
    }
  })

  it("experiment_type must be container; missing is the empty string", () => {
    expect(left(checkContainerAnswer(withRecommendations({}, "namespace"), MAX_END))).toEqual(
      new RecommendationAnswerTypeMismatch({ expected: "container", actual: "namespace" })
    )
    expect(left(checkContainerAnswer(withRecommendations({}, null), MAX_END))).toEqual(
      new RecommendationAnswerTypeMismatch({ expected: "container", actual: "" })
    )
  })

  it("a kubernetes object without containers checks nothing: no valid, no invalid", () => {
    const body = [{ experiment_type: "container", kubernetes_objects: [{ type: "deployment" }] }]
    expect(right(checkContainerAnswer(body, MAX_END))).toEqual({ valid: [], invalid: [] })
  })
})

describe("checkContainerAnswer: Go's decoding", () => {
  it("rejects what json.Unmarshal rejects, saying where", () => {
    const cases: ReadonlyArray<readonly [unknown, string]> = [
      [{ experiment_type: "container" }, "body: Expected"],
      ["[]", "body: Expected"],
      [[{ experiment_type: 1 }], "body[0].experiment_type: Expected string"],
      [
        withRecommendations({
          notifications: available,
          data: { [KEY]: { current: { requests: { cpu: { amount: "1" } } } } }
        }),
        `body[0].kubernetes_objects[0].containers[0].recommendations.data["${KEY}"].current.requests.cpu.amount: Expected number, actual "1"`
      ],
      [
        withRecommendations({ data: { [KEY]: { monitoring_end_time: "2026-02-30T00:00:00Z" } } }),
        'expected an RFC 3339 time, got "2026-02-30T00:00:00Z"'
      ],
      [withRecommendations({ notifications: { "111000": { code: 1.5 } } }), "Expected an integer"]
    ]
    for (const [body, message] of cases) {
      const error = left(checkContainerAnswer(body, MAX_END))
      expect(error).toBeInstanceOf(RecommendationAnswerMalformed)
      expect(error.message).toContain(message)
    }
  })

  it("ignores unknown fields, reads null as absent and matches keys case-insensitively", () => {
    const body = [
      {
        Experiment_Type: "container",
        extra: { anything: [1, 2] },
        kubernetes_objects: [
          {
            containers: [
              null,
              {
                Container_Name: "c",
                recommendations: {
                  notifications: { "111000": null },
                  data: { [KEY]: { monitoring_end_time: null, future_field: 1 } }
                }
              }
            ]
          }
        ]
      }
    ]
    const check = right(checkContainerAnswer(body, MAX_END))
    expect(check.invalid).toEqual([{ containerName: "", reason: "not_available" }])
    expect(check.valid).toEqual([{ containerName: "c", data: [{}] }])
  })

  it("keeps every data entry, oldest monitoring_end_time first", () => {
    const body = withRecommendations({
      notifications: available,
      data: {
        [KEY]: { monitoring_end_time: KEY },
        "2026-05-31T11:45:00.000Z": { monitoring_end_time: "2026-05-31T11:45:00.000Z" },
        "2026-05-30T11:45:00.000Z": { monitoring_end_time: "2026-05-30T11:45:00.000Z" }
      }
    })
    const check = right(checkContainerAnswer(body, MAX_END))
    expect(check.valid[0]?.data.map((d) => d.monitoring_end_time)).toEqual([
      "2026-05-30T11:45:00Z",
      "2026-05-31T11:45:00Z",
      "2026-06-01T11:45:00Z"
    ])
  })

  it("only the first kubernetes object of the first experiment counts, as upstream", () => {
    const body = [
      ...withRecommendations({ notifications: available, data: { [KEY]: {} } }),
      ...withRecommendations({ notifications: available, data: { [KEY]: {} } })
    ]
    const [first] = body
    const twoObjects = [{ ...first, kubernetes_objects: [...(first?.kubernetes_objects ?? []), { containers: [{}] }] }]
    expect(right(checkContainerAnswer(body, MAX_END)).valid).toHaveLength(1)
    expect(right(checkContainerAnswer(twoObjects, MAX_END)).invalid).toEqual([])
  })
})

describe("checkNamespaceAnswer", () => {
  it("keeps the namespace of the engine's answer", () => {
    const check = right(checkNamespaceAnswer(namespaceAnswer(), MAX_END))
    expect(check._tag).toBe("Valid")
    if (check._tag !== "Valid") return
    expect(check.namespaceName).toBe("shop")
    expect(check.data.map((d) => d.monitoring_end_time)).toEqual(["2026-06-01T11:45:00Z"])
  })

  it("is invalid without a data entry at Max_endtime_report", () => {
    expect(right(checkNamespaceAnswer(namespaceAnswer(), new Date("2026-06-02T00:00:00Z")))).toEqual({
      _tag: "Invalid",
      namespaceName: "shop",
      reason: "no_data_at_max_endtime"
    })
  })

  it("a container answer is a type mismatch; a namespace answer without `namespaces` is not available", () => {
    expect(left(checkNamespaceAnswer(containerAnswer(), MAX_END))).toEqual(
      new RecommendationAnswerTypeMismatch({ expected: "namespace", actual: "container" })
    )
    expect(
      right(checkNamespaceAnswer([{ experiment_type: "namespace", kubernetes_objects: [{ namespace: "x" }] }], MAX_END))
    ).toEqual({ _tag: "Invalid", namespaceName: "", reason: "not_available" })
  })

  it("a namespace answer through the container reader is a type mismatch too", () => {
    expect(left(checkContainerAnswer(namespaceAnswer(), MAX_END))).toEqual(
      new RecommendationAnswerTypeMismatch({ expected: "container", actual: "namespace" })
    )
  })
})
