/**
 * Writes samples/ros-ocp-usage.csv: the 37-column ROS container CSV of the default sample's first hours.
 *
 *   node --import tsx samples/generate-usage-csv.ts [--out samples/ros-ocp-usage.csv] [--hours 12]
 *
 * With no arguments it rewrites the checked-in file byte for byte (a unit test checks that).
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { DefaultUsageHours, usageCsv } from "./UsageCsv.js"

const { values } = parseArgs({
  options: { out: { type: "string" }, hours: { type: "string" } },
  strict: true
})

if (values.hours !== undefined && !/^\d+$/.test(values.hours)) {
  throw new Error(`--hours must be a positive integer, got "${values.hours}"`)
}
const hours = values.hours === undefined ? DefaultUsageHours : Number(values.hours)
const text = usageCsv(undefined, hours)
const out =
  values.out === undefined ? resolve(dirname(fileURLToPath(import.meta.url)), "ros-ocp-usage.csv") : resolve(values.out)
mkdirSync(dirname(out), { recursive: true })
writeFileSync(out, text)
const rows = text.split("\n").length - 2
process.stdout.write(`wrote ${out} (${Buffer.byteLength(text)} bytes): ${rows} rows, ${hours} hours, 37 columns\n`)
