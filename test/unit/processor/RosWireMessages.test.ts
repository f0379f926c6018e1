/**
 * The two Kafka contracts of the processor and poller, read the way Go reads them (keys in any case, unknown
 * keys ignored) and validated the way upstream validates them; the recommendation message is written with the
 * Go field names and Go's time format.
 */
import { describe, expect, it } from "@effect/vitest"
import { DateTime, Either, Schema } from "effect"
import { RecommendationMessageJson } from "../../../schema/ros/RecommendationMessage.js"
import { RosEventJson } from "../../../schema/ros/RosEvent.js"

const rosEvent = (overrides: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) =>
  JSON.stringify({
    request_id: "req-1",
    b64_identity: "eyJpZGVudGl0eSI6e319",
    metadata: {
      account: "12345",
      org_id: "3340851",
      source_id: "111",
      cluster_uuid: "1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c",
      cluster_alias: "test-cluster",
      provider_uuid: "p",
      operator_version: "koku-metrics-operator:v4.1.0",
      ...metadata
    },
    files: ["http://127.0.0.1:9000/ros-data/a.csv?X-Amz-Signature=1"],
    object_keys: ["a.csv"],
    ...overrides
  })

const decodeEvent = Schema.decodeUnknownEither(RosEventJson)
const errorOf = (text: string) => {
  const result = decodeEvent(text)
  return Either.isLeft(result) ? result.left.message : "decoded"
}

describe("hccm.ros.events as the processor reads it", () => {
  it("decodes koku's message and ignores the keys ROS does not read", () => {
    const event = Either.getOrThrow(decodeEvent(rosEvent()))
    expect(event).toEqual({
      request_id: "req-1",
      b64_identity: "eyJpZGVudGl0eSI6e319",
      metadata: {
        account: "12345",
        org_id: "3340851",
        source_id: "111",
        cluster_uuid: "1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c",
        cluster_alias: "test-cluster"
      },
      files: ["http://127.0.0.1:9000/ros-data/a.csv?X-Amz-Signature=1"]
    })
  })

  it("matches keys case-insensitively, as Go's json.Unmarshal does", () => {
    const text = JSON.stringify({
      Request_ID: "r",
      B64_IDENTITY: "x",
      Metadata: {
        Org_Id: "1",
        SOURCE_ID: "2",
        Cluster_UUID: "1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c",
        cluster_ALIAS: "a"
      },
      Files: []
    })
    const event = Either.getOrThrow(decodeEvent(text))
    expect(event.request_id).toBe("r")
    expect(event.metadata.org_id).toBe("1")
    expect(event.files).toEqual([])
  })

  it("prefers the exact spelling when a key appears in two cases", () => {
    const text = rosEvent({ REQUEST_ID: "shouted" })
    expect(Either.getOrThrow(decodeEvent(text)).request_id).toBe("req-1")
  })

  it("accepts a message without account (optional upstream)", () => {
    const text = rosEvent({}, { account: undefined })
    expect(Either.getOrThrow(decodeEvent(text)).metadata.account).toBeUndefined()
  })

  it.each([
    ["request_id", rosEvent({ request_id: "" }), "request_id is required"],
    ["b64_identity", rosEvent({ b64_identity: "" }), "b64_identity is required"],
    ["org_id", rosEvent({}, { org_id: "" }), "metadata.org_id is required"],
    ["source_id", rosEvent({}, { source_id: "" }), "metadata.source_id is required"],
    ["cluster_alias", rosEvent({}, { cluster_alias: "" }), "metadata.cluster_alias is required"],
    ["cluster_uuid", rosEvent({}, { cluster_uuid: "not-a-uuid" }), "metadata.cluster_uuid must be a UUID"]
  ])("refuses an empty or invalid %s with a message naming it", (_, text, message) => {
    expect(errorOf(text)).toContain(message)
  })

  it("refuses a message whose files are missing or null", () => {
    expect(errorOf(rosEvent({ files: null }))).not.toBe("decoded")
    const withoutFiles = JSON.parse(rosEvent()) as Record<string, unknown>
    delete withoutFiles.files
    expect(errorOf(JSON.stringify(withoutFiles))).toContain("files")
  })

  it("refuses text that is not JSON", () => {
    expect(errorOf("{not json")).not.toBe("decoded")
  })
})

const decodeRecommendation = Schema.decodeUnknownEither(RecommendationMessageJson)

describe("rosocp.kruize.recommendations", () => {
  const message = {
    Request_id: "req-1",
    Metadata: {
      Org_id: "3340851",
      Workload_id: 42,
      Experiment_name: "3340851|111|1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c|ns|deployment|app",
      Max_endtime_report: DateTime.unsafeMake("2023-06-03T00:45:00.000Z"),
      ExperimentType: "container" as const
    }
  }

  it("is written with the Go field names and Go's RFC 3339 time", () => {
    expect(Schema.encodeSync(RecommendationMessageJson)(message)).toBe(
      '{"Request_id":"req-1","Metadata":{"Org_id":"3340851","Workload_id":42,' +
        '"Experiment_name":"3340851|111|1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c|ns|deployment|app",' +
        '"Max_endtime_report":"2023-06-03T00:45:00Z","ExperimentType":"container"}}'
    )
  })

  it("keeps a non-zero fraction of a second, trimmed as Go trims it", () => {
    const text = Schema.encodeSync(RecommendationMessageJson)({
      ...message,
      Metadata: { ...message.Metadata, Max_endtime_report: DateTime.unsafeMake("2023-06-03T00:45:00.120Z") }
    })
    expect(text).toContain('"Max_endtime_report":"2023-06-03T00:45:00.12Z"')
  })

  it("reads upstream's keys in any case", () => {
    const decoded = decodeRecommendation(
      JSON.stringify({
        request_id: "r",
        metadata: {
          org_id: "1",
          workload_id: 7,
          experiment_name: "e",
          max_endtime_report: "2023-06-03T00:45:00Z",
          experimenttype: "namespace"
        }
      })
    )
    expect(Either.getOrThrow(decoded).Metadata.Workload_id).toBe(7)
    expect(Either.getOrThrow(decoded).Metadata.ExperimentType).toBe("namespace")
  })

  it.each([
    ["a Workload_id of 0", { Workload_id: 0 }],
    ["an empty Experiment_name", { Experiment_name: "" }],
    ["an unknown ExperimentType", { ExperimentType: "pod" }],
    ["a Max_endtime_report that is not a time", { Max_endtime_report: "yesterday" }]
  ])("refuses %s", (_, metadata) => {
    const text = JSON.stringify({
      Request_id: "r",
      Metadata: {
        Org_id: "1",
        Workload_id: 1,
        Experiment_name: "e",
        Max_endtime_report: "2023-06-03T00:45:00Z",
        ExperimentType: "container",
        ...metadata
      }
    })
    expect(Either.isLeft(decodeRecommendation(text))).toBe(true)
  })
})
