/**
 * manifest.json decoding with koku's rules (spec B.3): the checked-in sample decodes, both operator layouts and
 * `null` lists are accepted, and every required field, the UUID rules and the single-component file names are
 * enforced with a message naming the field.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { parseManifestTime } from "../../../schema/koku/PayloadManifest.js"
import { operatorVersion } from "../../../src/koku/OperatorVersions.js"
import { decodeManifest } from "../../../src/koku/PayloadCheck.js"
import { readTarGz } from "../samples/TarReader.js"

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value, null, 1))

const base = {
  uuid: "3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b",
  cluster_id: "136212d4-b6cf-4271-b904-26dcf46a89d1",
  version: "0f4d67606199148fd2ea04392d00a32d1387be84",
  date: "2026-08-12T00:03:24.480462354Z",
  files: ["3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b-cm-openshift-pod-usage-202608.0.csv"],
  resource_optimization_files: ["3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b-ros-openshift-container-202608.1.csv"],
  start: "2026-08-03T00:00:00Z",
  end: "2026-08-11T23:59:59Z",
  cr_status: { clusterID: "136212d4-b6cf-4271-b904-26dcf46a89d1" },
  certified: false,
  daily_reports: true
}

const decoded = (value: unknown) => {
  const result = decodeManifest(encode(value))
  if (Either.isLeft(result)) throw new Error(result.left.message)
  return result.right
}

const problem = (value: unknown) => {
  const result = decodeManifest(typeof value === "string" ? new TextEncoder().encode(value) : encode(value))
  if (Either.isRight(result)) throw new Error("expected the manifest to be refused")
  expect(result.left.problem).toBe("manifest_invalid")
  return result.left.message
}

describe("PayloadManifest", () => {
  it.effect("decodes the manifest of samples/cost-mgmt.tar.gz", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(readFileSync(new URL("../../../samples/cost-mgmt.tar.gz", import.meta.url)))
      const entry = read.entries.find((e) => e.header.name === "manifest.json")
      if (entry === undefined) throw new Error("no manifest.json in the sample")
      const result = decodeManifest(new Uint8Array(entry.data))
      if (Either.isLeft(result)) throw new Error(result.left.message)
      const manifest = result.right
      expect(manifest.cluster_id).toBe("136212d4-b6cf-4271-b904-26dcf46a89d1")
      expect(manifest.files).toHaveLength(4)
      expect(manifest.resource_optimization_files).toHaveLength(2)
      expect(manifest.date.toISOString()).toBe("2026-08-12T00:03:24.480Z")
      expect(manifest.daily_reports).toBe(true)
      expect(operatorVersion(manifest)).toBe("koku-metrics-operator:v4.1.0")
    })
  )

  it("accepts the pre-4.1 layout, null and absent lists, and unknown keys", () => {
    const old = decoded({
      ...base,
      files: ["3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b_openshift_usage_report.0.csv"],
      resource_optimization_files: ["3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b_openshift_usage_report.4.csv"],
      something_new: { nested: true }
    })
    expect(old.resource_optimization_files).toEqual([
      "3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b_openshift_usage_report.4.csv"
    ])
    expect(decoded({ ...base, resource_optimization_files: null }).resource_optimization_files).toEqual([])
    const { files: _files, resource_optimization_files: _ros, start: _s, end: _e, ...minimal } = base
    const bare = decoded(minimal)
    expect(bare.files).toEqual([])
    expect(bare.resource_optimization_files).toEqual([])
    expect(bare.start).toBeUndefined()
  })

  it("maps the operator commit to koku's version, keeps an explicit one, and passes unknown commits through", () => {
    expect(operatorVersion(decoded({ ...base, version: "d973ee0dcaa457040a619340c1e781a6e7be547f" }))).toBe(
      "koku-metrics-operator:v4.2.0"
    )
    expect(operatorVersion(decoded({ ...base, version: "c7361974c47522d07a4810fdada6be4f39ecd75d" }))).toBe(
      "costmanagement-metrics-operator:4.1.0"
    )
    expect(operatorVersion(decoded({ ...base, operator_version: "koku-metrics-operator:v9.9.9" }))).toBe(
      "koku-metrics-operator:v9.9.9"
    )
    expect(operatorVersion(decoded({ ...base, version: "abc123" }))).toBe("abc123")
  })

  it("refuses a manifest without its required fields, naming them", () => {
    const { uuid: _u, ...noUuid } = base
    expect(problem(noUuid)).toContain("uuid")
    const { cluster_id: _c, ...noCluster } = base
    expect(problem(noCluster)).toContain("cluster_id")
    const { date: _d, ...noDate } = base
    expect(problem(noDate)).toContain("date")
  })

  it("refuses a uuid that is not version 4 and a cluster_id that is not a UUID", () => {
    expect(problem({ ...base, uuid: "3f2a4c1e-8b7d-1e6f-9a1b-2c3d4e5f6a7b" })).toContain("version 4 UUID")
    expect(problem({ ...base, cluster_id: "my-cluster" })).toContain("cluster_id must be a UUID")
  })

  it("refuses file names that are not one path component", () => {
    for (const name of ["../evil.csv", "/tmp/evil.csv", "a/b.csv", "a\\b.csv", "..", "", "x\u0000.csv"]) {
      expect(problem({ ...base, resource_optimization_files: [name] }), name).toContain("resource_optimization_files")
    }
    expect(problem({ ...base, files: ["ok.csv", "../up.csv"] })).toContain("files.1")
  })

  it("refuses text that is not JSON, and wrong types", () => {
    expect(problem('{"uuid": "3f2a')).toMatch(/JSON/)
    expect(problem({ ...base, files: "a.csv" })).toContain("files")
    expect(problem({ ...base, date: "yesterday" })).toContain("not an RFC 3339 time")
  })

  it("reads RFC 3339 with any fraction and offset, and naive times as UTC", () => {
    expect(parseManifestTime("2026-08-12T00:03:24.480462354Z")?.toISOString()).toBe("2026-08-12T00:03:24.480Z")
    expect(parseManifestTime("2026-08-12T00:03:24")?.toISOString()).toBe("2026-08-12T00:03:24.000Z")
    expect(parseManifestTime("2026-08-12T02:03:24+02:00")?.toISOString()).toBe("2026-08-12T00:03:24.000Z")
    expect(parseManifestTime("2026-08-12 00:03:24")?.toISOString()).toBe("2026-08-12T00:03:24.000Z")
    expect(parseManifestTime("2026-02-31T00:00:00Z")).toBeUndefined()
    expect(parseManifestTime("12/08/2026")).toBeUndefined()
  })
})
