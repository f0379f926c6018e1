/**
 * Small archives that are wrong on purpose, one defect each, for the koku stage's tests (rejecting unsafe or
 * malformed uploads without crashing, hanging or exhausting memory). Apart from its one defect each archive is a
 * well-formed operator payload built from the sample model: a one-window ROS container CSV and a valid manifest.
 */
import { goJson, type OperatorPayload, operatorPayload } from "./OperatorPayload.js"
import {
  ContainerColumns37,
  type ContainerRow,
  containerCsvLine,
  containerRows,
  csvLine,
  NamespaceColumns,
  namespaceCsvLine,
  namespaceRows,
  sampleOptions,
  startMillis,
  WINDOW_SECONDS,
  yearMonth
} from "./SampleData.js"
import { gzip, type TarEntry, tarArchive, tarGz } from "./Tarball.js"

export interface HostileSample {
  /** File name under samples/hostile/. */
  readonly file: string
  /** What is wrong with it, in one sentence (also the README line). */
  readonly hostility: string
  readonly build: () => Buffer
}

/** One day of the default sample; only its first 15-minute window is used, to keep every archive tiny. */
const options = sampleOptions({ days: 1 })
const WINDOWS = 1

const windowIndexOf = (row: { readonly interval_start: string }): number =>
  (Date.parse(`${row.interval_start.slice(0, 19).replace(" ", "T")}Z`) - startMillis(options)) / (WINDOW_SECONDS * 1000)

/**
 * What every hostile archive is made from. Built by each `build` call rather than at import, so importing this
 * module for its names and constants costs nothing.
 */
interface Fixture {
  readonly payload: OperatorPayload
  readonly rows: ReadonlyArray<ContainerRow>
  /** Valid 37-column ROS container CSV for the first window. */
  readonly containerCsv: string
  readonly namespaceCsv: string
  /** Names as a payload carrying these CSVs would (`<uuid>-<report>.<idx>.csv`). */
  readonly containerName: string
  readonly namespaceName: string
  readonly file: (name: string, data: string, extra?: Partial<TarEntry>) => TarEntry
  /** manifest.json listing exactly these ROS files (and no cost files). */
  readonly manifest: (rosFiles: ReadonlyArray<string>) => TarEntry
  /** The well-formed one-CSV payload the defects are applied to. */
  readonly valid: ReadonlyArray<TarEntry>
}

const fixture = (): Fixture => {
  const payload = operatorPayload(options)
  const month = yearMonth(startMillis(options))
  const rows = containerRows(options).filter((row) => windowIndexOf(row) < WINDOWS)
  const containerCsv = csvLine(ContainerColumns37) + rows.map((row) => containerCsvLine(row, 37)).join("")
  const namespaceCsv =
    csvLine(NamespaceColumns) +
    namespaceRows(options)
      .filter((row) => windowIndexOf(row) < WINDOWS)
      .map((row) => namespaceCsvLine(row))
      .join("")
  const containerName = `${payload.manifest.uuid}-ros-openshift-container-${month}.0.csv`
  const namespaceName = `${payload.manifest.uuid}-ros-openshift-namespace-${month}.1.csv`
  const file = (name: string, data: string, extra: Partial<TarEntry> = {}): TarEntry => ({
    name,
    data,
    mtime: payload.mtime,
    ...extra
  })
  const manifest = (rosFiles: ReadonlyArray<string>): TarEntry =>
    file(
      "manifest.json",
      goJson({ ...payload.manifest, files: null, resource_optimization_files: rosFiles.length === 0 ? null : rosFiles })
    )
  return {
    payload,
    rows,
    containerCsv,
    namespaceCsv,
    containerName,
    namespaceName,
    file,
    manifest,
    valid: [file(containerName, containerCsv), manifest([containerName])]
  }
}

export const TraversalName = "../evil.csv"
export const AbsoluteName = "/tmp/evil.csv"
export const LinkTarget = "/etc/passwd"
/** 1 TiB, written in GNU base-256 because it does not fit the 11 octal digits of a USTAR size field. */
export const AbsurdClaimedSize = 2 ** 40
export const EntryCountBombEntries = 10_001
/** 256 MiB of zeros: over the 200 MB a stage may decompress, under 1 MB compressed. */
export const GzipBombBytes = 256 * 1024 * 1024
/** The required column the missing-column sample renames, so it still has 37 columns. */
export const MissingColumn = "cpu_usage_container_avg"
export const MissingColumnRenamedTo = "cpu_usage_container_mean"

/** Cells the wrong-types sample overwrites: row index among data rows (0 stays valid), column, bad text. */
export const WrongTypeCells: ReadonlyArray<{
  readonly row: number
  readonly column: (typeof ContainerColumns37)[number]
  readonly value: string
}> = [
  { row: 1, column: "cpu_usage_container_avg", value: "abc" },
  { row: 2, column: "memory_usage_container_max", value: "1.5Gi" },
  { row: 3, column: "memory_rss_usage_container_sum", value: "-1024.000000" },
  { row: 4, column: "interval_end", value: "yesterday" },
  { row: 5, column: "cpu_usage_container_min", value: "NaN" },
  { row: 6, column: "memory_usage_container_avg", value: "1,024" },
  { row: 7, column: "cpu_usage_container_max", value: "" },
  { row: 8, column: "cpu_usage_container_sum", value: "1e309" },
  { row: 9, column: "memory_limit_container_avg", value: "true" }
]

const wrongTypesCsv = (f: Fixture): string => {
  const lines = f.rows.slice(0, WrongTypeCells.length + 1).map((row, index) => {
    // Start from the model's own formatting and overwrite the one bad cell of this row.
    const cells = containerCsvLine(row, 37).trimEnd().split(",")
    for (const bad of WrongTypeCells) {
      if (bad.row === index) cells[ContainerColumns37.indexOf(bad.column)] = bad.value
    }
    return csvLine(cells)
  })
  return csvLine(ContainerColumns37) + lines.join("")
}

const gzipBomb = (): Buffer => {
  const f = fixture()
  // Manifest first: a stage that reads it and then streams the listed file must stop on a byte budget. The
  // header line makes the entry look like a CSV; the rest of its 256 MiB is NUL bytes.
  const entries: ReadonlyArray<TarEntry> = [
    f.manifest([f.containerName]),
    f.file(f.containerName, csvLine(ContainerColumns37), { size: GzipBombBytes })
  ]
  return gzip(tarArchive(entries), 9)
}

export const HostileSamples: ReadonlyArray<HostileSample> = [
  {
    file: "path-traversal.tar.gz",
    hostility: `an entry named "${TraversalName}", listed in resource_optimization_files`,
    build: () => {
      const f = fixture()
      return tarGz([f.file(TraversalName, f.containerCsv), f.manifest([TraversalName])])
    }
  },
  {
    file: "absolute-path.tar.gz",
    hostility: `an entry with the absolute name "${AbsoluteName}", listed in resource_optimization_files`,
    build: () => {
      const f = fixture()
      return tarGz([f.file(AbsoluteName, f.containerCsv), f.manifest([AbsoluteName])])
    }
  },
  {
    file: "symlink.tar.gz",
    hostility: `the listed ROS file is a symbolic link to ${LinkTarget}`,
    build: () => {
      const f = fixture()
      return tarGz([
        f.file(f.containerName, "", { type: "symlink", linkName: LinkTarget }),
        f.manifest([f.containerName])
      ])
    }
  },
  {
    file: "hardlink.tar.gz",
    hostility: `the listed ROS file is a hard link to ${LinkTarget}`,
    build: () => {
      const f = fixture()
      return tarGz([
        f.file(f.containerName, "", { type: "hardlink", linkName: LinkTarget }),
        f.manifest([f.containerName])
      ])
    }
  },
  {
    file: "not-gzip.tar.gz",
    hostility: "not gzip at all: the bytes are the plain text of a ROS CSV",
    build: () => Buffer.from(fixture().containerCsv, "utf8")
  },
  {
    file: "uncompressed-tar.tar.gz",
    hostility: "a valid payload tar that was never gzipped (a .tar named .tar.gz)",
    build: () => tarArchive(fixture().valid)
  },
  {
    file: "truncated-gzip.tar.gz",
    hostility: "a valid payload whose gzip stream is cut off at 60% of its bytes (no trailer, unexpected EOF)",
    build: () => {
      const whole = tarGz(fixture().valid)
      return whole.subarray(0, Math.floor(whole.length * 0.6))
    }
  },
  {
    file: "missing-listed-file.tar.gz",
    hostility:
      "the manifest lists a container CSV that is not in the archive, next to a namespace CSV that is (only the present one may be shipped)",
    build: () => {
      const f = fixture()
      return tarGz([f.file(f.namespaceName, f.namespaceCsv), f.manifest([f.containerName, f.namespaceName])])
    }
  },
  {
    file: "manifest-not-json.tar.gz",
    hostility: "manifest.json is cut off after 200 characters, so it is not JSON",
    build: () => {
      const f = fixture()
      return tarGz([
        f.file(f.containerName, f.containerCsv),
        f.file("manifest.json", f.payload.manifestJson.slice(0, 200))
      ])
    }
  },
  {
    file: "absurd-size.tar.gz",
    hostility: `the listed ROS entry's header claims ${AbsurdClaimedSize} bytes (1 TiB, base-256) but the archive ends after a few KiB; manifest.json comes first`,
    build: () => {
      const f = fixture()
      return tarGz([
        f.manifest([f.containerName]),
        f.file(f.containerName, f.containerCsv, { claimedSize: AbsurdClaimedSize })
      ])
    }
  },
  {
    file: "entry-count-bomb.tar.gz",
    hostility: `${EntryCountBombEntries} empty entries, then a valid manifest.json listing the first one`,
    build: () => {
      const f = fixture()
      const names = Array.from({ length: EntryCountBombEntries }, (_, i) => `entry-${String(i).padStart(5, "0")}.csv`)
      return tarGz([...names.map((name) => f.file(name, "")), f.manifest(names.slice(0, 1))])
    }
  },
  {
    file: "gzip-bomb.tar.gz",
    hostility: `the listed ROS entry inflates to ${GzipBombBytes} bytes (256 MiB, almost all zeros) from a few hundred KiB; manifest.json comes first`,
    build: gzipBomb
  },
  {
    file: "missing-manifest.tar.gz",
    hostility: "a valid ROS CSV and no manifest.json",
    build: () => {
      const f = fixture()
      return tarGz([f.file(f.containerName, f.containerCsv)])
    }
  },
  {
    file: "missing-column.tar.gz",
    hostility: `the ROS CSV has 37 columns but "${MissingColumn}" is named "${MissingColumnRenamedTo}", so a required column is missing`,
    build: () => {
      const f = fixture()
      const csv = f.containerCsv.replace(MissingColumn, MissingColumnRenamedTo)
      return tarGz([f.file(f.containerName, csv), f.manifest([f.containerName])])
    }
  },
  {
    file: "wrong-types.tar.gz",
    hostility:
      "the ROS CSV's header is right but data rows 1-9 each hold one wrong value (text, units, negative, NaN, empty, comma, overflow, a bad timestamp); row 0 is valid",
    build: () => {
      const f = fixture()
      return tarGz([f.file(f.containerName, wrongTypesCsv(f)), f.manifest([f.containerName])])
    }
  }
]
