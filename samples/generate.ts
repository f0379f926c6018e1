/**
 * Writes the sample operator upload(s).
 *
 *   node --import tsx samples/generate.ts [--out samples/cost-mgmt.tar.gz] [--out-dir <dir>] [--days 9] [--seed 1]
 *     [--clusters 1] [--workloads 11] [--start 2026-08-03] [--cluster-id <uuid>] [--org-id 3340851]
 *     [--layout 37|49] [--with-operator-version]
 *
 * With no arguments it rewrites the checked-in samples/cost-mgmt.tar.gz byte for byte (a unit test checks that).
 * Every tarball is streamed to disk (rows generated window by window, measured in a first pass for the tar
 * headers, written in a second), so memory stays flat whatever the number of clusters, workloads and days.
 */
import { mkdirSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { fleetOptions, fleetPaths } from "./Fleet.js"
import { streamedPayload, writePayloadTarGz } from "./OperatorPayload.js"
import { type ContainerLayout, type SampleOptions, sampleNamespaces } from "./SampleData.js"

const here = dirname(fileURLToPath(import.meta.url))

const integer = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a non-negative integer, got "${text}"`)
  return Number(text)
}

const layout = (text: string | undefined): ContainerLayout | undefined => {
  if (text === undefined) return undefined
  if (text === "37" || text === "49") return Number(text) as ContainerLayout
  throw new Error(`--layout must be 37 or 49, got "${text}"`)
}

const { values } = parseArgs({
  options: {
    out: { type: "string" },
    "out-dir": { type: "string" },
    days: { type: "string" },
    seed: { type: "string" },
    clusters: { type: "string" },
    workloads: { type: "string" },
    start: { type: "string" },
    "cluster-id": { type: "string" },
    "org-id": { type: "string" },
    layout: { type: "string" },
    "with-operator-version": { type: "boolean" }
  },
  strict: true
})

const clusterId = values["cluster-id"]
if (clusterId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(clusterId)) {
  throw new Error(`--cluster-id must be a lower-case UUID, got "${clusterId}"`)
}

const days = integer("days", values.days)
const seed = integer("seed", values.seed)
const workloads = integer("workloads", values.workloads)
const clusters = integer("clusters", values.clusters) ?? 1
const chosenLayout = layout(values.layout)
const base: Partial<SampleOptions> = {
  ...(days === undefined ? {} : { days }),
  ...(seed === undefined ? {} : { seed }),
  ...(workloads === undefined ? {} : { workloads }),
  ...(values.start === undefined ? {} : { startDate: values.start }),
  ...(clusterId === undefined ? {} : { clusterId }),
  ...(values["org-id"] === undefined ? {} : { orgId: values["org-id"] }),
  ...(chosenLayout === undefined ? {} : { layout: chosenLayout })
}
if (clusters > 1 && clusterId !== undefined) throw new Error("--cluster-id needs --clusters 1")

const members = fleetOptions(clusters, base)
const paths = fleetPaths(
  clusters,
  values.out === undefined ? resolve(here, "cost-mgmt.tar.gz") : resolve(values.out),
  values["out-dir"] === undefined ? undefined : resolve(values["out-dir"])
)
const extras = { includeOperatorVersion: values["with-operator-version"] === true }

const started = performance.now()
for (const [i, options] of members.entries()) {
  const out = paths[i]!
  const payload = streamedPayload(options, extras)
  mkdirSync(dirname(out), { recursive: true })
  const bytes = await writePayloadTarGz(payload, out)
  const namespaces = sampleNamespaces(options).filter((n) => n.optimized).length
  process.stdout.write(
    [
      `wrote ${out} (${bytes} bytes)`,
      `  operator payload name ${payload.payloadName}`,
      `  manifest uuid ${payload.manifest.uuid}, cluster_id ${options.clusterId}, org_id ${options.orgId}`,
      `  ${payload.manifest.start} .. ${payload.manifest.end}, ${options.days} days, ${options.layout}-column ROS CSV`,
      `  ${options.workloads} workloads in ${namespaces} ROS namespaces, seed ${options.seed}`,
      ...payload.files.map((f) => `  ${f.resourceOptimization ? "ros " : "cost"} ${f.name} (${f.size} bytes)`),
      ""
    ].join("\n")
  )
}

// The identity the upload needs (spec A.6); the org must own a Sources source whose cluster id is each one above.
const orgId = members[0]?.orgId ?? ""
const identity = Buffer.from(
  JSON.stringify({
    identity: { org_id: orgId, type: "User", internal: { org_id: orgId } },
    entitlements: { cost_management: { is_entitled: true } }
  })
).toString("base64")
process.stdout.write(
  `${clusters} tarball(s) in ${((performance.now() - started) / 1000).toFixed(1)} s\n  x-rh-identity: ${identity}\n`
)
