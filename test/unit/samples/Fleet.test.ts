/**
 * samples/generate.ts at scale: `--clusters N`, `--workloads M`, and the streamed writer behind them. The defaults
 * still give the checked-in samples/cost-mgmt.tar.gz; same arguments give the same bytes; N clusters give N
 * payloads with their own cluster id and manifest uuid; M workloads give M workloads in the container CSV, with the
 * catalogue's mix of kinds and of rows ROS must drop.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { clusterIdOf, fleetOptions, fleetPaths } from "../../../samples/Fleet.js"
import {
  type OperatorPayload,
  operatorPayload,
  payloadTarGz,
  streamedPayload,
  writePayloadTarGz
} from "../../../samples/OperatorPayload.js"
import {
  CopiesPerNamespace,
  Namespaces,
  sampleNamespaces,
  sampleOptions,
  unit,
  unitNamer,
  WINDOWS_PER_DAY,
  Workloads,
  workloadCatalog
} from "../../../samples/SampleData.js"
import { writeTarGz } from "../../../samples/Tarball.js"
import { readTarGz } from "./TarReader.js"

const checkedIn = new URL("../../../samples/cost-mgmt.tar.gz", import.meta.url)
const script = fileURLToPath(new URL("../../../samples/generate.ts", import.meta.url))

type Row = Record<string, string>

const fileText = (payload: OperatorPayload, prefix: string): string => {
  const file = payload.files.find((f) => f.localName.startsWith(prefix))
  if (file === undefined) throw new Error(`no ${prefix} file`)
  return file.content
}

const rowsOf = (text: string): ReadonlyArray<Row> => parse(text, { columns: true }) as Array<Row>

/**
 * Which catalogue workload a container row belongs to, read the way a person would: the `workload` column, except
 * for the rows that have none worth the name (a bare ReplicaSet: its owner; a CronJob's Job: the Job name without
 * its schedule suffix; a bare pod: the pod).
 */
const workloadOfRow = (row: Row): string => {
  switch (row.workload_type) {
    case "replicaset":
      return row.owner_name ?? ""
    case "job":
      return (row.owner_name ?? "").replace(/-\d+$/, "")
    case "":
      return row.pod ?? ""
    default:
      return row.workload ?? ""
  }
}

const tempDir = (prefix: string) =>
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), prefix))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

const generate = (args: ReadonlyArray<string>) =>
  Effect.promise(() =>
    promisify(execFile)(process.execPath, ["--import", "tsx", script, ...args], { cwd: process.cwd() })
  )

describe("samples/generate --clusters --workloads", () => {
  it.effect(
    "the defaults are unchanged: 1 cluster of the 11 catalogue workloads, streamed to the checked-in bytes",
    () =>
      Effect.gen(function* () {
        const dir = yield* tempDir("samples-default-")
        const defaults = sampleOptions()
        expect(defaults.workloads).toBe(Workloads.length)
        expect(Workloads).toHaveLength(11)
        expect(workloadCatalog(11)).toBe(Workloads)
        expect(sampleNamespaces(defaults)).toEqual(Namespaces)
        expect(fleetOptions(1)).toEqual([defaults])
        expect(fleetPaths(1, "/x/cost-mgmt.tar.gz")).toEqual(["/x/cost-mgmt.tar.gz"])

        // What the script does with no arguments, both with the small files kept from the measuring pass (the
        // default) and with every file generated a second time (what a large sample does).
        const stored = readFileSync(checkedIn)
        const kept = join(dir, "kept.tar.gz")
        const regenerated = join(dir, "regenerated.tar.gz")
        expect(yield* Effect.promise(() => writePayloadTarGz(streamedPayload(defaults), kept))).toBe(stored.length)
        yield* Effect.promise(() => writePayloadTarGz(streamedPayload(defaults, {}, 0), regenerated))
        expect(readFileSync(kept).equals(stored)).toBe(true)
        expect(readFileSync(regenerated).equals(stored)).toBe(true)
      }).pipe(Effect.scoped)
  )

  it.effect("streaming writes the in-memory bytes for other shapes too (month boundary, copies, 49 columns)", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("samples-stream-")
      const cases = [
        sampleOptions({ startDate: "2026-07-31", days: 2, workloads: 14 }),
        sampleOptions({ days: 1, workloads: 4, layout: 49, seed: 9 })
      ]
      for (const [i, options] of cases.entries()) {
        const path = join(dir, `${i}.tar.gz`)
        yield* Effect.promise(() =>
          writePayloadTarGz(streamedPayload(options, { includeOperatorVersion: true }, 0), path)
        )
        const inMemory = payloadTarGz(operatorPayload(options, { includeOperatorVersion: true }))
        expect(readFileSync(path).equals(inMemory)).toBe(true)
      }
    }).pipe(Effect.scoped)
  )

  it.effect("the streamed writer refuses content that does not match its declared size", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("samples-lie-")
      const error = yield* Effect.promise(() =>
        writeTarGz([{ name: "a.csv", size: 10, mtime: 0, chunks: () => ["only 9 b\n"] }], join(dir, "a.tar.gz")).then(
          () => undefined,
          (e: unknown) => e
        )
      )
      expect(String(error)).toContain("9 bytes produced, 10 declared")
    }).pipe(Effect.scoped)
  )

  it.effect("same arguments, same bytes; N tarballs with distinct cluster ids and manifest uuids", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir("samples-fleet-")
      const args = ["--clusters", "3", "--workloads", "13", "--days", "1", "--seed", "7"]
      yield* Effect.all(
        [
          generate([...args, "--out-dir", join(dir, "a")]),
          generate([...args, "--out-dir", join(dir, "b"), "--out", "fleet.tar.gz"])
        ],
        { concurrency: 2 }
      )
      expect(readdirSync(join(dir, "a")).sort()).toEqual([
        "cost-mgmt-1.tar.gz",
        "cost-mgmt-2.tar.gz",
        "cost-mgmt-3.tar.gz"
      ])
      expect(readdirSync(join(dir, "b")).sort()).toEqual(["fleet-1.tar.gz", "fleet-2.tar.gz", "fleet-3.tar.gz"])

      const members = fleetOptions(3, { workloads: 13, days: 1, seed: 7 })
      const manifests: Array<Record<string, unknown>> = []
      for (const [i, options] of members.entries()) {
        const a = readFileSync(join(dir, "a", `cost-mgmt-${i + 1}.tar.gz`))
        const b = readFileSync(join(dir, "b", `fleet-${i + 1}.tar.gz`))
        // Two runs of the script, byte for byte; and what the model says for that cluster.
        expect(a.equals(b)).toBe(true)
        expect(a.equals(payloadTarGz(operatorPayload(options)))).toBe(true)
        const read = yield* readTarGz(a)
        const manifest = JSON.parse(read.entries.at(-1)?.data.toString("utf8") ?? "{}") as Record<string, unknown>
        expect(manifest.cluster_id).toBe(options.clusterId)
        expect((manifest.cr_status as Record<string, unknown>).clusterID).toBe(options.clusterId)
        for (const entry of read.entries.slice(0, -1))
          expect(entry.header.name.startsWith(`${manifest.uuid}-`)).toBe(true)
        manifests.push(manifest)
      }
      expect(new Set(manifests.map((m) => m.cluster_id)).size).toBe(3)
      expect(new Set(manifests.map((m) => m.uuid)).size).toBe(3)
      expect(manifests.map((m) => m.cluster_id)).toEqual([0, 1, 2].map((i) => clusterIdOf(7, i)))
      // The first cluster of a fleet is the single-cluster sample of the seed.
      expect(members[0]).toEqual(sampleOptions({ workloads: 13, days: 1, seed: 7 }))

      // The clusters are different clusters, not one cluster three times: pod names and usage differ.
      const pods = members.map(
        (options) =>
          new Set(rowsOf(fileText(operatorPayload(options), "ros-openshift-container")).map((r) => r.pod ?? ""))
      )
      expect([...pods[0]!].some((pod) => pods[1]!.has(pod) && pod.includes("frontend"))).toBe(false)
    }).pipe(Effect.scoped)
  )

  it.effect("M workloads give M distinct (namespace, workload) pairs, with the catalogue's mix", () =>
    Effect.sync(() => {
      for (const m of [1, 5, 11, 30, 60]) {
        const options = sampleOptions({ days: 1, workloads: m })
        const payload = operatorPayload(options)
        const rows = rowsOf(fileText(payload, "ros-openshift-container"))
        const pairs = new Set(rows.map((r) => `${r.namespace}/${workloadOfRow(r)}`))
        expect(pairs.size, `M=${m}`).toBe(m)
        const catalogue = workloadCatalog(m)
        expect(pairs).toEqual(new Set(catalogue.map((w) => `${w.namespace}/${w.name}`)))

        // What ROS keeps: one (namespace, type, name) per catalogue entry with an experiment, nothing else.
        const kept = rows.filter(
          (r) => r.workload_type !== "job" && r.workload_type !== "" && r.owner_kind !== "<none>"
        )
        const identities = new Set(
          kept.map((r) => `${r.namespace}/${r.workload_type}/${r.workload === "<none>" ? r.owner_name : r.workload}`)
        )
        expect(identities).toEqual(
          new Set(
            catalogue.flatMap((w) => (w.rosObject ? [`${w.namespace}/${w.rosObject.type}/${w.rosObject.name}`] : []))
          )
        )

        // The namespace CSV has one row per window for each namespace holding a workload.
        const namespaces = new Set(catalogue.map((w) => w.namespace))
        expect(rowsOf(fileText(payload, "ros-openshift-namespace")).length).toBe(namespaces.size * WINDOWS_PER_DAY)
        expect(new Set(rows.map((r) => r.namespace))).toEqual(namespaces)
      }
    })
  )

  it.effect("M > 11 repeats the catalogue under new names and spreads copies over extra namespaces", () =>
    Effect.sync(() => {
      const options = sampleOptions({ days: 1, workloads: 60 })
      const catalogue = workloadCatalog(60)
      // Five full copies and the first five of a sixth; copies 1–4 in the original namespaces, 5–6 in `-2` ones.
      expect(CopiesPerNamespace).toBe(4)
      expect(catalogue.slice(0, 11)).toEqual(Workloads)
      expect(catalogue.slice(11, 13).map((w) => `${w.namespace}/${w.name}`)).toEqual([
        "shop-prod/frontend-2",
        "shop-prod/checkout-api-2"
      ])
      expect(catalogue.slice(44, 46).map((w) => `${w.namespace}/${w.name}`)).toEqual([
        "shop-prod-2/frontend-5",
        "shop-prod-2/checkout-api-5"
      ])
      expect(catalogue.at(-1)).toMatchObject({ namespace: "shop-batch-2", name: "legacy-cache-6", kind: "replicaset" })
      expect(new Set(catalogue.map((w) => w.name)).size).toBe(60)
      // Kinds keep their proportions; the Jobs and bare pods that ROS must drop come along with every full copy.
      const kinds = (k: string) => catalogue.filter((w) => w.kind === k).length
      expect([kinds("deployment"), kinds("statefulset"), kinds("job"), kinds("pod"), kinds("replicaset")]).toEqual([
        4 * 5 + 3,
        2 * 5 + 1,
        5,
        5,
        6
      ])
      expect(catalogue.filter((w) => w.rosObject === undefined)).toHaveLength(10)

      const namespaces = sampleNamespaces(options)
      expect(namespaces.map((n) => n.name)).toEqual([
        "shop-prod",
        "shop-batch",
        "platform-tools",
        "analytics",
        "shop-prod-2",
        "shop-batch-2",
        "platform-tools-2",
        "analytics-2",
        "openshift-monitoring"
      ])
      // Quotas grow with the copies a namespace holds (4 in shop-prod, 2 in shop-prod-2), so requests still fit.
      const quota = (name: string) => namespaces.find((n) => n.name === name)?.quota?.cpuRequest
      expect([quota("shop-prod"), quota("shop-prod-2"), quota("shop-batch")]).toEqual([32, 16, undefined])

      const payload = operatorPayload(options)
      const rows = rowsOf(fileText(payload, "ros-openshift-container"))
      // Each copy's CronJob runs once a day, and its finished pods count in its own namespace only.
      expect(rows.filter((r) => r.workload_type === "job").length).toBe(5 * 4)
      expect(new Set(rows.filter((r) => r.owner_kind === "<none>").map((r) => r.pod))).toEqual(
        new Set(["debug-shell", "debug-shell-2", "debug-shell-3", "debug-shell-4", "debug-shell-5"])
      )
      const nsRows = rowsOf(fileText(payload, "ros-openshift-namespace"))
      const lastWindow = nsRows.slice(-namespaces.length + 1)
      const total = (name: string) => Number(lastWindow.find((r) => r.namespace === name)?.namespace_total_pods_max)
      const running = (name: string) => Number(lastWindow.find((r) => r.namespace === name)?.namespace_running_pods_max)
      expect(total("shop-batch") - running("shop-batch")).toBe(4)
      expect(total("shop-batch-2") - running("shop-batch-2")).toBe(1)
      // Storage: one claim per statefulset replica (postgres 1, kafka 3) per copy, plus Prometheus' two.
      const claims = new Set(
        rowsOf(fileText(payload, "cm-openshift-storage-usage")).map((r) => r.persistentvolumeclaim)
      )
      expect(claims.size).toBe(5 * 4 + 1 + 2)
      expect(claims.has("data-kafka-3-2")).toBe(true)
    })
  )

  it.effect("M < 11 is the catalogue's first M, and the cost reports follow", () =>
    Effect.sync(() => {
      const options = sampleOptions({ days: 1, workloads: 3 })
      expect(workloadCatalog(3)).toEqual(Workloads.slice(0, 3))
      expect(sampleNamespaces(options).map((n) => n.name)).toEqual(["shop-prod", "openshift-monitoring"])
      const payload = operatorPayload(options)
      const labelled = new Set(rowsOf(fileText(payload, "cm-openshift-namespace-usage")).map((r) => r.namespace))
      expect(labelled).toEqual(new Set(["shop-prod", "openshift-monitoring"]))
      const claims = new Set(
        rowsOf(fileText(payload, "cm-openshift-storage-usage")).map((r) => r.persistentvolumeclaim)
      )
      expect(claims).toEqual(
        new Set(["data-postgres-0", "prometheus-k8s-db-prometheus-k8s-0", "prometheus-k8s-db-prometheus-k8s-1"])
      )
    })
  )

  it.effect("output names, option checks and the hash shortcut", () =>
    Effect.sync(() => {
      expect(fleetPaths(2, "/x/cost-mgmt.tar.gz")).toEqual(["/x/cost-mgmt-1.tar.gz", "/x/cost-mgmt-2.tar.gz"])
      expect(fleetPaths(12, "/x/c.tgz", "/y").slice(0, 2)).toEqual(["/y/c-01.tgz", "/y/c-02.tgz"])
      expect(fleetPaths(1, "/x/c.tar.gz", "/y")).toEqual(["/y/c.tar.gz"])
      expect(() => fleetOptions(0)).toThrow(RangeError)
      expect(() => fleetOptions(2, { clusterId: clusterIdOf(1, 0) })).toThrow(RangeError)
      expect(() => sampleOptions({ workloads: 0 })).toThrow(RangeError)
      expect(() => sampleOptions({ workloads: 1.5 })).toThrow(RangeError)
      expect(unitNamer(3, "pod", "container", 17)("cpu")).toBe(unit(3, "pod", "container", 17, "cpu"))
      expect(unitNamer(3)("x")).toBe(unit(3, "x"))
    })
  )
})
