/**
 * Writes the hostile archives to samples/hostile/ (or `--out <dir>`), one per defect; see samples/README.md.
 *
 *   node --import tsx samples/generate-hostile.ts [--out samples/hostile] [--only gzip-bomb.tar.gz]
 */
import { mkdirSync, writeFileSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { HostileSamples } from "./HostileSamples.js"

const { values } = parseArgs({
  options: { out: { type: "string" }, only: { type: "string" } },
  strict: true
})

const dir = values.out === undefined ? resolve(dirname(fileURLToPath(import.meta.url)), "hostile") : resolve(values.out)
const selected = HostileSamples.filter((s) => values.only === undefined || s.file === values.only)
if (selected.length === 0) throw new Error(`no hostile sample is named "${values.only}"`)

mkdirSync(dir, { recursive: true })
for (const sample of selected) {
  const bytes = sample.build()
  writeFileSync(join(dir, sample.file), bytes)
  process.stdout.write(`wrote ${join(dir, sample.file)} (${bytes.length} bytes): ${sample.hostility}\n`)
}
