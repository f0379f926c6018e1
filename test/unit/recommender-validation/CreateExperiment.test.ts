import { describe, expect, it } from "@effect/vitest"
import { errorBody, type KruizeFailure } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { successResponse } from "../../../schema/kruize/KruizeResponse.js"
import {
  type CreateExperimentView,
  validateCreateExperiment
} from "../../../src/recommender/validation/CreateExperimentValidation.js"
import {
  containerExperimentJson,
  containerExperimentName,
  left,
  namespaceExperimentJson,
  right
} from "../../support/kruizeFixtures.js"

const emptyStore: CreateExperimentView = {
  experimentExists: () => false,
  performanceProfileExists: (name) => name === "resource-optimization-openshift"
}

const create = (body: unknown, view: CreateExperimentView = emptyStore) =>
  validateCreateExperiment(typeof body === "string" ? body : JSON.stringify(body), view)

const expectFailure = (body: unknown, message: string, httpcode = 400, view?: CreateExperimentView) => {
  const failure: KruizeFailure = left(create(body, view))
  expect(errorBody(failure)).toStrictEqual({ message, httpcode, documentationLink: "", status: "ERROR" })
  return failure
}

const withObject = (object: Record<string, unknown>, overrides: Record<string, unknown> = {}) =>
  containerExperimentJson({ kubernetes_objects: [object], ...overrides })

describe("createExperiment: accepted experiments", () => {
  it("ROS's container experiment", () => {
    expect(right(create([containerExperimentJson()]))).toStrictEqual({
      experimentName: containerExperimentName,
      version: "1.0",
      clusterName: "7654321;9b1c5e2a",
      performanceProfile: "resource-optimization-openshift",
      mode: "monitor",
      targetCluster: "remote",
      experimentType: "container",
      measurementDuration: "15min",
      measurementDurationMinutes: 15,
      threshold: 0.1,
      terms: ["short", "medium", "long"],
      models: ["cost", "performance"],
      target: {
        _tag: "WorkloadTarget",
        type: "deployment",
        name: "frontend",
        namespace: "shop",
        containers: [{ containerName: "app", containerImageName: "quay.io/acme/frontend:1.4" }]
      }
    })
  })

  it("ROS's namespace experiment", () => {
    const definition = right(create([namespaceExperimentJson()]))
    expect(definition.experimentType).toBe("namespace")
    expect(definition.target).toStrictEqual({ _tag: "NamespaceTarget", namespace: "shop" })
  })

  it("experiment_type is case-insensitive, null means container", () => {
    expect(right(create([namespaceExperimentJson({ experiment_type: "NameSpace" })])).experimentType).toBe("namespace")
    expect(right(create([containerExperimentJson({ experiment_type: null })])).experimentType).toBe("container")
    expect(right(create([containerExperimentJson({ experiment_type: "CONTAINER" })])).experimentType).toBe("container")
  })

  it.each(["deployment", "deploymentConfig", "statefulset", "replicaset", "replicationController", "daemonset", "job"])(
    "workload type %s (any case)",
    (type) => {
      expect(right(create([withObject({ type, name: "w", namespace: "n" })])).target).toMatchObject({ type })
      expect(right(create([withObject({ type: type.toUpperCase(), name: "w", namespace: "n" })])).target).toMatchObject(
        {
          type: type.toUpperCase()
        }
      )
    }
  )

  it("threshold: numeric string or number; absent, ≤ 0 or NaN means 0.1", () => {
    const threshold = (value: unknown) =>
      right(create([containerExperimentJson({ recommendation_settings: { threshold: value } })])).threshold
    expect(threshold("0.25")).toBe(0.25)
    expect(threshold(5)).toBe(5)
    expect(threshold(null)).toBe(0.1)
    expect(threshold(0)).toBe(0.1)
    expect(threshold("-3")).toBe(0.1)
    expect(threshold("NaN")).toBe(0.1)
    expect(right(create([containerExperimentJson({ recommendation_settings: null })])).threshold).toBe(0.1)
  })

  it("terms and models subsets", () => {
    const definition = right(
      create([
        containerExperimentJson({
          recommendation_settings: {
            term_settings: { terms: ["short", "long", "short"] },
            model_settings: { models: ["performance"] }
          }
        })
      ])
    )
    expect(definition.terms).toStrictEqual(["short", "long"])
    expect(definition.models).toStrictEqual(["performance"])
  })

  it("unvalidated strings are kept as sent; containers may be absent", () => {
    const definition = right(create([withObject({ type: "job", name: "", namespace: " " }, { version: "v2.0" })]))
    expect(definition.version).toBe("v2.0")
    expect(definition.target).toStrictEqual({
      _tag: "WorkloadTarget",
      type: "job",
      name: "",
      namespace: " ",
      containers: []
    })
  })

  it("the success envelope", () => {
    expect(successResponse(KruizeMessages.experimentRegistered)).toStrictEqual({
      message: "Experiment registered successfully with Kruize. View registered experiments at /listExperiments",
      httpcode: 201,
      documentationLink: "",
      status: "SUCCESS"
    })
  })
})

describe("createExperiment: rejections in processing order", () => {
  it.each([
    ["not JSON", "{{"],
    ["an object instead of an array", JSON.stringify(containerExperimentJson())],
    ["a number", "1"],
    ["a wrongly typed field", JSON.stringify([containerExperimentJson({ experiment_name: 42 })])],
    ["a huge name", JSON.stringify([containerExperimentJson({ experiment_name: "n".repeat(5000) })])],
    [
      "a non-numeric threshold",
      JSON.stringify([containerExperimentJson({ recommendation_settings: { threshold: "x" } })])
    ]
  ])("1: %s → 400 with where and what", (_, body) => {
    const failure = left(create(body))
    expect(failure._tag).toBe("KruizeRequestError")
    expect(failure.httpcode).toBe(400)
    expect(failure.message.startsWith("Failed to parse the JSON. Please check the input payload: $")).toBe(true)
  })

  it("1: the failing field is named", () => {
    expect(left(create([containerExperimentJson({ experiment_name: 42 })])).message).toBe(
      "Failed to parse the JSON. Please check the input payload: $[0].experiment_name: expected a string"
    )
    expect(left(create([containerExperimentJson({ experiment_name: "n".repeat(5000) })])).message).toBe(
      "Failed to parse the JSON. Please check the input payload: $[0].experiment_name: longer than 4096 characters"
    )
    expect(left(create([containerExperimentJson({ recommendation_settings: { threshold: "x" } })])).message).toBe(
      'Failed to parse the JSON. Please check the input payload: $[0].recommendation_settings.threshold: For input string: "x"'
    )
  })

  it("1: an empty array", () => {
    expect(left(create([])).httpcode).toBe(400)
  })

  it("1: a bad experiment_type, even before the bulk check", () => {
    expectFailure([containerExperimentJson({ experiment_type: "pod" })], "Invalid experiment_type : pod")
    expectFailure(
      [containerExperimentJson(), containerExperimentJson({ experiment_type: "cluster" })],
      "Invalid experiment_type : cluster"
    )
  })

  it("2: more than one experiment", () => {
    expectFailure(
      [containerExperimentJson(), namespaceExperimentJson()],
      "At present, the system does not support bulk entries!"
    )
  })

  it("3: namespace data in a container experiment", () => {
    expectFailure(
      [withObject({ type: "deployment", name: "a", namespace: "b", namespaces: { namespace: "b" } })],
      "Can not specify namespace data for container experiment"
    )
  })

  it("3: container data in a namespace experiment, even empty", () => {
    expectFailure(
      [namespaceExperimentJson({ kubernetes_objects: [{ namespaces: { namespace: "shop" }, containers: [] }] })],
      "Can not specify container data for namespace experiment"
    )
  })

  it("3: auto or recreate mode on remote", () => {
    expectFailure(
      [containerExperimentJson({ mode: "auto" })],
      "Auto or recreate mode is not supported for remote monitoring use case."
    )
    expectFailure(
      [containerExperimentJson({ mode: "Recreate" })],
      "Auto or recreate mode is not supported for remote monitoring use case."
    )
  })

  it("3 before 4 before 5", () => {
    expectFailure(
      [
        containerExperimentJson({
          experiment_name: null,
          mode: "auto",
          kubernetes_objects: [{ type: "deployment", namespaces: { namespace: "x" } }]
        })
      ],
      "Can not specify namespace data for container experiment"
    )
    expectFailure(
      [containerExperimentJson({ experiment_name: null, mode: "experiment" })],
      "Invalid Mode experiment for target cluster as Remote."
    )
  })

  it("4: remote needs monitor mode; other targets do not exist here (400, not Kruize's 500)", () => {
    expectFailure(
      [containerExperimentJson({ mode: "experiment" })],
      "Invalid Mode experiment for target cluster as Remote."
    )
    expectFailure([containerExperimentJson({ mode: null })], "Invalid Mode null for target cluster as Remote.")
    expectFailure([containerExperimentJson({ target_cluster: "local" })], "Invalid Target cluster type")
    expectFailure([containerExperimentJson({ target_cluster: null })], "Invalid Target cluster type")
  })

  it("5: mandatory parameters, all missing ones listed", () => {
    expectFailure(
      [containerExperimentJson({ experiment_name: null })],
      "Mandatory parameters missing [experimentName] "
    )
    expectFailure(
      [containerExperimentJson({ experiment_name: "  " })],
      "Mandatory parameters missing [experimentName] "
    )
    expectFailure(
      [containerExperimentJson({ experiment_name: null, kubernetes_objects: [], trial_settings: {} })],
      "Mandatory parameters missing [experimentName, kubernetes_objects, measurement_duration] "
    )
    expectFailure(
      [containerExperimentJson({ trial_settings: null })],
      "Mandatory parameters missing [measurement_duration] "
    )
  })

  it("5: one Kubernetes object at most", () => {
    const object = { type: "deployment", name: "a", namespace: "b" }
    expectFailure(
      [containerExperimentJson({ kubernetes_objects: [object, object] })],
      "kubernetes_objects: Bulk Kubernetes objects are currently unsupported!"
    )
  })

  it.each(["15", "15sec", "min", "0min", "-5min", "xmin"])("5: measurement_duration %j", (value) => {
    expectFailure(
      [containerExperimentJson({ trial_settings: { measurement_duration: value } })],
      `Invalid measurement_duration: ${value}. Expected "<minutes>min", e.g. "15min"`
    )
  })

  it("5: measurement_duration is parsed like Kruize (strip `min`, Java double)", () => {
    const minutes = (value: string) =>
      right(create([containerExperimentJson({ trial_settings: { measurement_duration: value } })]))
        .measurementDurationMinutes
    expect(minutes("15min")).toBe(15)
    expect(minutes("30min")).toBe(30)
    expect(minutes("7.5min")).toBe(7.5)
    expect(minutes("15 min")).toBe(15)
  })

  it("6: terms and models", () => {
    const settings = (terms: unknown, models?: unknown) => [
      containerExperimentJson({
        recommendation_settings: {
          term_settings: { terms },
          ...(models === undefined ? {} : { model_settings: { models } })
        }
      })
    ]
    expectFailure(settings([""]), "Empty term or model value.")
    expectFailure(settings([null]), "Empty term or model value.")
    expectFailure(settings(["short", " "]), "Empty term or model value.")
    expectFailure(settings(["weekly"]), "Term name is not supported. Use short, medium or long term.")
    expectFailure(settings(["Short"]), "Term name is not supported. Use short, medium or long term.")
    expectFailure(settings(["short"], ["cheap"]), "Model name is not supported. Use cost or performance.")
    expectFailure(settings(["short"], [""]), "Empty term or model value.")
    expectFailure(settings(["weekly"], [""]), "Term name is not supported. Use short, medium or long term.")
  })

  it("7: an unsupported or missing workload type", () => {
    expectFailure([withObject({ type: "pod", name: "a", namespace: "b" })], "Invalid deployment type: pod")
    expectFailure([withObject({ name: "a", namespace: "b" })], "Invalid deployment type: null")
  })

  it("7: namespace data missing", () => {
    expectFailure(
      [namespaceExperimentJson({ kubernetes_objects: [{}] })],
      "Missing NamespaceData for experimentType: NAMESPACE"
    )
    expectFailure(
      [namespaceExperimentJson({ kubernetes_objects: [{ namespaces: {} }] })],
      "Missing namespace for experimentType: NAMESPACE"
    )
    expectFailure(
      [namespaceExperimentJson({ kubernetes_objects: [{ namespaces: { namespace: "" } }] })],
      "Missing namespace for experimentType: NAMESPACE"
    )
  })

  it("8: an existing name is a 409 ROS treats as success", () => {
    const view = { ...emptyStore, experimentExists: (name: string) => name === containerExperimentName }
    const failure = expectFailure(
      [containerExperimentJson({ performance_profile: "missing" })],
      `Experiment name already exists: ${containerExperimentName}`,
      409,
      view
    )
    expect(failure._tag).toBe("ExperimentAlreadyExists")
    expect(failure.message).toContain("Experiment name already exists")
  })

  it("9: performance profile and SLO", () => {
    expectFailure(
      [containerExperimentJson({ slo: { direction: "minimize" } })],
      "SLO Data and Performance Profile cannot exist simultaneously!"
    )
    const missing = expectFailure(
      [containerExperimentJson({ performance_profile: "other" })],
      "Not Found: performance_profile does not exist: other"
    )
    expect(missing._tag).toBe("PerformanceProfileNotFound")
    expectFailure(
      [containerExperimentJson({ performance_profile: null })],
      "No Performance Profile or SLO data is Present!"
    )
    expect(
      left(create([containerExperimentJson({ performance_profile: null, slo: { direction: "minimize" } })])).httpcode
    ).toBe(400)
  })
})
