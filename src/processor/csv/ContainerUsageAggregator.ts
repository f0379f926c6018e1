/**
 * The container half of ros-ocp-backend.md §2: one pass over the data rows, keeping only running aggregates.
 *
 * Per row: filter (§2.4), workload identity (§2.5), then fold the 23 float cells into the aggregates of its
 * (namespace, type, name, workload, container, image, interval_start, interval_end) group (§2.6), filed under its
 * workload and interval_end (§2.7). Memory is one small record per group, never per row.
 *
 * At the end each workload becomes one experiment whose entries are its interval_end groups, oldest first; an
 * entry's interval_start is that of its first group, and its containers are its groups in first-seen order (so
 * two images of one container in one interval give two container entries, as upstream).
 */
import { Array as Arr, Either } from "effect"
import type { ExperimentScope } from "../../../schema/ros/ExperimentScope.js"
import type { ContainerExperimentUsage, ExperimentContainer } from "../../../schema/ros/ExperimentUsage.js"
import { type ContainerResultsEntry, KRUIZE_PAYLOAD_VERSION } from "../../../schema/ros/UpdateResultsEntry.js"
import {
  type ContainerColumn,
  containerFloatColumns,
  containerUsageColumns
} from "../../../schema/ros/UsageCsvColumns.js"
import { NoValidRows } from "../../../schema/ros/UsageCsvError.js"
import { type WorkloadType, workloadTypes } from "../../../schema/ros/WorkloadType.js"
import type { AggregatedUsage } from "./AggregatedUsage.js"
import { AggregateTable, AggregationPlan, aggregationOf } from "./AggregateTable.js"
import { containerMetrics } from "./ContainerMetrics.js"
import type { CsvRecord } from "./CsvRecordReader.js"
import { clusterName, containerExperimentName } from "./ExperimentName.js"
import { formatKruizeTimestamp } from "./GoTimestamp.js"
import type { ColumnIndex } from "./HeaderLayout.js"
import { RowTally } from "./RowTally.js"
import { ownCopy, StringPool } from "./StringPool.js"
import { TimestampCache } from "./TimestampCache.js"
import { parseUsageCells, usageDropReason } from "./UsageCells.js"

const plan = new AggregationPlan(containerFloatColumns.map((c) => aggregationOf(c)))
const usageMask = Uint8Array.from(containerFloatColumns, (c) =>
  (containerUsageColumns as ReadonlyArray<string>).includes(c) ? 1 : 0
)

/** Lower-cased `workload_type` → the typed value, for the types Kruize experiments accept (§2.4 rule 3). */
const supportedTypes: ReadonlyMap<string, WorkloadType> = new Map(workloadTypes.map((t) => [t, t]))

const isNone = (cell: string) => cell === "" || cell === "<none>"

// Joins key parts; the operator's names never contain NUL.
const SEP = "\u0000"

interface Group {
  readonly workload: string
  readonly containerName: string
  readonly imageName: string
  readonly startMs: number
  /** its row of the aggregator's table */
  readonly row: number
}

interface Interval {
  readonly endMs: number
  readonly groups: Map<string, Group>
}

interface Workload {
  readonly namespace: string
  readonly type: WorkloadType
  readonly name: string
  /** container name → first image seen */
  readonly containers: Map<string, string>
  readonly intervals: Map<string, Interval>
}

export class ContainerUsageAggregator {
  readonly tally = new RowTally()
  private readonly workloads = new Map<string, Workload>()
  private readonly table = new AggregateTable(plan)
  private readonly timestamps = new TimestampCache()
  /** every text kept below comes from here, never straight from a record */
  private readonly strings = new StringPool()
  private readonly cells = new Float64Array(containerFloatColumns.length)
  private readonly floatAt: Int32Array
  private readonly at: ColumnIndex<ContainerColumn>

  constructor(index: ColumnIndex<ContainerColumn>) {
    this.at = index
    this.floatAt = Int32Array.from(containerFloatColumns, (c) => index[c])
  }

  add(record: CsvRecord): void {
    const tally = this.tally
    const at = this.at
    tally.total++
    const usage = parseUsageCells(record, this.floatAt, usageMask, this.cells)
    if (usage !== 0) {
      tally.drop(usageDropReason(usage))
      return
    }
    const ownerKind = record[at.owner_kind]!
    const ownerName = record[at.owner_name]!
    const workloadType = record[at.workload_type]!
    if (isNone(ownerKind) || isNone(ownerName)) {
      tally.drop("missing_owner")
      return
    }
    if (isNone(workloadType)) {
      tally.drop("missing_workload_type")
      return
    }
    const type = supportedTypes.get(workloadType.toLowerCase())
    if (type === undefined) {
      tally.drop("unsupported_workload_type")
      return
    }
    const intervalStart = record[at.interval_start]!
    const intervalEnd = record[at.interval_end]!
    const startMs = this.timestamps.get(intervalStart)
    const endMs = this.timestamps.get(intervalEnd)
    if (startMs === undefined || endMs === undefined) {
      tally.drop("invalid_interval")
      return
    }
    tally.accepted++

    // §2.5: a pod owned directly by a ReplicaSet/ReplicationController (no workload above it) is its own workload.
    const workload = record[at.workload]!
    let objectType = type
    let objectName = workload
    if (isNone(workload)) {
      const kind = ownerKind.toLowerCase()
      if (kind === "replicaset" || kind === "replicationcontroller") {
        objectType = kind
        objectName = ownerName
      }
    }
    const namespace = record[at.namespace]!
    const strings = this.strings
    const workloadKey = namespace + SEP + objectType + SEP + objectName
    let w = this.workloads.get(workloadKey)
    if (w === undefined) {
      w = {
        namespace: strings.get(namespace),
        type: objectType,
        name: strings.get(objectName),
        containers: new Map(),
        intervals: new Map()
      }
      // A concatenation keeps its parts (slices of the chunk) alive: a kept key is a copy.
      this.workloads.set(ownCopy(workloadKey), w)
    }
    const containerName = record[at.container_name]!
    const imageName = record[at.image_name]!
    if (!w.containers.has(containerName)) w.containers.set(strings.get(containerName), strings.get(imageName))
    let interval = w.intervals.get(intervalEnd)
    if (interval === undefined) {
      interval = { endMs, groups: new Map() }
      w.intervals.set(strings.get(intervalEnd), interval)
    }
    const groupKey = workload + SEP + containerName + SEP + imageName + SEP + intervalStart
    let group = interval.groups.get(groupKey)
    if (group === undefined) {
      group = {
        workload: strings.get(workload),
        containerName: strings.get(containerName),
        imageName: strings.get(imageName),
        startMs,
        row: this.table.newRow()
      }
      interval.groups.set(ownCopy(groupKey), group)
    }
    this.table.add(group.row, this.cells)
  }

  /**
   * The file's verdict: no valid row, or the row counts and its experiments in first-seen order. Experiments are
   * built as they are iterated (and again on each iteration), so a consumer taking one at a time holds the compact
   * aggregates plus one experiment's payload, never every payload at once.
   */
  finish(scope: ExperimentScope): Either.Either<AggregatedUsage<ContainerExperimentUsage>, NoValidRows> {
    if (this.tally.accepted === 0) {
      return Either.left(new NoValidRows({ kind: "container", dropped: this.tally.droppedRows() }))
    }
    const workloads = this.workloads
    const table = this.table
    return Either.right({
      rows: this.tally.counts(),
      experiments: function* () {
        const cluster = clusterName(scope)
        for (const w of workloads.values()) {
          const experiment = experimentOf(w, table, scope, cluster)
          if (experiment !== undefined) yield experiment
        }
      }
    })
  }
}

const experimentOf = (
  w: Workload,
  table: AggregateTable,
  scope: ExperimentScope,
  cluster: string
): ContainerExperimentUsage | undefined => {
  const experimentName = containerExperimentName(scope, w.namespace, w.type, w.name)
  // Array.sort is stable, so equal instants keep file order.
  const intervals = Array.from(w.intervals.values()).sort((a, b) => a.endMs - b.endMs)
  const entryOf = (interval: Interval): ContainerResultsEntry => {
    const groups = Array.from(interval.groups.values())
    return {
      version: KRUIZE_PAYLOAD_VERSION,
      experiment_name: experimentName,
      interval_start_time: formatKruizeTimestamp(groups[0]!.startMs),
      interval_end_time: formatKruizeTimestamp(interval.endMs),
      kubernetes_objects: [
        {
          type: w.type,
          name: w.name,
          namespace: w.namespace,
          containers: groups.map((g) => ({
            container_image_name: g.imageName,
            container_name: g.containerName,
            metrics: containerMetrics.metrics(table, g.row),
            recommendations: {}
          }))
        }
      ]
    }
  }
  const results = intervals.map(entryOf)
  // Never taken: an entry exists only once a row was accepted for it.
  if (!Arr.isNonEmptyArray(results)) return undefined
  return {
    _tag: "ContainerExperimentUsage",
    experimentName,
    clusterName: cluster,
    namespace: w.namespace,
    workloadType: w.type,
    workloadName: w.name,
    containers: Array.from(
      w.containers,
      ([name, image]): ExperimentContainer => ({ container_image_name: image, container_name: name })
    ),
    maxIntervalEnd: Arr.lastNonEmpty(results).interval_end_time,
    results
  }
}
