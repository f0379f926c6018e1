/**
 * samples/ros-ocp-usage.csv: a fresh generation gives the checked-in bytes (from the module and from the script),
 * its header is exactly the 37 container columns ROS requires, and it is the head of the container CSV inside
 * samples/cost-mgmt.tar.gz.
 */
import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import { ContainerColumns37 } from "../../../samples/SampleData.js"
import { DefaultUsageHours, tarballContainerCsv, usageCsv } from "../../../samples/UsageCsv.js"
import { containerColumns } from "../../../schema/ros/UsageCsvColumns.js"

const checkedIn = new URL("../../../samples/ros-ocp-usage.csv", import.meta.url)
const script = fileURLToPath(new URL("../../../samples/generate-usage-csv.ts", import.meta.url))

describe("samples/ros-ocp-usage.csv", () => {
  it.effect("is a fresh generation: identical bytes, twice, and under 1 MB", () =>
    Effect.sync(() => {
      const stored = readFileSync(checkedIn)
      const fresh = Buffer.from(usageCsv(), "utf8")
      expect(stored.equals(fresh)).toBe(true)
      expect(Buffer.from(usageCsv(), "utf8").equals(fresh)).toBe(true)
      expect(stored.length).toBeLessThan(1024 * 1024)
    })
  )

  it.effect("the script rewrites the same bytes", () =>
    Effect.gen(function* () {
      const dir = mkdtempSync(join(tmpdir(), "usage-csv-"))
      yield* Effect.addFinalizer(() => Effect.sync(() => rmSync(dir, { recursive: true, force: true })))
      const out = join(dir, "ros-ocp-usage.csv")
      yield* Effect.promise(() =>
        promisify(execFile)(process.execPath, ["--import", "tsx", script, "--out", out], { cwd: process.cwd() })
      )
      expect(readFileSync(out).equals(readFileSync(checkedIn))).toBe(true)
    }).pipe(Effect.scoped)
  )

  it.effect("has exactly the 37 container columns, and 37 cells in every row", () =>
    Effect.sync(() => {
      const records: Array<Array<string>> = parse(readFileSync(checkedIn), { relax_column_count: true })
      const [header = [], ...rows] = records
      expect(header).toEqual([...ContainerColumns37])
      expect(header).toHaveLength(37)
      // The set ROS requires (ros-ocp-backend's CSVColumnMapping), order aside: no column missing, none extra.
      expect([...header].sort()).toEqual([...containerColumns].sort())
      expect(rows.length).toBeGreaterThan(1000)
      for (const row of rows) expect(row).toHaveLength(37)
    })
  )

  it.effect("is the head of cost-mgmt.tar.gz's container CSV: its first 12 hours, no more", () =>
    Effect.sync(() => {
      const text = readFileSync(checkedIn, "utf8")
      const full = tarballContainerCsv()
      expect(full.startsWith(text)).toBe(true)
      const records: Array<Array<string>> = parse(text)
      const starts = new Set(records.slice(1).map((r) => r[2]))
      expect(starts.size).toBe(DefaultUsageHours * 4)
      expect([...starts][0]).toBe("2026-08-03 00:00:01 +0000 UTC")
      expect([...starts].at(-1)).toBe("2026-08-03 11:45:01 +0000 UTC")
      // The tarball's next row starts the 13th hour.
      expect(full.slice(text.length).split(",")[2]).toBe("2026-08-03 12:00:01 +0000 UTC")
    })
  )
})
