import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { errorBody, type KruizeFailure } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import {
  type PerformanceProfile,
  profileMetricNames,
  toListedProfile
} from "../../../schema/kruize/PerformanceProfile.js"
import {
  validateCreatePerformanceProfile,
  validateDeletePerformanceProfile,
  validateUpdatePerformanceProfile
} from "../../../src/recommender/validation/PerformanceProfileValidation.js"
import { left, right, rosProfile, rosProfileJson } from "../../support/kruizeFixtures.js"

const store = (...profiles: Array<PerformanceProfile>) => ({
  performanceProfile: (name: string) => Option.fromNullable(profiles.find((p) => p.name === name))
})

const create = (body: unknown, view = store()) =>
  validateCreatePerformanceProfile(typeof body === "string" ? body : JSON.stringify(body), view)
const update = (body: unknown, view = store(rosProfile)) =>
  validateUpdatePerformanceProfile(typeof body === "string" ? body : JSON.stringify(body), view)

const expectFailure = (failure: KruizeFailure, message: string, httpcode = 400) =>
  expect(errorBody(failure)).toStrictEqual({ message, httpcode, documentationLink: "", status: "ERROR" })

const slo = rosProfileJson.slo
const withSlo = (overrides: Record<string, unknown>) => ({ ...rosProfileJson, slo: { ...slo, ...overrides } })
const firstVariable = slo.function_variables[0]
const withVariable = (overrides: Record<string, unknown>) =>
  withSlo({ function_variables: [{ ...firstVariable, ...overrides }, ...slo.function_variables.slice(1)] })

describe("createPerformanceProfile (§2.1)", () => {
  it("ROS's profile", () => {
    const profile = right(create(rosProfileJson))
    expect(profile.name).toBe("resource-optimization-openshift")
    expect(profile.profile_version).toBe(2)
    expect(profile.slo.function_variables).toHaveLength(19)
    expect(profileMetricNames(profile).has("cpuUsage")).toBe(true)
    expect(profileMetricNames(profile).has("namespaceTotalPods")).toBe(true)
    expect(KruizeMessages.profileCreated(profile.name)).toBe(
      "Performance Profile : resource-optimization-openshift created successfully. View Performance Profiles at /listPerformanceProfiles"
    )
  })

  it("kubernetes_object defaults to container; k8s_type may be absent", () => {
    const { k8s_type: _, ...withoutType } = rosProfileJson
    const profile = right(
      create({ ...withoutType, slo: { ...slo, function_variables: [{ ...firstVariable, kubernetes_object: null }] } })
    )
    expect(profile.k8s_type).toBeUndefined()
    expect(profile.slo.function_variables[0]?.kubernetes_object).toBe("container")
  })

  it("the same name twice: 409, worded by version", () => {
    const same = left(create(rosProfileJson, store(rosProfile)))
    expect(same._tag).toBe("PerformanceProfileAlreadyExists")
    expectFailure(same, "Validation failed: Performance Profile already exists: resource-optimization-openshift", 409)
    expectFailure(
      left(create({ ...rosProfileJson, profile_version: 3 }, store(rosProfile))),
      "Validation failed: Performance profile 'resource-optimization-openshift' already exists with a different version. Use the /updatePerformanceProfile API to modify the existing profile.",
      409
    )
  })

  it("mandatory fields, stage by stage", () => {
    expectFailure(left(create({})), "Validation failed: Missing mandatory parameters: [name, profile_version, slo] ")
    expectFailure(
      left(create({ ...rosProfileJson, profile_version: 0 })),
      "Validation failed: Missing mandatory parameters: [profile_version] "
    )
    expectFailure(
      left(create({ ...rosProfileJson, name: null, slo: {} })),
      "Validation failed: Missing mandatory parameters: [name] "
    )
    expectFailure(
      left(create({ ...rosProfileJson, slo: {} })),
      "Validation failed: Missing mandatory parameters: [direction, objective_function, function_variables] "
    )
    expectFailure(
      left(create(withVariable({ datasource: null, value_type: null, aggregation_functions: null }))),
      "Validation failed: Missing mandatory parameters: [datasource, value_type, aggregation_functions] "
    )
    expectFailure(
      left(create(withSlo({ objective_function: {} }))),
      "Validation failed: Missing mandatory parameters: [function_type] "
    )
  })

  it("data checks, all problems concatenated", () => {
    expectFailure(
      left(create({ ...rosProfileJson, k8s_type: "nomad" })),
      "Validation failed: k8s_typenomad is not supported\n"
    )
    expectFailure(left(create(withSlo({ direction: "sideways" }))), "Validation failed: direction  is not supported\n")
    expectFailure(
      left(create(withSlo({ slo_class: "vibes", direction: "up" }))),
      "Validation failed: direction  is not supported\nslo_class  is not supported\n"
    )
    expectFailure(
      left(create(withSlo({ slo_class: "throughput", direction: "minimize" }))),
      "Validation failed: Invalid direction for slo_class\n"
    )
    expectFailure(left(create(withSlo({ function_variables: [] }))), "Validation failed: function_variables is empty\n")
    expectFailure(
      left(create(withVariable({ datasource: "influx", value_type: "float", kubernetes_object: "node" }))),
      "Validation failed: function_variable: cpuRequest datasource  is not supported\n" +
        "function_variable: cpuRequest value_type  is not supported\nkubernetes_objectsnode is not supported\n"
    )
    expectFailure(
      left(create(withSlo({ objective_function: { function_type: "magic" } }))),
      "Validation failed: Objective function type can only be either expression or source\n"
    )
    expectFailure(
      left(create(withSlo({ objective_function: { function_type: "source", expression: "a+b" } }))),
      "Validation failed: Expression is not allowed when the type is source\n"
    )
    expectFailure(
      left(
        create(withSlo({ objective_function: { function_type: "expression" }, function_variables: [firstVariable] }))
      ),
      "Validation failed: Expression value is missing or null!\n"
    )
    expectFailure(
      left(
        create(
          withSlo({
            objective_function: { function_type: "expression", expression: "cpuUsage * 2" },
            function_variables: [firstVariable]
          })
        )
      ),
      "Validation failed: function_variable: cpuRequest missing in objective_function\n"
    )
  })

  it.each([
    ["not JSON", "nope"],
    ["an array", "[]"],
    ["a string version that is not a number", JSON.stringify({ ...rosProfileJson, profile_version: "two" })],
    ["a wrongly typed slo", JSON.stringify({ ...rosProfileJson, slo: "fast" })]
  ])("%s → 400 (Kruize answers 500)", (_, body) => {
    const failure = left(create(body))
    expect(failure.httpcode).toBe(400)
    expect(
      failure.message.startsWith("Validation failed: Failed to parse the JSON. Please check the input payload: $")
    ).toBe(true)
  })

  it("a numeric-string version is read like Gson reads a double", () => {
    expect(right(create({ ...rosProfileJson, profile_version: "2.0" })).profile_version).toBe(2)
  })
})

describe("updatePerformanceProfile (§2.1)", () => {
  const v3 = {
    ...rosProfileJson,
    profile_version: 3,
    slo: { ...slo, function_variables: [...slo.function_variables, { ...firstVariable, name: "podCount" }] }
  }

  it("a newer version with a superset of metrics", () => {
    const profile = right(update(v3))
    expect(profile.profile_version).toBe(3)
    expect(KruizeMessages.profileUpdated(profile.name, profile.profile_version)).toBe(
      "Performance Profile 'resource-optimization-openshift' updated successfully to version 3.0. View Performance Profiles at /listPerformanceProfiles"
    )
  })

  it("an unknown profile is a 404", () => {
    const failure = left(update(v3, store()))
    expect(failure._tag).toBe("PerformanceProfileNotFound")
    expectFailure(
      failure,
      "Validation failed: Performance Profile 'resource-optimization-openshift' not found. Use POST to create a new profile.",
      404
    )
  })

  it("the same version, then the same SLO, then a subset: 409s in that order", () => {
    expectFailure(
      left(update({ ...v3, profile_version: 2 })),
      "Validation failed: Performance profile 'resource-optimization-openshift' already updated with the version 2.0",
      409
    )
    expectFailure(
      left(update({ ...rosProfileJson, profile_version: 2.5 })),
      "Validation failed: Performance profile 'resource-optimization-openshift' already updated with the provided SLO data",
      409
    )
    expectFailure(
      left(
        update({
          ...rosProfileJson,
          profile_version: 3,
          slo: { ...slo, function_variables: slo.function_variables.slice(1) }
        })
      ),
      "Validation failed: Updated profile must be a superset of existing data",
      409
    )
  })

  it("an SLO differing only in key order is the same SLO", () => {
    const reordered = {
      slo: {
        function_variables: slo.function_variables,
        objective_function: slo.objective_function,
        direction: slo.direction,
        slo_class: slo.slo_class
      },
      profile_version: 9,
      name: rosProfileJson.name
    }
    expect(left(update(reordered)).httpcode).toBe(409)
  })

  it("mandatory fields first, data checks last", () => {
    expectFailure(
      left(update({ name: "x" })),
      "Validation failed: Missing mandatory parameters: [profile_version, slo] "
    )
    expectFailure(left(update({ ...v3, k8s_type: "nomad" })), "Validation failed: k8s_typenomad is not supported\n")
  })
})

describe("deletePerformanceProfile (§2.1)", () => {
  const view = (experiments: number) => ({
    performanceProfileExists: (name: string) => name === "p",
    experimentsUsing: () => experiments
  })

  it("deletes an unused profile", () => {
    expect(right(validateDeletePerformanceProfile([["name", "p"]], view(0)))).toBe("p")
    expect(KruizeMessages.profileDeleted("p")).toBe(
      "Performance profile p deleted successfully. View Performance Profiles at /listPerformanceProfiles"
    )
  })

  it("name required, must exist, must be unused", () => {
    expectFailure(left(validateDeletePerformanceProfile([], view(0))), "Performance profile name is required.")
    expectFailure(
      left(validateDeletePerformanceProfile([["name", ""]], view(0))),
      "Performance profile name is required."
    )
    expectFailure(
      left(validateDeletePerformanceProfile([["name", "q"]], view(0))),
      "Not Found: performance_profile does not exist: q"
    )
    expectFailure(
      left(validateDeletePerformanceProfile([["name", "p"]], view(1))),
      "Performance Profile 'p' cannot be deleted as it is currently associated with 1 experiment."
    )
    expectFailure(
      left(validateDeletePerformanceProfile([["name", "p"]], view(3))),
      "Performance Profile 'p' cannot be deleted as it is currently associated with 3 experiments."
    )
  })
})

describe("listPerformanceProfiles (§2.1)", () => {
  it("aggregation functions become an object keyed by function name", () => {
    const listed = toListedProfile(rosProfile)
    expect(listed.slo.function_variables[0]).toStrictEqual({
      name: "cpuRequest",
      datasource: "prometheus",
      value_type: "double",
      kubernetes_object: "container",
      aggregation_functions: {
        avg: { function: "avg", query: "avg(cpuRequest)" },
        sum: { function: "sum", query: "sum(cpuRequest)" }
      }
    })
    expect(Object.keys(listed)).toStrictEqual(["name", "profile_version", "k8s_type", "slo"])
    expect(Object.keys(listed.slo)).toStrictEqual([
      "slo_class",
      "objective_function",
      "direction",
      "function_variables"
    ])
  })
})
