/**
 * Assembles what the koku-metrics-operator uploads (spec/ingress-koku-sources.md B.2–B.8): the monthly report
 * files of the sample model, renamed the way operator >= v4.1.0 renames them, plus `manifest.json`, in a tar.gz.
 *
 * Everything derives from `SampleOptions`; the "packaging time" is a fixed offset after the last collected hour,
 * so the same options always give the same bytes. Two ways to the same bytes: `operatorPayload` + `payloadTarGz`
 * hold every file in memory (tests, small samples); `streamedPayload` + `writePayloadTarGz` stream the rows into
 * the file (samples/generate.ts, samples of any size).
 */
import {
  type CostRowsIn,
  NamespaceUsageColumns,
  NodeUsageColumns,
  namespaceUsageRowsIn,
  nodeUsageRowsIn,
  PodUsageColumns,
  podUsageRowsIn,
  StorageUsageColumns,
  storageUsageRowsIn
} from "./CostReports.js"
import {
  type ContainerLayout,
  containerColumns,
  containerCsvLine,
  containerRowsOfWindow,
  csvLine,
  goTime,
  hex,
  monthSpans,
  NamespaceColumns,
  namespaceCsvLine,
  namespaceRowMaker,
  podInstances,
  rfc3339,
  type SampleOptions,
  startMillis,
  unit,
  uuidV4,
  window,
  yearMonth
} from "./SampleData.js"
import { type StreamedTarEntry, type TarEntry, tarGz, writeTarGz } from "./Tarball.js"

/**
 * The upstream operator release each layout stands for, with the commit it puts in `version` and what koku maps
 * that commit to (`koku:koku/masu/util/ocp/operator_versions.py`). 37 columns is the last release before
 * `cpu_throttle_container_min` and `accelerator_*` (v4.2.0); v4.1.0 is also the first with the namespace CSV.
 */
export const OperatorReleases: Record<ContainerLayout, { readonly commit: string; readonly operatorVersion: string }> =
  {
    37: { commit: "0f4d67606199148fd2ea04392d00a32d1387be84", operatorVersion: "koku-metrics-operator:v4.1.0" },
    49: { commit: "d973ee0dcaa457040a619340c1e781a6e7be547f", operatorVersion: "koku-metrics-operator:v4.2.0" }
  }

export interface PayloadFile {
  /** Entry name in the tarball and in the manifest. */
  readonly name: string
  /** Name of the report in the operator's reports directory, e.g. `ros-openshift-container-202608.csv`. */
  readonly localName: string
  readonly resourceOptimization: boolean
  readonly content: string
}

export interface Manifest {
  readonly uuid: string
  readonly cluster_id: string
  readonly version: string
  readonly date: string
  readonly files: ReadonlyArray<string> | null
  readonly resource_optimization_files: ReadonlyArray<string> | null
  readonly start: string
  readonly end: string
  readonly cr_status: CrStatus
  readonly certified: boolean
  readonly daily_reports: boolean
  /** Not written by the operator (koku derives it from `version`); only present when asked for. */
  readonly operator_version?: string
}

/** The CR's `.status` as the operator embeds it; a faithful shape, values made up but consistent. */
export type CrStatus = { readonly [key: string]: unknown }

export interface OperatorPayload {
  readonly options: SampleOptions
  readonly manifest: Manifest
  /** `manifest.json` bytes as the operator writes them. */
  readonly manifestJson: string
  /** In tar order (manifest.json excluded; it is always the last entry). */
  readonly files: ReadonlyArray<PayloadFile>
  /** The operator's own name for this tarball: `<YYYYMMDDTHHMMSS_ffffff>-cost-mgmt.tar.gz`. */
  readonly payloadName: string
  /** Packaging time, whole seconds since the epoch: the tar entries' mtime. */
  readonly mtime: number
}

export interface PayloadExtras {
  /** Add koku's optional `operator_version` key (the operator itself never writes it). */
  readonly includeOperatorVersion?: boolean
}

/**
 * `json.MarshalIndent(v, "", " ")`: one-space indent, no trailing newline, and Go's HTML-safe escaping of `<`, `>`
 * and `&` (they only occur inside strings, so a global replace is exact).
 */
export const goJson = (value: unknown): string =>
  JSON.stringify(value, null, 1).replaceAll("<", "\\u003c").replaceAll(">", "\\u003e").replaceAll("&", "\\u0026")

/** Go's `time.Format("20060102T150405.999999")` with the dot made an underscore: trailing zeros are dropped. */
const packageStamp = (millis: number, micros: number): string => {
  const d = new Date(millis)
  const p = (n: number) => String(n).padStart(2, "0")
  const base = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`
  const fraction = String(micros).padStart(6, "0").replace(/0+$/, "")
  return fraction === "" ? base : `${base}_${fraction}`
}

/** RFC 3339 with nanoseconds, trailing zeros trimmed, as Go marshals `time.Time`. */
const rfc3339Nano = (millis: number, nanos: number): string => {
  const fraction = String(nanos).padStart(9, "0").replace(/0+$/, "")
  return fraction === "" ? rfc3339(millis) : rfc3339(millis).replace("Z", `.${fraction}Z`)
}

/** Go's `time.Parse` of the CSV layout, back to epoch millis. */
const parseGoTime = (text: string): number => Date.parse(`${text.replace(" +0000 UTC", "").replace(" ", "T")}Z`)

/** A report file before it is written: its name and its lines (header first), produced lazily, afresh per call. */
export interface ReportSource {
  /** Name in the operator's reports directory, e.g. `ros-openshift-container-202608.csv`. */
  readonly localName: string
  readonly lines: () => Iterable<string>
}

const costSources = (
  options: SampleOptions,
  prefix: string,
  header: ReadonlyArray<string>,
  rowsIn: CostRowsIn
): ReadonlyArray<ReportSource> =>
  monthSpans(options).map(({ month, from, to }) => ({
    localName: `${prefix}-${month}.csv`,
    lines: function* () {
      yield csvLine(header)
      for (const row of rowsIn(options, from / 4, to / 4)) yield csvLine(row.cells)
    }
  }))

/**
 * The reports directory at the end of the last collected day, as generators: one file per report kind and month.
 * Nothing is computed until a file's lines are walked, and then one window (or hour) at a time, so a payload of
 * any size is written with bounded memory.
 */
export const reportSources = (options: SampleOptions): ReadonlyArray<ReportSource> => {
  const spans = monthSpans(options)
  const rosContainer = spans.map(({ month, from, to }) => ({
    localName: `ros-openshift-container-${month}.csv`,
    lines: function* () {
      const pods = podInstances(options)
      yield csvLine(containerColumns(options.layout))
      for (let i = from; i < to; i++) {
        for (const row of containerRowsOfWindow(options, pods, i)) yield containerCsvLine(row, options.layout)
      }
    }
  }))
  const rosNamespace = spans.map(({ month, from, to }) => ({
    localName: `ros-openshift-namespace-${month}.csv`,
    lines: function* () {
      const pods = podInstances(options)
      const namespaceRowsOf = namespaceRowMaker(options)
      yield csvLine(NamespaceColumns)
      for (let i = from; i < to; i++) {
        const w = window(options, i)
        for (const row of namespaceRowsOf(i, containerRowsOfWindow(options, pods, i, w), w)) {
          yield namespaceCsvLine(row)
        }
      }
    }
  }))
  return [
    ...costSources(options, "cm-openshift-pod-usage", PodUsageColumns, podUsageRowsIn),
    ...costSources(options, "cm-openshift-storage-usage", StorageUsageColumns, storageUsageRowsIn),
    ...costSources(options, "cm-openshift-node-usage", NodeUsageColumns, nodeUsageRowsIn),
    ...costSources(options, "cm-openshift-namespace-usage", NamespaceUsageColumns, namespaceUsageRowsIn),
    ...rosContainer,
    ...rosNamespace
  ]
}

/** The reports directory at the end of the last collected day: one file per report kind and month. */
export const reportFiles = (
  options: SampleOptions
): ReadonlyArray<{ readonly localName: string; readonly content: string }> =>
  reportSources(options).map((source) => ({ localName: source.localName, content: [...source.lines()].join("") }))

/** First `interval_start` and last `interval_end` of a report, as the operator's `getStartEnd` reads them. */
const startEnd = (content: string): { readonly start: number; readonly end: number } => {
  const lines = content.trimEnd().split("\n")
  const header = (lines[0] ?? "").split(",")
  const first = (lines[1] ?? "").split(",")
  const last = (lines[lines.length - 1] ?? "").split(",")
  return {
    start: parseGoTime(first[header.indexOf("interval_start")] ?? ""),
    end: parseGoTime(last[header.indexOf("interval_end")] ?? "")
  }
}

type Span = { readonly start: number; readonly end: number }

/**
 * Everything but the file contents: names, manifest, payload name and mtime, for report files known by local name
 * and by the start/end of their rows (read only from the pod report, or the ROS report when there is none).
 */
const packaging = <F extends { readonly localName: string }>(
  options: SampleOptions,
  extras: PayloadExtras,
  reports: ReadonlyArray<F>,
  spanOf: (report: F) => Span
): {
  readonly manifest: Manifest
  readonly manifestJson: string
  readonly files: ReadonlyArray<F & { readonly name: string; readonly resourceOptimization: boolean }>
  readonly payloadName: string
  readonly mtime: number
} => {
  const { seed, clusterId } = options
  const release = OperatorReleases[options.layout]
  const uuid = uuidV4(seed, "manifest", clusterId, options.startDate, options.days, options.layout)

  // The final daily package is made a few minutes after the 23:00 hour is collected.
  const lastHourStart = startMillis(options) + (options.days * 24 - 1) * 3_600_000
  const packagedAt = lastHourStart + 3_600_000 + 3 * 60_000 + 24_000
  const nanos = Math.floor(unit(seed, "packaged-nanos") * 1e9)
  const payloadName = `${packageStamp(packagedAt, Math.floor(nanos / 1000))}-cost-mgmt.tar.gz`

  // Staging names are `<uuid>-<local name>`; `<idx>` is the position in the sorted staging listing (os.ReadDir).
  const local = [...reports].sort((a, b) => (a.localName < b.localName ? -1 : 1))
  const files = local.map((f, idx) => ({
    ...f,
    name: `${uuid}-${f.localName.slice(0, -".csv".length)}.${idx}.csv`,
    resourceOptimization: f.localName.includes("ros-openshift")
  }))

  // start/end come from the pod report (the ROS report only when there is none). The operator loops over every
  // pod file and keeps the last one's values, so with two months the later month wins; copied as is.
  const podFiles = files.filter((f) => f.localName.startsWith("cm-openshift-pod"))
  const rosFiles = files.filter((f) => f.resourceOptimization)
  const source = podFiles[podFiles.length - 1] ?? rosFiles[0]
  const span = source === undefined ? { start: 0, end: 0 } : spanOf(source)

  const cost = files.filter((f) => !f.resourceOptimization).map((f) => f.name)
  const ros = rosFiles.map((f) => f.name)
  const manifest: Manifest = {
    uuid,
    cluster_id: clusterId,
    version: release.commit,
    date: rfc3339Nano(packagedAt, nanos),
    // Go marshals an empty (nil) slice as null.
    files: cost.length === 0 ? null : cost,
    resource_optimization_files: ros.length === 0 ? null : ros,
    start: rfc3339(span.start),
    end: rfc3339(span.end),
    cr_status: crStatus(options, release.commit, packagedAt, lastHourStart),
    certified: false,
    daily_reports: true,
    ...(extras.includeOperatorVersion === true ? { operator_version: release.operatorVersion } : {})
  }
  return { manifest, manifestJson: goJson(manifest), files, payloadName, mtime: Math.floor(packagedAt / 1000) }
}

/** The payload in memory: every file's content as a string (tests, small samples, the hostile archives). */
export const operatorPayload = (options: SampleOptions, extras: PayloadExtras = {}): OperatorPayload => {
  const packaged = packaging(options, extras, reportFiles(options), (f) => startEnd(f.content))
  const files: ReadonlyArray<PayloadFile> = packaged.files.map((f) => ({
    name: f.name,
    localName: f.localName,
    resourceOptimization: f.resourceOptimization,
    content: f.content
  }))
  return { options, ...packaged, files }
}

const crStatus = (options: SampleOptions, commit: string, packagedAt: number, lastHourStart: number): CrStatus => {
  const { seed, clusterId } = options
  // The previous upload was the cumulative 18:00 package of the same day (upload_cycle 360 min).
  const previousPackagedAt = Math.floor((packagedAt - 6 * 3_600_000) / 1000) * 1000
  const previousUuid = uuidV4(seed, "previous-manifest", clusterId, options.startDate, options.days)
  const previousFiles = [
    "cm-openshift-namespace-usage",
    "cm-openshift-node-usage",
    "cm-openshift-pod-usage",
    "cm-openshift-storage-usage"
  ].map((name, idx) => `${previousUuid}-${name}-${yearMonth(lastHourStart)}.${idx}.csv`)
  const lastQuery = rfc3339(lastHourStart)
  return {
    clusterID: clusterId,
    clusterVersion: "stable-4.16",
    api_url: "https://console.redhat.com",
    authentication: { type: "token", credentials_found: true },
    packaging: {
      last_successful_packaging_time: rfc3339(previousPackagedAt),
      max_reports_to_store: 30,
      max_size_MB: 100,
      number_reports_stored: 1
    },
    upload: {
      ingress_path: "/api/ingress/v1/upload",
      upload: true,
      upload_wait: Math.floor(unit(seed, "upload-wait") * 35),
      upload_cycle: 360,
      last_upload_status: "202 Accepted",
      last_payload_name: `${packageStamp(previousPackagedAt, Math.floor(unit(seed, "previous-micros") * 1e6))}-cost-mgmt.tar.gz`,
      last_payload_manifest_id: previousUuid,
      last_payload_request_id: hex(32, seed, "request-id", clusterId, options.startDate),
      last_payload_files: previousFiles,
      last_successful_upload_time: rfc3339(previousPackagedAt + 2 * 3_600_000 + 6_000),
      validate_cert: true
    },
    operator_commit: commit,
    prometheus: {
      prometheus_configured: true,
      prometheus_connected: true,
      context_timeout: 120,
      last_query_start_time: lastQuery,
      last_query_success_time: lastQuery,
      previous_data_collected: true,
      disabled_metrics_collection_cost_management: false,
      disabled_metrics_collection_resource_optimization: false,
      service_address: "https://thanos-querier.openshift-monitoring.svc:9091",
      skip_tls_verification: false
    },
    reports: {
      report_month: yearMonth(lastHourStart).slice(4),
      last_hour_queried: `${goTime(lastHourStart).slice(0, 19)} - ${goTime(lastHourStart + 3_599_000).slice(0, 19)}`,
      data_collected: true
    },
    source: {
      sources_path: "/api/sources/v1.0/",
      name: clusterId,
      source_defined: true,
      create_source: false,
      last_check_time: rfc3339(previousPackagedAt - 4 * 3_600_000),
      check_cycle: 1440
    },
    storage: {
      volume_type: "&PersistentVolumeClaimVolumeSource{ClaimName:koku-metrics-operator-data,ReadOnly:false,}",
      volume_mounted: true
    },
    persistent_volume_claim: {
      kind: "PersistentVolumeClaim",
      apiVersion: "v1",
      metadata: { name: "koku-metrics-operator-data" },
      spec: {
        accessModes: ["ReadWriteOnce"],
        resources: { requests: { storage: "10Gi" } },
        volumeName: `pvc-${uuidV4(seed, "operator-pv", clusterId)}`,
        storageClassName: "gp3-csi",
        volumeMode: "Filesystem"
      }
    }
  }
}

/** Tar entries in the operator's order: the CSVs, then `manifest.json` last. */
export const payloadEntries = (payload: OperatorPayload): ReadonlyArray<TarEntry> => [
  ...payload.files.map((f): TarEntry => ({ name: f.name, data: f.content, mtime: payload.mtime })),
  { name: "manifest.json", data: payload.manifestJson, mtime: payload.mtime }
]

export const payloadTarGz = (payload: OperatorPayload): Buffer => tarGz(payloadEntries(payload))

/** A payload file to be streamed: its byte size is known (measured), its lines are produced (again) when written. */
export interface StreamedPayloadFile {
  readonly name: string
  readonly localName: string
  readonly resourceOptimization: boolean
  readonly size: number
  readonly lines: () => Iterable<string>
}

/** `OperatorPayload` without the contents: what `writePayloadTarGz` streams. */
export interface StreamedPayload extends Omit<OperatorPayload, "files"> {
  readonly files: ReadonlyArray<StreamedPayloadFile>
}

/**
 * How much report text `streamedPayload` may keep from its measuring pass, all files together, so that files
 * that fit are not generated a second time when written. Larger files are generated again, row by row.
 */
export const KeptBytes = 32 * 1024 * 1024

/**
 * The payload for streaming. Each report is walked once to measure it (its byte size for the tar header, its first
 * and last rows for the manifest's start/end) and, unless it fitted in `keptBytes` and was kept, once more when
 * written: no file larger than that is ever held in memory, the price being that its rows are generated twice.
 * `writePayloadTarGz(streamedPayload(o))` writes exactly the bytes of `payloadTarGz(operatorPayload(o))`.
 */
export const streamedPayload = (
  options: SampleOptions,
  extras: PayloadExtras = {},
  keptBytes: number = KeptBytes
): StreamedPayload => {
  let budget = keptBytes
  const measured = reportSources(options).map((source) => {
    let size = 0
    let count = 0
    let header = ""
    let first = ""
    let last = ""
    let kept: Array<string> | undefined = []
    let pending = ""
    for (const line of source.lines()) {
      size += Buffer.byteLength(line)
      if (count === 0) header = line
      else if (count === 1) first = line
      last = line
      count++
      if (kept === undefined) continue
      if (size > budget) {
        kept = undefined
        pending = ""
      } else {
        pending += line
        if (pending.length >= 1 << 16) {
          kept.push(pending)
          pending = ""
        }
      }
    }
    if (kept !== undefined) {
      if (pending !== "") kept.push(pending)
      budget -= size
    }
    const text = kept
    return {
      localName: source.localName,
      lines: text === undefined ? source.lines : () => text,
      size,
      // What startEnd needs of the content: the header, the first row and the last one.
      edges: count <= 1 ? header : header + first + last
    }
  })
  const packaged = packaging(options, extras, measured, (f) => startEnd(f.edges))
  const files: ReadonlyArray<StreamedPayloadFile> = packaged.files.map((f) => ({
    name: f.name,
    localName: f.localName,
    resourceOptimization: f.resourceOptimization,
    size: f.size,
    lines: f.lines
  }))
  return { options, ...packaged, files }
}

/** Streams the payload's tar.gz into `path`, never holding a whole file; resolves with the bytes written. */
export const writePayloadTarGz = (payload: StreamedPayload, path: string): Promise<number> =>
  writeTarGz(
    [
      ...payload.files.map(
        (f): StreamedTarEntry => ({ name: f.name, size: f.size, mtime: payload.mtime, chunks: f.lines })
      ),
      {
        name: "manifest.json",
        size: Buffer.byteLength(payload.manifestJson),
        mtime: payload.mtime,
        chunks: () => [payload.manifestJson]
      }
    ],
    path
  )
