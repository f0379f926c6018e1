/**
 * The demo's upload: the sample cluster (samples/, 11 workloads) over the last nine days, so there is data for
 * the short and medium terms and the API's default window (the current month) shows the result. Written to a
 * temporary folder; the checked-in samples/cost-mgmt.tar.gz stays a fixed, reproducible file.
 */
import { mkdtempSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { Effect } from "effect"
import { streamedPayload, writePayloadTarGz } from "../../../samples/OperatorPayload.js"
import { sampleOptions } from "../../../samples/SampleData.js"

export const DEMO_DAYS = 9

/** `YYYY-MM-DD` of the UTC day `days` before `now`. */
export const daysBefore = (now: Date, days: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - days)).toISOString().slice(0, 10)

export interface DemoSample {
  readonly path: string
  readonly clusterId: string
  readonly startDate: string
}

export const writeDemoSample = (orgId: string) =>
  Effect.gen(function* () {
    const now = new Date()
    const options = sampleOptions({ startDate: daysBefore(now, DEMO_DAYS), days: DEMO_DAYS, orgId })
    const path = join(mkdtempSync(join(tmpdir(), "ros-ocp-demo-")), "cost-mgmt.tar.gz")
    yield* Effect.tryPromise({
      try: () => writePayloadTarGz(streamedPayload(options), path),
      catch: (e) => new Error(`could not write the demo sample: ${e instanceof Error ? e.message : String(e)}`)
    })
    return { path, clusterId: options.clusterId, startDate: options.startDate } satisfies DemoSample
  })
