/**
 * Every validation step of every endpoint, through the real HTTP server and database: status and exact
 * upstream message for each (the pure pipelines have their exhaustive unit tests; this proves the wiring
 * reaches each step with the store behind it). Also the 15-day retention of results.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { call, runningEngine } from "../../support/engineHarness.js"
import {
  containerExperimentJson,
  containerExperimentName,
  containerMetrics,
  containerRecord,
  iso,
  minutes,
  namespaceExperimentJson,
  namespaceRecord,
  rosProfileJson,
  t0
} from "../../support/kruizeFixtures.js"
import { onDatabase } from "../../support/scratchDatabase.js"

interface Case {
  readonly title: string
  readonly method: string
  readonly path: string
  readonly body?: unknown
  readonly status: number
  /** The envelope's message, or for updateResults partial failures the first record's first error. */
  readonly message: string
}

const exp = encodeURIComponent(containerExperimentName)
const end = iso(t0 + minutes(30))
const record = (overrides: Record<string, unknown>) => [containerRecord(0, overrides)]
const withMetrics = (metrics: ReadonlyArray<unknown>) =>
  record({
    kubernetes_objects: [
      {
        type: "deployment",
        name: "frontend",
        namespace: "shop",
        containers: [{ container_image_name: "img", container_name: "app", metrics }]
      }
    ]
  })
const k8s = (overrides: Record<string, unknown>) => ({
  type: "deployment",
  name: "frontend",
  namespace: "shop",
  containers: [{ container_image_name: "img", container_name: "app", metrics: containerMetrics() }],
  ...overrides
})

const cases: ReadonlyArray<Case> = [
  // createPerformanceProfile / updatePerformanceProfile / deletePerformanceProfile
  {
    title: "profile without a name",
    method: "POST",
    path: "/createPerformanceProfile",
    body: { ...rosProfileJson, name: undefined },
    status: 400,
    message: "Validation failed: Missing mandatory parameters: [name] "
  },
  {
    title: "profile update of an unknown profile",
    method: "PUT",
    path: "/updatePerformanceProfile",
    body: { ...rosProfileJson, name: "ghost" },
    status: 404,
    message: "Validation failed: Performance Profile 'ghost' not found. Use POST to create a new profile."
  },
  {
    title: "profile delete without a name",
    method: "DELETE",
    path: "/deletePerformanceProfile",
    status: 400,
    message: "Performance profile name is required."
  },
  {
    title: "profile delete of an unknown profile",
    method: "DELETE",
    path: "/deletePerformanceProfile?name=ghost",
    status: 400,
    message: "Not Found: performance_profile does not exist: ghost"
  },
  {
    title: "profile delete while an experiment uses it",
    method: "DELETE",
    path: "/deletePerformanceProfile?name=resource-optimization-openshift",
    status: 400,
    message:
      "Performance Profile 'resource-optimization-openshift' cannot be deleted as it is currently associated with 1 experiment."
  },
  // createExperiment, in the order of kruize.md §2.2
  {
    title: "createExperiment with two experiments",
    method: "POST",
    path: "/createExperiment",
    body: [containerExperimentJson(), containerExperimentJson({ experiment_name: "b" })],
    status: 400,
    message: "At present, the system does not support bulk entries!"
  },
  {
    title: "container experiment with namespace data",
    method: "POST",
    path: "/createExperiment",
    body: [
      containerExperimentJson({
        experiment_name: "c",
        kubernetes_objects: [{ ...k8s({}), namespaces: { namespace: "x" } }]
      })
    ],
    status: 400,
    message: "Can not specify namespace data for container experiment"
  },
  {
    title: "namespace experiment with containers",
    method: "POST",
    path: "/createExperiment",
    body: [
      namespaceExperimentJson({
        experiment_name: "d",
        kubernetes_objects: [{ namespaces: { namespace: "x" }, containers: [{ container_name: "a" }] }]
      })
    ],
    status: 400,
    message: "Can not specify container data for namespace experiment"
  },
  {
    title: "auto mode for a remote target",
    method: "POST",
    path: "/createExperiment",
    body: [containerExperimentJson({ experiment_name: "e", mode: "auto" })],
    status: 400,
    message: "Auto or recreate mode is not supported for remote monitoring use case."
  },
  {
    title: "bad term name",
    method: "POST",
    path: "/createExperiment",
    body: [
      containerExperimentJson({
        experiment_name: "f",
        recommendation_settings: { threshold: "0.1", term_settings: { terms: ["forever"] } }
      })
    ],
    status: 400,
    message: "Term name is not supported. Use short, medium or long term."
  },
  {
    title: "unsupported workload type",
    method: "POST",
    path: "/createExperiment",
    body: [containerExperimentJson({ experiment_name: "g", kubernetes_objects: [k8s({ type: "cronjob" })] })],
    status: 400,
    message: "Invalid deployment type: cronjob"
  },
  {
    title: "existing experiment",
    method: "POST",
    path: "/createExperiment",
    body: [containerExperimentJson()],
    status: 409,
    message: `Experiment name already exists: ${containerExperimentName}`
  },
  {
    title: "profile and SLO together",
    method: "POST",
    path: "/createExperiment",
    body: [containerExperimentJson({ experiment_name: "h", slo: { direction: "minimize" } })],
    status: 400,
    message: "SLO Data and Performance Profile cannot exist simultaneously!"
  },
  {
    // Kruize checks the name before the rest: an existing experiment answers 409 whatever else is wrong.
    title: "existing experiment with profile and SLO together",
    method: "POST",
    path: "/createExperiment",
    body: [containerExperimentJson({ slo: { direction: "minimize" } })],
    status: 409,
    message: `Experiment name already exists: ${containerExperimentName}`
  },
  // updateResults per record, steps 3–10 (the first record's first error)
  {
    title: "record without an experiment name",
    method: "POST",
    path: "/updateResults",
    body: record({ experiment_name: undefined }),
    status: 400,
    message: "Not Found: experiment_name does not exist: null"
  },
  {
    title: "record of another version",
    method: "POST",
    path: "/updateResults",
    body: record({ version: "2.0" }),
    status: 400,
    message: "Version number mismatch found. Expected: 1.0 , Found: 2.0"
  },
  {
    title: "record ending before it starts",
    method: "POST",
    path: "/updateResults",
    body: record({ interval_end_time: iso(t0 - minutes(15)) }),
    status: 400,
    message: "The Start time should precede the End time!"
  },
  {
    title: "record with two Kubernetes objects",
    method: "POST",
    path: "/updateResults",
    body: record({ kubernetes_objects: [k8s({}), k8s({})] }),
    status: 400,
    message: "kubernetes_objects: Bulk Kubernetes objects are currently unsupported!"
  },
  {
    title: "record without the mandatory metrics",
    method: "POST",
    path: "/updateResults",
    body: withMetrics(containerMetrics().filter((m) => m.name !== "memoryRSS")),
    status: 400,
    message: `Performance profile: [Missing one of the following mandatory parameters for experiment - ${containerExperimentName} : [cpuUsage, memoryUsage, memoryRSS]]`
  },
  {
    title: "record with a negative value",
    method: "POST",
    path: "/updateResults",
    body: withMetrics(
      containerMetrics().map((m) =>
        m.name === "cpuUsage"
          ? { ...m, results: { aggregation_info: { ...m.results.aggregation_info, max: "-1" } } }
          : m
      )
    ),
    status: 400,
    message: `Performance profile: [max cannot be negative or blank for the metric variable: cpuUsage for container : app for experiment: ${containerExperimentName}.]`
  },
  {
    title: "record of 20 minutes for a 15-minute experiment",
    method: "POST",
    path: "/updateResults",
    body: record({ interval_end_time: iso(t0 + minutes(20)) }),
    status: 400,
    message: "Interval duration cannot be less than or greater than measurement_duration by more than 30 seconds"
  },
  {
    title: "record for another workload",
    method: "POST",
    path: "/updateResults",
    body: record({ kubernetes_objects: [k8s({ name: "backend" })] }),
    status: 400,
    message: `kubernetes_objects : Kubernetes Object Names MisMatched. Expected Name: frontend, Found: backend in Results for experiment: ${containerExperimentName} \n`
  },
  {
    title: "namespace record sent to a container experiment",
    method: "POST",
    path: "/updateResults",
    body: [namespaceRecord(0, { experiment_name: containerExperimentName })],
    status: 400,
    message:
      "kubernetes_objects : " +
      `Kubernetes Object Types MisMatched. Expected Type: deployment, Found: null in Results for experiment: ${containerExperimentName} \n` +
      `Kubernetes Object Names MisMatched. Expected Name: frontend, Found: null in Results for experiment: ${containerExperimentName} \n` +
      `Kubernetes Object Namespaces MisMatched. Expected Namespace: shop, Found: null in Results for experiment: ${containerExperimentName} \n`
  },
  // updateRecommendations and listRecommendations parameters
  {
    title: "updateRecommendations without parameters",
    method: "POST",
    path: "/updateRecommendations",
    status: 400,
    message: "experiment_name is mandatory, interval_end_time is mandatory"
  },
  {
    title: "updateRecommendations without an end time",
    method: "POST",
    path: `/updateRecommendations?experiment_name=${exp}`,
    status: 400,
    message: "interval_end_time is mandatory"
  },
  {
    title: "listRecommendations of an unknown experiment",
    method: "GET",
    path: "/listRecommendations?rm=true&experiment_name=ghost",
    status: 400,
    message: 'Given experiment name - " ghost " is not valid'
  },
  {
    title: "listRecommendations with a bad timestamp",
    method: "GET",
    path: `/listRecommendations?rm=true&monitoring_end_time=${end.slice(0, 19)}`,
    status: 400,
    message: `Given timestamp - " ${end.slice(0, 19)} " is not a valid timestamp format`
  },
  {
    title: "listExperiments with an unknown parameter",
    method: "GET",
    path: "/listExperiments?rm=true&colour=blue",
    status: 400,
    message: 'The query param(s) - " [colour] " is/are invalid'
  },
  {
    title: "listExperiments with a non-boolean",
    method: "GET",
    path: "/listExperiments?rm=true&results=maybe",
    status: 400,
    message: "The query param value(s) is/are invalid"
  },
  {
    title: "delete of an unknown experiment",
    method: "DELETE",
    path: "/createExperiment",
    body: [{ experiment_name: "ghost" }],
    status: 400,
    message: "Experiment not found!"
  }
]

const firstMessage = (body: unknown): string => {
  const b = body as { message: string; data?: ReadonlyArray<{ errors: ReadonlyArray<{ message: string }> }> }
  return b.data?.[0]?.errors[0]?.message ?? b.message
}

describe("every validation step over HTTP", () => {
  it.live("answers each with its status and upstream message", () =>
    Effect.gen(function* () {
      const engine = yield* runningEngine("kruize_test")
      yield* call(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)
      yield* call(engine.url, "POST", "/createExperiment", [containerExperimentJson()])
      for (const c of cases) {
        const answer = yield* call(engine.url, c.method, c.path, c.body)
        expect([answer.status, firstMessage(answer.body)], c.title).toEqual([c.status, c.message])
      }
    }).pipe(Effect.scoped)
  )
})

describe("retention", () => {
  it.live("keeps the last 15 days of interval_end per experiment, in memory and in the database", () =>
    Effect.gen(function* () {
      const engine = yield* runningEngine("kruize_test")
      yield* call(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)
      yield* call(engine.url, "POST", "/createExperiment", [containerExperimentJson()])
      const day = 96
      // Day 0, then day 16: the day-0 results fall out of the window.
      yield* call(engine.url, "POST", "/updateResults", [containerRecord(0), containerRecord(1)])
      yield* call(engine.url, "POST", "/updateResults", [containerRecord(16 * day)])

      const rows = yield* onDatabase(
        engine.database,
        (sql) => sql<{ n: string }>`SELECT count(*)::text AS n FROM kruize_results`
      )
      expect(rows[0]?.n).toBe("1")
      // Out of the window, the old interval is no longer a duplicate of anything stored.
      const again = yield* call(engine.url, "POST", "/updateResults", [containerRecord(0)])
      expect(again.status).toBe(201)
    }).pipe(Effect.scoped)
  )
})
