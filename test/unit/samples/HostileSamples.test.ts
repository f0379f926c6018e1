import { readdirSync, readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "csv-parse/sync"
import { Effect } from "effect"
import {
  AbsoluteName,
  AbsurdClaimedSize,
  EntryCountBombEntries,
  GzipBombBytes,
  HostileSamples,
  LinkTarget,
  MissingColumn,
  MissingColumnRenamedTo,
  TraversalName,
  WrongTypeCells
} from "../../../samples/HostileSamples.js"
import { ContainerColumns37 } from "../../../samples/SampleData.js"
import { gunzippedSize, readTar, readTarGz, type TarRead } from "./TarReader.js"

const dir = new URL("../../../samples/hostile/", import.meta.url)
const stored = (file: string): Buffer => readFileSync(new URL(file, dir))

interface ManifestLists {
  readonly files: ReadonlyArray<string> | null
  readonly resource_optimization_files: ReadonlyArray<string> | null
}

const manifestOf = (read: TarRead): ManifestLists => {
  const entry = read.entries.find((e) => e.header.name === "manifest.json")
  if (entry === undefined) throw new Error("no manifest.json")
  return JSON.parse(entry.data.toString("utf8")) as ManifestLists
}

const csvOf = (read: TarRead): ReadonlyArray<ReadonlyArray<string>> => {
  const entry = read.entries.find((e) => e.header.name.endsWith(".csv"))
  if (entry === undefined) throw new Error("no CSV entry")
  return parse(entry.data, { relax_column_count: true }) as Array<Array<string>>
}

const isGzip = (bytes: Uint8Array): boolean => bytes[0] === 0x1f && bytes[1] === 0x8b

describe("samples/hostile", () => {
  it.effect("holds exactly the generated samples, each small, each reproducible", () =>
    Effect.sync(() => {
      const files = readdirSync(dir).filter((f) => f.endsWith(".tar.gz"))
      expect(files.sort()).toEqual(HostileSamples.map((s) => s.file).sort())
      for (const sample of HostileSamples) {
        const bytes = stored(sample.file)
        expect(bytes.length, sample.file).toBeLessThan(1024 * 1024)
        expect(sample.build().equals(bytes), sample.file).toBe(true)
      }
    })
  )

  it.effect("path-traversal: the entry name really climbs out with ../", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("path-traversal.tar.gz"))
      expect(read.error).toBeUndefined()
      expect(read.entries[0]?.header.name).toBe(TraversalName)
      expect(read.entries[0]?.header.name.startsWith("../")).toBe(true)
      expect(manifestOf(read).resource_optimization_files).toEqual([TraversalName])
    })
  )

  it.effect("absolute-path: the entry name starts at /", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("absolute-path.tar.gz"))
      expect(read.entries[0]?.header.name).toBe(AbsoluteName)
      expect(read.entries[0]?.header.name.startsWith("/")).toBe(true)
      expect(manifestOf(read).resource_optimization_files).toEqual([AbsoluteName])
    })
  )

  it.effect("symlink and hardlink: the listed ROS file is a link to /etc/passwd", () =>
    Effect.gen(function* () {
      for (const [file, type] of [
        ["symlink.tar.gz", "symlink"],
        ["hardlink.tar.gz", "link"]
      ] as const) {
        const read = yield* readTarGz(stored(file))
        expect(read.error, file).toBeUndefined()
        const link = read.entries[0]
        expect(link?.header.type, file).toBe(type)
        expect(link?.header.linkname, file).toBe(LinkTarget)
        expect(manifestOf(read).resource_optimization_files, file).toEqual([link?.header.name])
      }
    })
  )

  it.effect("not-gzip and uncompressed-tar: no gzip magic; the second is still a readable tar", () =>
    Effect.gen(function* () {
      const text = stored("not-gzip.tar.gz")
      expect(isGzip(text)).toBe(false)
      expect(text.toString("utf8").startsWith("report_period_start,")).toBe(true)
      expect((yield* readTarGz(text)).error).toBeDefined()

      const plain = stored("uncompressed-tar.tar.gz")
      expect(isGzip(plain)).toBe(false)
      const read = yield* readTar(plain)
      expect(read.error).toBeUndefined()
      expect(read.entries.map((e) => e.header.name).at(-1)).toBe("manifest.json")
    })
  )

  it.effect("truncated-gzip: starts as gzip, ends before the trailer", () =>
    Effect.gen(function* () {
      const bytes = stored("truncated-gzip.tar.gz")
      expect(isGzip(bytes)).toBe(true)
      expect(yield* gunzippedSize(bytes)).toBeUndefined()
      expect((yield* readTarGz(bytes)).error).toBeDefined()
    })
  )

  it.effect("missing-listed-file: the manifest lists a CSV that is not in the archive", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("missing-listed-file.tar.gz"))
      expect(read.error).toBeUndefined()
      const names = read.entries.map((e) => e.header.name)
      const listed = manifestOf(read).resource_optimization_files ?? []
      expect(listed).toHaveLength(2)
      expect(listed.filter((n) => !names.includes(n))).toHaveLength(1)
      expect(listed.filter((n) => !names.includes(n))[0]).toContain("ros-openshift-container")
      expect(listed.filter((n) => names.includes(n))[0]).toContain("ros-openshift-namespace")
    })
  )

  it.effect("manifest-not-json: manifest.json is present and does not parse", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("manifest-not-json.tar.gz"))
      const manifest = read.entries.find((e) => e.header.name === "manifest.json")
      expect(manifest?.data.length).toBe(200)
      expect(() => JSON.parse(manifest?.data.toString("utf8") ?? "")).toThrow(SyntaxError)
    })
  )

  it.effect("absurd-size: the header claims 1 TiB and the archive ends long before", () =>
    Effect.gen(function* () {
      const bytes = stored("absurd-size.tar.gz")
      const read = yield* readTarGz(bytes)
      expect(read.headers.map((h) => h.name)[0]).toBe("manifest.json")
      expect(read.headers[1]?.size).toBe(AbsurdClaimedSize)
      expect(read.error).toBeDefined()
      expect(bytes.length).toBeLessThan(64 * 1024)
      const listed = manifestOf(read).resource_optimization_files
      expect(listed).toEqual([read.headers[1]?.name])
    })
  )

  it.effect("entry-count-bomb: 10,001 entries before the manifest, in a small file", () =>
    Effect.gen(function* () {
      const bytes = stored("entry-count-bomb.tar.gz")
      expect(bytes.length).toBeLessThan(256 * 1024)
      const read = yield* readTarGz(bytes)
      expect(read.error).toBeUndefined()
      expect(read.entries).toHaveLength(EntryCountBombEntries + 1)
      expect(read.entries.at(-1)?.header.name).toBe("manifest.json")
    })
  )

  it.effect("gzip-bomb: under 1 MB compressed, over 200 MB inflated", () =>
    Effect.gen(function* () {
      const bytes = stored("gzip-bomb.tar.gz")
      expect(bytes.length).toBeLessThan(1024 * 1024)
      // Streamed and counted, never held: keep only the first KiB of each entry.
      const read = yield* readTarGz(bytes, 1024)
      expect(read.error).toBeUndefined()
      expect(read.entries[0]?.header.name).toBe("manifest.json")
      const bomb = read.entries[1]
      expect(bomb?.header.size).toBe(GzipBombBytes)
      expect(bomb?.delivered).toBe(GzipBombBytes)
      expect(GzipBombBytes).toBeGreaterThan(200 * 1000 * 1000)
      expect(manifestOf(read).resource_optimization_files).toEqual([bomb?.header.name])
    })
  )

  it.effect("missing-manifest: a ROS CSV and nothing else", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("missing-manifest.tar.gz"))
      expect(read.error).toBeUndefined()
      expect(read.entries.map((e) => e.header.name)).toHaveLength(1)
      expect(read.entries.some((e) => e.header.name === "manifest.json")).toBe(false)
      expect(csvOf(read)[0]).toEqual([...ContainerColumns37])
    })
  )

  it.effect("missing-column: 37 columns, one required column absent", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("missing-column.tar.gz"))
      const header = csvOf(read)[0] ?? []
      expect(header).toHaveLength(37)
      expect(header).not.toContain(MissingColumn)
      expect(header).toContain(MissingColumnRenamedTo)
      expect(ContainerColumns37.filter((c) => !header.includes(c))).toEqual([MissingColumn])
    })
  )

  it.effect("wrong-types: a correct header, row 0 valid, one bad cell in each later row", () =>
    Effect.gen(function* () {
      const read = yield* readTarGz(stored("wrong-types.tar.gz"))
      const [header = [], ...rows] = csvOf(read)
      expect(header).toEqual([...ContainerColumns37])
      expect(rows).toHaveLength(WrongTypeCells.length + 1)
      for (const row of rows) expect(row).toHaveLength(37)
      const usage = (row: ReadonlyArray<string>, column: string) => row[header.indexOf(column)] ?? ""
      expect(Number(usage(rows[0] ?? [], "cpu_usage_container_avg"))).toBeGreaterThanOrEqual(0)
      for (const bad of WrongTypeCells) {
        expect(usage(rows[bad.row] ?? [], bad.column), `${bad.row} ${bad.column}`).toBe(bad.value)
      }
      // Each bad value really is bad as a number or a timestamp.
      const numeric = WrongTypeCells.filter((c) => c.column !== "interval_end").map((c) => Number(c.value))
      expect(numeric.every((n) => Number.isNaN(n) || n < 0 || !Number.isFinite(n) || n === 0)).toBe(true)
    })
  )
})
