import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { errorBody, type KruizeRequestError } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { supportedFormatsInJavaOrder } from "../../../schema/kruize/MetricName.js"
import {
  rejectAsDuplicate,
  type UpdateResultsView,
  updateResultsResponse,
  validateUpdateResults
} from "../../../src/recommender/validation/UpdateResultsValidation.js"
import {
  containerExperiment,
  containerMetrics,
  containerRecord,
  containerExperimentName as exp,
  iso,
  left,
  memoryStore,
  metric,
  minutes,
  namespaceExperimentName,
  namespaceMetrics,
  namespaceRecord,
  right,
  t0
} from "../../support/kruizeFixtures.js"

const run = (records: unknown, view: UpdateResultsView = memoryStore(), limit?: number) =>
  validateUpdateResults(
    typeof records === "string" ? records : JSON.stringify(records),
    view,
    limit === undefined ? {} : { bulkResultsLimit: limit }
  )

/** The single error of the single rejected record of a one-record request. */
const recordError = (record: unknown, view?: UpdateResultsView) => {
  const outcome = right(run([record], view))
  expect(outcome.accepted).toHaveLength(0)
  expect(outcome.rejected).toHaveLength(1)
  const entry = outcome.rejected[0]?.entry
  expect(entry?.errors).toHaveLength(1)
  return { entry, error: entry?.errors[0] }
}

const expectRecordError = (record: unknown, message: string, httpcode = 400, view?: UpdateResultsView) => {
  const { error } = recordError(record, view)
  expect(error).toStrictEqual({ message, httpcode, documentationLink: "", status: "ERROR" })
}

const withMetrics = (metrics: ReadonlyArray<unknown>, overrides: Record<string, unknown> = {}) =>
  containerRecord(0, {
    kubernetes_objects: [
      {
        type: "deployment",
        name: "frontend",
        namespace: "shop",
        containers: [{ container_image_name: "img", container_name: "app", metrics }]
      }
    ],
    ...overrides
  })

const replaceMetric = (name: string, aggregates: Record<string, unknown>) =>
  withMetrics(containerMetrics().map((m) => (m.name === name ? metric(name, aggregates) : m)))

const suffix = KruizeMessages.forContainer("app", exp)
const profileError = (...messages: Array<string>) => KruizeMessages.performanceProfileErrors(messages)

describe("updateResults: whole-request rejections (steps 1–2)", () => {
  const expectWhole = (body: unknown, message: string) => {
    const error: KruizeRequestError = left(run(body)) as KruizeRequestError
    expect(error._tag).toBe("KruizeRequestError")
    expect(error.httpcode).toBe(400)
    expect(error.message).toBe(message)
    expect(errorBody(error)).toStrictEqual({ message, httpcode: 400, documentationLink: "", status: "ERROR" })
  }

  it.each([
    ["not JSON", "this is not json"],
    ["empty body", ""],
    ["truncated JSON", '[{"experiment_name": "x"'],
    ["trailing junk", `${JSON.stringify([containerRecord()])} garbage`],
    ["an object instead of an array", JSON.stringify(containerRecord())],
    ["null", "null"],
    ["a number", "42"],
    ["an array of numbers", "[1, 2]"],
    ["an array with null", "[null]"],
    ["an array of strings", '["record"]']
  ])("%s → 400 JSON parsing error", (_, body) => {
    expectWhole(body, KruizeMessages.jsonParsingError)
  })

  it.each([
    ["experiment_name is a number", containerRecord(0, { experiment_name: 5 })],
    ["version is an object", containerRecord(0, { version: { v: 1 } })],
    ["kubernetes_objects is an object", containerRecord(0, { kubernetes_objects: {} })],
    ["interval_start_time is not a timestamp", containerRecord(0, { interval_start_time: "yesterday" })],
    ["interval_end_time is a number", containerRecord(0, { interval_end_time: 1767225600000 })],
    ["interval_end_time has no zone", containerRecord(0, { interval_end_time: "2026-06-01T10:15:00.000" })],
    ["interval_end_time is Feb 30", containerRecord(0, { interval_end_time: "2026-02-30T10:15:00.000Z" })],
    ["metrics is a string", withMetrics("cpuUsage" as unknown as Array<unknown>)],
    ["a huge experiment name", containerRecord(0, { experiment_name: "x".repeat(1_000_000) })]
  ])("%s → 400 JSON parsing error", (_, record) => {
    expectWhole([record], KruizeMessages.jsonParsingError)
  })

  it("an empty-string aggregate → 400 invalid value type", () => {
    expectWhole([replaceMetric("cpuUsage", { avg: "", format: "cores" })], KruizeMessages.aggregationInfoInvalidValue)
  })

  it("a blank-string aggregate → 400 invalid value type", () => {
    expectWhole(
      [replaceMetric("cpuUsage", { avg: "   ", format: "cores" })],
      KruizeMessages.aggregationInfoInvalidValue
    )
  })

  it.each([
    [true, KruizeMessages.aggregationInfoInvalidValue],
    [{ value: 1 }, KruizeMessages.aggregationInfoInvalidValue],
    [[1], KruizeMessages.aggregationInfoInvalidValue],
    ["xyz", 'For input string: "xyz"'],
    [" 1,5 ", 'For input string: "1,5"'],
    ["0x10", 'For input string: "0x10"'],
    ["1.2.3", 'For input string: "1.2.3"']
  ])("aggregate %j → 400 %s", (value, message) => {
    expectWhole([replaceMetric("cpuUsage", { avg: value, format: "cores" })], message)
  })

  it("a huge numeric string is cut in the message", () => {
    const error = left(run([replaceMetric("cpuUsage", { avg: "9".repeat(100_000), format: "cores" })]))
    expect(error.message).toBe(`For input string: "${"9".repeat(32)}…"`)
  })

  it("100 records are accepted, 101 are rejected as a whole", () => {
    const records = (n: number) => Array.from({ length: n }, (_, i) => containerRecord(i))
    const outcome = right(run(records(100)))
    expect(outcome.total).toBe(100)
    expect(outcome.accepted).toHaveLength(100)
    expect(updateResultsResponse(outcome).httpcode).toBe(201)
    expectWhole(records(101), "At present, the system does not support bulk entries exceeding 100 in quantity!")
  })

  it("the limit is configurable and named in the message", () => {
    const records = Array.from({ length: 3 }, (_, i) => containerRecord(i))
    expect(right(run(records, memoryStore(), 3)).accepted).toHaveLength(3)
    expect(left(run(records, memoryStore(), 2)).message).toBe(KruizeMessages.bulkResultsLimit(2))
  })

  it("a parse error wins over the size limit", () => {
    const records: Array<unknown> = Array.from({ length: 101 }, (_, i) => containerRecord(i))
    records.push(containerRecord(0, { experiment_name: 1 }))
    expectWhole(records, KruizeMessages.jsonParsingError)
  })

  it("an empty array saves nothing and succeeds", () => {
    const outcome = right(run([]))
    expect(outcome).toStrictEqual({ total: 0, accepted: [], rejected: [] })
    expect(updateResultsResponse(outcome)).toStrictEqual({
      httpcode: 201,
      body: {
        message: "Results added successfully! View saved results at /listExperiments.",
        httpcode: 201,
        documentationLink: "",
        status: "SUCCESS"
      }
    })
  })

  it("never throws, whatever the body", () => {
    const bodies = [
      "",
      " ",
      "[",
      "]",
      "{}",
      "[{}]",
      "[[]]",
      '[{"kubernetes_objects": [null]}]',
      '[{"kubernetes_objects": [{"containers": [null]}]}]',
      '[{"kubernetes_objects": [{"containers": [{"metrics": [null]}]}]}]',
      '[{"kubernetes_objects": [{"containers": [{"metrics": [{"results": 5}]}]}]}]',
      '[{"kubernetes_objects": [{"containers": [{"metrics": [{"results": {"aggregation_info": []}}]}]}]}]',
      '[{"interval_start_time": "2026-13-01T00:00:00Z"}]',
      '[{"interval_start_time": "2026-01-01T24:00:00Z"}]',
      "[NaN]",
      "[Infinity]",
      '{"__proto__": {"x": 1}}',
      '[{"__proto__": {"experiment_name": "x"}}]',
      "\u0000",
      "[1e999]",
      JSON.stringify([containerRecord(0, { kubernetes_objects: [{ namespaces: [] }] })])
    ]
    for (const body of bodies) {
      const result = run(body)
      if (Either.isLeft(result)) {
        expect(result.left.httpcode).toBe(400)
      } else {
        expect(result.right.accepted).toHaveLength(0)
      }
    }
  })
})

describe("updateResults: per-record errors in pipeline order (steps 3–9)", () => {
  it("3: a missing experiment_name", () => {
    const record = containerRecord(0)
    const { experiment_name: _, ...withoutName } = record
    const { entry } = recordError(withoutName)
    expect(entry).toStrictEqual({
      interval_start_time: record.interval_start_time,
      interval_end_time: record.interval_end_time,
      errors: [
        {
          message: "Not Found: experiment_name does not exist: null",
          httpcode: 400,
          documentationLink: "",
          status: "ERROR"
        }
      ],
      version: "1.0"
    })
  })

  it("3: a null experiment_name is the same as a missing one", () => {
    expectRecordError(containerRecord(0, { experiment_name: null }), "Not Found: experiment_name does not exist: null")
  })

  it("4: an unknown experiment, before any other check", () => {
    expectRecordError(
      containerRecord(0, { experiment_name: "nope", version: "9", kubernetes_objects: null }),
      "Not Found: experiment_name does not exist: nope"
    )
  })

  it("5: a version other than the experiment's, before the mandatory fields", () => {
    expectRecordError(
      containerRecord(0, { version: "2.0", interval_start_time: null }),
      "Version number mismatch found. Expected: 1.0 , Found: 2.0"
    )
  })

  it("5: an empty version is a mismatch, not a blank", () => {
    expectRecordError(containerRecord(0, { version: "" }), "Version number mismatch found. Expected: 1.0 , Found: ")
  })

  it("6: a missing version", () => {
    expectRecordError(containerRecord(0, { version: null }), "version: must not be blank")
  })

  it("6: mandatory fields, reported one at a time in order", () => {
    expectRecordError(
      containerRecord(0, { interval_start_time: null, interval_end_time: null, kubernetes_objects: null }),
      "interval_start_time: must not be null"
    )
    expectRecordError(
      containerRecord(0, { interval_end_time: null, kubernetes_objects: null }),
      "interval_end_time: must not be null"
    )
    expectRecordError(containerRecord(0, { kubernetes_objects: null }), "kubernetes_objects: must not be null")
  })

  it("6: exactly one Kubernetes object", () => {
    const object = containerRecord(0).kubernetes_objects[0]
    const message = "kubernetes_objects: Bulk Kubernetes objects are currently unsupported!"
    expectRecordError(containerRecord(0, { kubernetes_objects: [] }), message)
    expectRecordError(containerRecord(0, { kubernetes_objects: [object, object] }), message)
  })

  it("6: start must precede end (equal or later fails)", () => {
    expectRecordError(containerRecord(0, { interval_end_time: iso(t0) }), "The Start time should precede the End time!")
    expectRecordError(
      containerRecord(0, { interval_end_time: iso(t0 - minutes(15)) }),
      "The Start time should precede the End time!"
    )
  })

  it("7: the experiment's profile is gone", () => {
    expectRecordError(
      containerRecord(0),
      "Not Found: performance_profile does not exist: resource-optimization-openshift",
      400,
      memoryStore({ profiles: [] })
    )
  })

  it("7: a container without metrics", () => {
    expectRecordError(
      withMetrics(null as unknown as Array<unknown>),
      profileError(`Metric data is not present for container : app for experiment: ${exp}. `)
    )
  })

  it("7: a container without metrics does not stop the next container's value checks", () => {
    const record = containerRecord(0, {
      kubernetes_objects: [
        {
          type: "deployment",
          name: "frontend",
          namespace: "shop",
          containers: [
            { container_name: "a" },
            {
              container_name: "b",
              metrics: containerMetrics().map((m) =>
                m.name === "cpuUsage" ? metric("cpuUsage", { avg: -1, format: "cores" }) : m
              )
            },
            { container_name: "c" }
          ]
        }
      ]
    })
    expectRecordError(
      record,
      profileError(
        `Metric data is not present for container : a for experiment: ${exp}. `,
        `avg cannot be negative or blank for the metric variable: cpuUsage${KruizeMessages.forContainer("b", exp)}`
      )
    )
  })

  it("7: an unknown metric name", () => {
    expectRecordError(
      withMetrics([...containerMetrics(), metric("gpuUsage", { avg: 1, format: "cores" })]),
      profileError(
        "Metric variable name should be among these values: [cpuRequest, cpuLimit, cpuUsage, cpuThrottle, memoryRequest, " +
          "memoryLimit, memoryUsage, memoryRSS, maxDate, namespaceCpuRequest, namespaceCpuLimit, namespaceCpuUsage, " +
          "namespaceCpuThrottle, namespaceMemoryRequest, namespaceMemoryLimit, namespaceMemoryUsage, namespaceMemoryRSS, " +
          "namespaceTotalPods, namespaceRunningPods, namespaceMaxDate, acceleratorCoreUsage, acceleratorMemoryUsage, " +
          `acceleratorFrameBufferUsage, jvmInfo, jvmInfoTotal]${suffix}`
      )
    )
  })

  it("7: a metric without a name is an unknown metric", () => {
    const { error } = recordError(withMetrics([{ results: { aggregation_info: { avg: 1, format: "cores" } } }]))
    expect(error?.message).toBe(profileError(KruizeMessages.unsupportedMetric + suffix))
  })

  it.each([
    ["a negative number", -1],
    ["a negative string", "-0.5"],
    ["NaN", "NaN"],
    ["Infinity (deliberately stricter than Kruize)", "Infinity"],
    ["-Infinity", "-Infinity"]
  ])("7: %s aggregate", (_, value) => {
    expectRecordError(
      replaceMetric("memoryUsage", { min: 1, max: 2, avg: value, sum: 3, format: "bytes" }),
      profileError(`avg cannot be negative or blank for the metric variable: memoryUsage${suffix}`)
    )
  })

  it("7: the JSON number 1e999, which parses to Infinity", () => {
    const body = JSON.stringify([replaceMetric("memoryUsage", { avg: "PLACEHOLDER", format: "bytes" })]).replace(
      '"PLACEHOLDER"',
      "1e999"
    )
    const outcome = right(run(body))
    expect(outcome.rejected[0]?.entry.errors[0]?.message).toBe(
      profileError(`avg cannot be negative or blank for the metric variable: memoryUsage${suffix}`)
    )
  })

  it("7: -0 and 0 are fine", () => {
    expect(
      right(run([replaceMetric("cpuUsage", { min: -0, max: 0, avg: "0", sum: "-0", format: "cores" })])).accepted
    ).toHaveLength(1)
  })

  it("7: only the first bad aggregate is named, in Kruize's HashMap order", () => {
    const message = (key: string) =>
      profileError(`${key} cannot be negative or blank for the metric variable: cpuUsage${suffix}`)
    expectRecordError(replaceMetric("cpuUsage", { sum: -1, min: -1, format: "cores" }), message("min"))
    expectRecordError(replaceMetric("cpuUsage", { min: -1, avg: -1, format: "cores" }), message("avg"))
    expectRecordError(replaceMetric("cpuUsage", { mode: -1, avg: -1, format: "cores" }), message("mode"))
    expectRecordError(replaceMetric("cpuUsage", { sum: -1, range: -1, format: "cores" }), message("range"))
  })

  it("7: only the first bad metric of a container is reported", () => {
    const metrics = containerMetrics().map((m) =>
      m.name === "cpuRequest"
        ? metric("cpuRequest", { avg: -1, format: "cores" })
        : m.name === "memoryRSS"
          ? metric("memoryRSS", { avg: -1, format: "bytes" })
          : m
    )
    expectRecordError(
      withMetrics(metrics),
      profileError(`avg cannot be negative or blank for the metric variable: cpuRequest${suffix}`)
    )
  })

  it("7: an unsupported or missing format", () => {
    const message = profileError(` Format value should be among these values: ${supportedFormatsInJavaOrder}${suffix}`)
    expectRecordError(replaceMetric("cpuUsage", { avg: 1, format: "furlongs" }), message)
    expectRecordError(replaceMetric("cpuUsage", { avg: 1, format: "Cores" }), message)
    expectRecordError(replaceMetric("cpuUsage", { avg: 1 }), message)
    expectRecordError(withMetrics([...containerMetrics().slice(0, 2), { name: "cpuUsage" }]), message)
  })

  it("7: a bad value before the format, in check order (count before format before range)", () => {
    expectRecordError(
      replaceMetric("cpuUsage", { count: -1, format: "nope" }),
      profileError(`count cannot be negative or blank for the metric variable: cpuUsage${suffix}`)
    )
    expectRecordError(
      replaceMetric("cpuUsage", { range: -1, format: "nope" }),
      profileError(` Format value should be among these values: ${supportedFormatsInJavaOrder}${suffix}`)
    )
  })

  it("7: every supported format is accepted", () => {
    for (const format of ["cores", "m", "bytes", "Bytes", "MiB", "Gi", "kB", "percentage"]) {
      expect(right(run([replaceMetric("cpuUsage", { avg: 1, format })])).accepted).toHaveLength(1)
    }
  })

  it.each(["cpuUsage", "memoryUsage", "memoryRSS"])("7: mandatory %s missing", (name) => {
    expectRecordError(
      withMetrics(containerMetrics().filter((m) => m.name !== name)),
      profileError(
        `Missing one of the following mandatory parameters for experiment - ${exp} : [cpuUsage, memoryUsage, memoryRSS]`
      )
    )
  })

  it("7: requests, limits and throttle are optional", () => {
    const usageOnly = containerMetrics().filter((m) => ["cpuUsage", "memoryUsage", "memoryRSS"].includes(m.name))
    expect(right(run([withMetrics(usageOnly)])).accepted).toHaveLength(1)
  })

  it("7: containers absent or empty count as missing mandatory metrics", () => {
    const message = profileError(
      `Missing one of the following mandatory parameters for experiment - ${exp} : [cpuUsage, memoryUsage, memoryRSS]`
    )
    expectRecordError(
      containerRecord(0, { kubernetes_objects: [{ type: "deployment", name: "frontend", namespace: "shop" }] }),
      message
    )
    expectRecordError(
      containerRecord(0, {
        kubernetes_objects: [{ type: "deployment", name: "frontend", namespace: "shop", containers: [] }]
      }),
      message
    )
  })

  it("7: a known metric the profile does not list", () => {
    expectRecordError(
      withMetrics([...containerMetrics(), metric("jvmInfo", { avg: 1, format: "bytes" })]),
      profileError(`Invalid metrics found for experiment - ${exp}: [jvmInfo]`)
    )
  })

  it("8: the ±30 s interval rule, with Kruize's own test vectors", () => {
    const start = Date.parse("2022-01-23T18:25:43.511Z")
    const at = (end: string) => containerRecord(0, { interval_start_time: iso(start), interval_end_time: end })
    const invalid = "Interval duration cannot be less than or greater than measurement_duration by more than 30 seconds"
    expectRecordError(at("2022-01-23T18:40:12.511Z"), invalid)
    expect(right(run([at("2022-01-23T18:40:13.511Z")])).accepted).toHaveLength(1)
    expect(right(run([at("2022-01-23T18:41:13.511Z")])).accepted).toHaveLength(1)
    expectRecordError(at("2022-01-23T18:41:14.511Z"), invalid)
  })

  it("8: seconds are floored, so 930.999 s passes and 869.999 s fails", () => {
    const at = (ms: number) => containerRecord(0, { interval_start_time: iso(t0), interval_end_time: iso(t0 + ms) })
    expect(right(run([at(930_999)])).accepted).toHaveLength(1)
    expect(right(run([at(870_000)])).accepted).toHaveLength(1)
    expect(right(run([at(869_999)])).rejected[0]?.entry.errors[0]?.message).toBe(KruizeMessages.intervalDuration)
    expect(right(run([at(931_000)])).rejected[0]?.entry.errors[0]?.message).toBe(KruizeMessages.intervalDuration)
  })

  it("8: the rule follows the experiment's measurement_duration", () => {
    const thirty = { ...containerExperiment, measurementDuration: "30min", measurementDurationMinutes: 30 }
    const view = memoryStore({ experiments: [thirty] })
    const at = (seconds: number) =>
      containerRecord(0, { interval_start_time: iso(t0), interval_end_time: iso(t0 + seconds * 1000) })
    expect(right(run([at(1769)], view)).rejected).toHaveLength(1)
    expect(right(run([at(1831)], view)).rejected).toHaveLength(1)
    expect(right(run([at(1771)], view)).accepted).toHaveLength(1)
    expect(right(run([at(1829)], view)).accepted).toHaveLength(1)
    expect(right(run([at(1770)], view)).accepted).toHaveLength(1)
    expect(right(run([at(1830)], view)).accepted).toHaveLength(1)
  })

  it("8: interval checked before the Kubernetes object", () => {
    expectRecordError(
      containerRecord(0, {
        interval_end_time: iso(t0 + minutes(20)),
        kubernetes_objects: [{ type: "job", containers: [{ container_name: "app", metrics: containerMetrics() }] }]
      }),
      KruizeMessages.intervalDuration
    )
  })

  it("9: every mismatch of type, name and namespace, in one message", () => {
    const object = (type: string, name: string, namespace: string) => [
      { type, name, namespace, containers: [{ container_name: "app", metrics: containerMetrics() }] }
    ]
    expectRecordError(
      containerRecord(0, { kubernetes_objects: object("statefulset", "frontend", "shop") }),
      `kubernetes_objects : Kubernetes Object Types MisMatched. Expected Type: deployment, Found: statefulset in Results for experiment: ${exp} \n`
    )
    expectRecordError(
      containerRecord(0, { kubernetes_objects: object("deployment", "backend", "prod") }),
      "kubernetes_objects : " +
        `Kubernetes Object Names MisMatched. Expected Name: frontend, Found: backend in Results for experiment: ${exp} \n` +
        `Kubernetes Object Namespaces MisMatched. Expected Namespace: shop, Found: prod in Results for experiment: ${exp} \n`
    )
  })

  it("9: namespace data sent to a container experiment", () => {
    expectRecordError(
      namespaceRecord(0, { experiment_name: exp }),
      "kubernetes_objects : " +
        `Kubernetes Object Types MisMatched. Expected Type: deployment, Found: null in Results for experiment: ${exp} \n` +
        `Kubernetes Object Names MisMatched. Expected Name: frontend, Found: null in Results for experiment: ${exp} \n` +
        `Kubernetes Object Namespaces MisMatched. Expected Namespace: shop, Found: null in Results for experiment: ${exp} \n`
    )
  })

  it("9: a blank container name", () => {
    const record = containerRecord(0)
    const object = record.kubernetes_objects[0]
    for (const containerName of ["", "  ", null]) {
      expectRecordError(
        containerRecord(0, {
          kubernetes_objects: [
            { ...object, containers: [{ container_name: containerName, metrics: containerMetrics() }] }
          ]
        }),
        "container_name cannot be null or blank"
      )
    }
  })

  it("9: container data sent to a namespace experiment", () => {
    expectRecordError(
      containerRecord(0, { experiment_name: namespaceExperimentName }),
      `Expected namespace-level results, but found type, name, and namespace for experiment: ${namespaceExperimentName}.`
    )
  })

  it("9: a blank namespace name", () => {
    expectRecordError(
      namespaceRecord(0, { kubernetes_objects: [{ namespaces: { namespace: " ", metrics: namespaceMetrics() } }] }),
      "namespace_name cannot be null or blank"
    )
  })
})

describe("updateResults: accepted records", () => {
  it("a ROS container record: strings become numbers, duration in whole minutes", () => {
    const outcome = right(run([containerRecord(0)]))
    expect(outcome.rejected).toHaveLength(0)
    const [accepted] = outcome.accepted
    expect(accepted).toMatchObject({
      index: 0,
      experimentName: exp,
      experimentType: "container",
      version: "1.0",
      clusterName: "7654321;9b1c5e2a",
      startMs: t0,
      endMs: t0 + minutes(15),
      durationMinutes: 15
    })
    const cpuUsage = accepted?.kubernetesObject.containers?.[0]?.metrics?.find((m) => m.name === "cpuUsage")
    expect(cpuUsage?.results?.aggregation_info).toStrictEqual({
      min: 0.05,
      max: 1.2,
      sum: 1.44,
      avg: 0.72,
      format: "cores"
    })
  })

  it("JSON numbers are accepted as well as strings", () => {
    const metrics = containerMetrics().map((m) => ({
      ...m,
      results: {
        aggregation_info: Object.fromEntries(
          Object.entries(m.results.aggregation_info).map(([k, v]) => [k, k === "format" ? v : Number(v)])
        )
      }
    }))
    expect(right(run([withMetrics(metrics)])).accepted).toHaveLength(1)
  })

  it("a ROS namespace record; pod counts need no format", () => {
    const outcome = right(run([namespaceRecord(0)]))
    expect(outcome.rejected).toHaveLength(0)
    expect(outcome.accepted[0]?.experimentType).toBe("namespace")
  })

  it("namespace records have their own mandatory metrics and suffix", () => {
    const record = namespaceRecord(0, {
      kubernetes_objects: [
        {
          namespaces: { namespace: "shop", metrics: namespaceMetrics().filter((m) => m.name !== "namespaceMemoryRSS") }
        }
      ]
    })
    expectRecordError(
      record,
      profileError(
        `Missing one of the following mandatory parameters for experiment - ${namespaceExperimentName} : [namespaceCpuUsage, namespaceMemoryUsage, namespaceMemoryRSS]`
      )
    )
    const negative = namespaceRecord(0, {
      kubernetes_objects: [
        {
          namespaces: {
            namespace: "shop",
            metrics: [...namespaceMetrics(), metric("namespaceTotalPods", { avg: "-1" })]
          }
        }
      ]
    })
    expectRecordError(
      negative,
      profileError(
        `avg cannot be negative or blank for the metric variable: namespaceTotalPods for namespace : shop for experiment: ${namespaceExperimentName}.`
      )
    )
    expectRecordError(
      namespaceRecord(0, { kubernetes_objects: [{ namespaces: { namespace: "shop" } }] }),
      profileError(`Metric data is not present for container : shop for experiment: ${namespaceExperimentName}. `)
    )
  })

  it("containers not declared at createExperiment are accepted", () => {
    const record = containerRecord(0)
    const object = record.kubernetes_objects[0]
    const sidecar = { container_name: "istio-proxy", metrics: containerMetrics() }
    const outcome = right(
      run([
        containerRecord(0, {
          kubernetes_objects: [{ ...object, containers: [...(object?.containers ?? []), sidecar] }]
        })
      ])
    )
    expect(outcome.accepted).toHaveLength(1)
  })

  it("timestamps with offsets are read as instants and echoed in UTC", () => {
    const outcome = right(
      run([
        containerRecord(0, {
          version: "2.0",
          interval_start_time: "2026-06-01T12:00:00+02:00",
          interval_end_time: "2026-06-01T12:15:00.000+0200"
        })
      ])
    )
    expect(outcome.rejected[0]?.entry.interval_start_time).toBe("2026-06-01T10:00:00.000Z")
    expect(outcome.rejected[0]?.entry.interval_end_time).toBe("2026-06-01T10:15:00.000Z")
  })

  it("records of several experiments may be mixed", () => {
    const outcome = right(run([containerRecord(0), namespaceRecord(0), containerRecord(1), namespaceRecord(1)]))
    expect(outcome.accepted.map((a) => [a.index, a.experimentName])).toStrictEqual([
      [0, exp],
      [1, namespaceExperimentName],
      [2, exp],
      [3, namespaceExperimentName]
    ])
  })

  it("unknown fields anywhere are ignored", () => {
    const record = { ...containerRecord(0), junk: { deep: [1, 2, 3] }, "": null }
    expect(right(run([record])).accepted).toHaveLength(1)
  })
})

describe("updateResults: duplicates and the partial-failure answer (step 10)", () => {
  it("a record already stored is a 409 inside a 400, the others are kept", () => {
    const view = memoryStore({ results: [[exp, t0, t0 + minutes(15)]] })
    const outcome = right(run([containerRecord(0), containerRecord(1)], view))
    expect(outcome.accepted.map((a) => a.index)).toStrictEqual([1])
    expect(updateResultsResponse(outcome)).toStrictEqual({
      httpcode: 400,
      body: {
        message: "Out of a total of 2 records, 1 failed to save",
        httpcode: 400,
        documentationLink: "",
        status: "ERROR",
        data: [
          {
            interval_start_time: iso(t0),
            interval_end_time: iso(t0 + minutes(15)),
            errors: [
              {
                message: "An entry for this record already exists!",
                httpcode: 409,
                documentationLink: "",
                status: "ERROR"
              }
            ],
            version: "1.0",
            experiment_name: exp
          }
        ]
      }
    })
  })

  it("the same interval twice in one request: the first is kept", () => {
    const outcome = right(run([containerRecord(0), containerRecord(0)]))
    expect(outcome.accepted.map((a) => a.index)).toStrictEqual([0])
    expect(outcome.rejected.map((r) => [r.index, r.entry.errors[0]?.httpcode])).toStrictEqual([[1, 409]])
  })

  it("the same interval for two experiments is not a duplicate", () => {
    const outcome = right(run([containerRecord(0), namespaceRecord(0)]))
    expect(outcome.accepted).toHaveLength(2)
  })

  it("a rejected record does not block a later identical one", () => {
    const outcome = right(run([containerRecord(0, { version: "9" }), containerRecord(0)]))
    expect(outcome.accepted.map((a) => a.index)).toStrictEqual([1])
  })

  it("100 records with 5 duplicates (Kruize's own test)", () => {
    const records = Array.from({ length: 95 }, (_, i) => containerRecord(i))
    for (const i of [3, 10, 40, 41, 90]) records.push(containerRecord(i))
    const outcome = right(run(records))
    const response = updateResultsResponse(outcome)
    expect(response.body.message).toBe("Out of a total of 100 records, 5 failed to save")
    expect(response.httpcode).toBe(400)
    expect(outcome.accepted).toHaveLength(95)
    if (response.httpcode === 400) {
      expect(response.body.data.every((d) => d.errors[0]?.httpcode === 409)).toBe(true)
    }
  })

  it("mixed failures are listed in request order with Gson's field order", () => {
    const view = memoryStore({ results: [[exp, t0, t0 + minutes(15)]] })
    const broken = withMetrics(null as unknown as Array<unknown>, {
      interval_start_time: iso(t0 + minutes(15)),
      interval_end_time: iso(t0 + minutes(30))
    })
    const outcome = right(run([containerRecord(0), broken, containerRecord(2)], view))
    const response = updateResultsResponse(outcome)
    expect(response.httpcode).toBe(400)
    if (response.httpcode !== 400) return
    expect(response.body.message).toBe("Out of a total of 3 records, 2 failed to save")
    expect(response.body.data.map((d) => Object.keys(d))).toStrictEqual([
      ["interval_start_time", "interval_end_time", "errors", "version", "experiment_name"],
      ["interval_start_time", "interval_end_time", "errors", "version", "experiment_name"]
    ])
    expect(response.body.data.map((d) => d.errors)).toStrictEqual([
      [{ message: "An entry for this record already exists!", httpcode: 409, documentationLink: "", status: "ERROR" }],
      [
        {
          message: profileError(`Metric data is not present for container : app for experiment: ${exp}. `),
          httpcode: 400,
          documentationLink: "",
          status: "ERROR"
        }
      ]
    ])
    expect(outcome.accepted.map((a) => a.index)).toStrictEqual([2])
  })

  it("each record reports only its own errors (Kruize's leak is not copied)", () => {
    const outcome = right(run([containerRecord(0, { version: "7" }), containerRecord(1, { version: "8" })]))
    expect(outcome.rejected.map((r) => r.entry.errors.map((e) => e.message))).toStrictEqual([
      ["Version number mismatch found. Expected: 1.0 , Found: 7"],
      ["Version number mismatch found. Expected: 1.0 , Found: 8"]
    ])
  })

  it("a conflict found by the store at insert time renders like a duplicate", () => {
    const outcome = right(run([containerRecord(0), containerRecord(1)]))
    const [first, second] = outcome.accepted
    if (first === undefined || second === undefined) throw new Error("expected two accepted records")
    const response = updateResultsResponse({ total: outcome.total, rejected: [rejectAsDuplicate(second)] })
    expect(response.body.message).toBe("Out of a total of 2 records, 1 failed to save")
    if (response.httpcode === 400) {
      expect(response.body.data[0]?.interval_end_time).toBe(iso(t0 + minutes(30)))
      expect(response.body.data[0]?.errors[0]?.httpcode).toBe(409)
    }
  })

  it("an experiment created without a version accepts no record", () => {
    const { version: _, ...definition } = containerExperiment
    const view = memoryStore({ experiments: [definition] })
    expectRecordError(containerRecord(0), "Version number mismatch found. Expected: null , Found: 1.0", 400, view)
    expectRecordError(containerRecord(0, { version: null }), "version: must not be blank", 400, view)
  })
})
