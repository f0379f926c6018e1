/**
 * Writes the sample operator upload.
 *
 *   node --import tsx samples/generate.ts [--out samples/cost-mgmt.tar.gz] [--days 9] [--seed 1]
 *     [--start 2026-08-03] [--cluster-id <uuid>] [--org-id 3340851] [--layout 37|49] [--with-operator-version]
 *
 * With no arguments it rewrites the checked-in samples/cost-mgmt.tar.gz byte for byte (a unit test checks that).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { operatorPayload, payloadTarGz } from "./OperatorPayload.js"
import { type ContainerLayout, sampleOptions } from "./SampleData.js"

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
    days: { type: "string" },
    seed: { type: "string" },
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
const chosenLayout = layout(values.layout)
const options = sampleOptions({
  ...(days === undefined ? {} : { days }),
  ...(seed === undefined ? {} : { seed }),
  ...(values.start === undefined ? {} : { startDate: values.start }),
  ...(clusterId === undefined ? {} : { clusterId }),
  ...(values["org-id"] === undefined ? {} : { orgId: values["org-id"] }),
  ...(chosenLayout === undefined ? {} : { layout: chosenLayout })
})

const payload = operatorPayload(options, { includeOperatorVersion: values["with-operator-version"] === true })
const bytes = payloadTarGz(payload)
const out = values.out === undefined ? resolve(here, "cost-mgmt.tar.gz") : resolve(values.out)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, bytes)

// The identity the upload needs (spec A.6); the org must own a Sources source whose cluster id is this one.
const identity = Buffer.from(
  JSON.stringify({
    identity: { org_id: options.orgId, type: "User", internal: { org_id: options.orgId } },
    entitlements: { cost_management: { is_entitled: true } }
  })
).toString("base64")

process.stdout.write(
  [
    `wrote ${out} (${bytes.length} bytes)`,
    `  operator payload name ${payload.payloadName}`,
    `  manifest uuid ${payload.manifest.uuid}, cluster_id ${options.clusterId}, org_id ${options.orgId}`,
    `  ${payload.manifest.start} .. ${payload.manifest.end}, ${options.days} days, ${options.layout}-column ROS CSV`,
    ...payload.files.map((f) => `  ${f.resourceOptimization ? "ros " : "cost"} ${f.name} (${f.content.length} bytes)`),
    `  x-rh-identity: ${identity}`,
    ""
  ].join("\n")
)
