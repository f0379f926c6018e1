/**
 * `npm run bench`: runs the ingest, engine, API, algorithm, CSV and operations benchmarks one after another (each
 * its own process, on the local infrastructure), then prints every figure in one table with the machine's core count
 * and the data sizes, and appends them as JSON lines to bench/results.jsonl (git-ignored) for comparing runs.
 *
 *   node --import tsx bench/run.ts [--only ingest,engine,api,algorithm,csv,operations] [--full]
 *
 * The default sizes finish in a few minutes; `--full` runs each benchmark at the size its issue names
 * (the engine's 5,000 × 15-day run alone takes about a quarter of an hour).
 */
import { spawnSync } from "node:child_process"
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs"
import { cpus, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import type { RecordedFigure } from "./figures.js"

const { values } = parseArgs({
  options: {
    only: { type: "string", default: "ingest,engine,api,algorithm,csv,operations" },
    full: { type: "boolean", default: false }
  }
})

const benches: Record<string, { readonly quick: ReadonlyArray<string>; readonly full: ReadonlyArray<string> }> = {
  ingest: { quick: ["bench/ingest.ts", "--workloads", "600", "--runners", "1,2"], full: ["bench/ingest.ts"] },
  engine: {
    quick: ["bench/engine.ts", "--experiments", "200", "--warm-iterations", "200"],
    full: ["bench/engine.ts", "--experiments", "5000"]
  },
  api: { quick: ["bench/api.ts", "--seconds", "5"], full: ["bench/api.ts"] },
  algorithm: { quick: ["bench/algorithm.ts"], full: ["bench/algorithm.ts"] },
  csv: { quick: ["bench/csv.ts"], full: ["bench/csv.ts"] },
  operations: { quick: ["bench/operations.ts", "--count", "2000"], full: ["bench/operations.ts"] }
}

const chosen = values.only.split(",").map((b) => b.trim())
const unknown = chosen.filter((b) => !(b in benches))
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(benches).join(", ")}\n`)
  process.exit(2)
}

const dir = mkdtempSync(join(tmpdir(), "ros-ocp-bench-"))
const figuresFile = join(dir, "figures.jsonl")
const failed: Array<string> = []
for (const name of chosen) {
  const bench = benches[name]
  if (bench === undefined) continue
  const args = values.full ? bench.full : bench.quick
  process.stdout.write(`\n=== ${name}: node --import tsx ${args.join(" ")}\n`)
  const run = spawnSync(process.execPath, ["--import", "tsx", ...args], {
    stdio: "inherit",
    env: { ...process.env, BENCH_FIGURES: figuresFile }
  })
  if (run.status !== 0) failed.push(`${name} (exit ${String(run.status ?? run.signal)})`)
}

const figures: ReadonlyArray<RecordedFigure> = (() => {
  try {
    return readFileSync(figuresFile, "utf8")
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as RecordedFigure)
  } catch {
    return []
  }
})()
rmSync(dir, { recursive: true, force: true })

const format = (n: number) => (Number.isInteger(n) ? n.toLocaleString("en-US") : n.toFixed(n < 10 ? 2 : 1))
const rows = figures.map((f) => [f.bench, f.name, format(f.value), f.unit, f.dataSize])
const header = ["bench", "figure", "value", "unit", "data"]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)))
const line = (cells: ReadonlyArray<string>) =>
  cells
    .map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
    .join("  ")
    .trimEnd()
process.stdout.write(
  `\n${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}, ${values.full ? "full" : "default"} sizes\n\n`
)
process.stdout.write(`${[line(header), ...rows.map(line)].join("\n")}\n`)
if (figures.length > 0) appendFileSync("bench/results.jsonl", `${figures.map((f) => JSON.stringify(f)).join("\n")}\n`)
if (failed.length > 0) {
  process.stderr.write(`\nfailed: ${failed.join(", ")}\n`)
  process.exit(1)
}
