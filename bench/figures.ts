/**
 * One benchmark figure, printed by the benchmark and, when `npm run bench` runs it, appended as a JSON line to
 * the file named by BENCH_FIGURES, so the runner can print one table and keep bench/results.jsonl for comparing
 * runs. Figures are for reading, never asserted.
 */
import { appendFileSync } from "node:fs"
import { cpus } from "node:os"

export interface Figure {
  readonly name: string
  readonly value: number
  /** rows/s, entries/s, ms, MiB … */
  readonly unit: string
  /** what was measured on, e.g. "288,000 CSV rows" */
  readonly dataSize: string
}

export interface RecordedFigure extends Figure {
  readonly bench: string
  readonly cores: number
  readonly timestamp: string
}

/** Appends `figure` to BENCH_FIGURES when it is set; always returns it. */
export const recordFigure = (bench: string, figure: Figure): Figure => {
  const target = process.env.BENCH_FIGURES
  if (target !== undefined && target !== "") {
    const line: RecordedFigure = { bench, ...figure, cores: cpus().length, timestamp: new Date().toISOString() }
    appendFileSync(target, `${JSON.stringify(line)}\n`)
  }
  return figure
}
