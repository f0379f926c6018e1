/**
 * The namespace half of ros-ocp-backend.md §2: rows are kept when their 9 usage cells are numbers ≥ 0 and the
 * namespace is named (§2.4), aggregated per (namespace, interval_start, interval_end) (§2.6) and grouped per
 * namespace (§2.7). A namespace entry holds one object, not a list, so when several interval_start values share an
 * interval_end, the entry is built from the first group seen and the others are left out, as upstream does
 * (`GetUpdateNamespaceResultPayload` reads row 0 of each interval_end group).
 */
import { Array as Arr, Either } from "effect"
import type { ExperimentScope } from "../../../schema/ros/ExperimentScope.js"
import type { NamespaceExperimentUsage } from "../../../schema/ros/ExperimentUsage.js"
import { KRUIZE_PAYLOAD_VERSION, type NamespaceResultsEntry } from "../../../schema/ros/UpdateResultsEntry.js"
import {
  type NamespaceColumn,
  namespaceFloatColumns,
  namespaceUsageColumns
} from "../../../schema/ros/UsageCsvColumns.js"
import { NoValidRows } from "../../../schema/ros/UsageCsvError.js"
import type { AggregatedUsage } from "./AggregatedUsage.js"
import { AggregateTable, AggregationPlan, aggregationOf } from "./AggregateTable.js"
import type { CsvRecord } from "./CsvRecordReader.js"
import { clusterName, namespaceExperimentName } from "./ExperimentName.js"
import { formatKruizeTimestamp } from "./GoTimestamp.js"
import type { ColumnIndex } from "./HeaderLayout.js"
import { namespaceMetrics } from "./NamespaceMetrics.js"
import { RowTally } from "./RowTally.js"
import { StringPool } from "./StringPool.js"
import { TimestampCache } from "./TimestampCache.js"
import { parseUsageCells, usageDropReason } from "./UsageCells.js"

const plan = new AggregationPlan(namespaceFloatColumns.map((c) => aggregationOf(c)))
const usageMask = Uint8Array.from(namespaceFloatColumns, (c) =>
  (namespaceUsageColumns as ReadonlyArray<string>).includes(c) ? 1 : 0
)

interface Group {
  readonly startMs: number
  /** its row of the aggregator's table */
  readonly row: number
}

interface Interval {
  readonly endMs: number
  /** interval_start → group */
  readonly groups: Map<string, Group>
}

interface Namespace {
  readonly namespace: string
  readonly intervals: Map<string, Interval>
}

export class NamespaceUsageAggregator {
  readonly tally = new RowTally()
  private readonly namespaces = new Map<string, Namespace>()
  private readonly table = new AggregateTable(plan)
  private readonly timestamps = new TimestampCache()
  /** every text kept below comes from here, never straight from a record */
  private readonly strings = new StringPool()
  private readonly cells = new Float64Array(namespaceFloatColumns.length)
  private readonly floatAt: Int32Array
  private readonly at: ColumnIndex<NamespaceColumn>

  constructor(index: ColumnIndex<NamespaceColumn>) {
    this.at = index
    this.floatAt = Int32Array.from(namespaceFloatColumns, (c) => index[c])
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
    const namespace = record[at.namespace]!
    if (namespace === "" || namespace === "<none>") {
      tally.drop("missing_namespace")
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

    let ns = this.namespaces.get(namespace)
    if (ns === undefined) {
      const own = this.strings.get(namespace)
      ns = { namespace: own, intervals: new Map() }
      this.namespaces.set(own, ns)
    }
    let interval = ns.intervals.get(intervalEnd)
    if (interval === undefined) {
      interval = { endMs, groups: new Map() }
      ns.intervals.set(this.strings.get(intervalEnd), interval)
    }
    let group = interval.groups.get(intervalStart)
    if (group === undefined) {
      group = { startMs, row: this.table.newRow() }
      interval.groups.set(this.strings.get(intervalStart), group)
    }
    this.table.add(group.row, this.cells)
  }

  /** As `ContainerUsageAggregator.finish`: experiments are built as they are iterated. */
  finish(scope: ExperimentScope): Either.Either<AggregatedUsage<NamespaceExperimentUsage>, NoValidRows> {
    if (this.tally.accepted === 0) {
      return Either.left(new NoValidRows({ kind: "namespace", dropped: this.tally.droppedRows() }))
    }
    const namespaces = this.namespaces
    const table = this.table
    return Either.right({
      rows: this.tally.counts(),
      experiments: function* () {
        const cluster = clusterName(scope)
        for (const ns of namespaces.values()) {
          const experiment = experimentOf(ns, table, scope, cluster)
          if (experiment !== undefined) yield experiment
        }
      }
    })
  }
}

const experimentOf = (
  ns: Namespace,
  table: AggregateTable,
  scope: ExperimentScope,
  cluster: string
): NamespaceExperimentUsage | undefined => {
  const experimentName = namespaceExperimentName(scope, ns.namespace)
  const intervals = Array.from(ns.intervals.values()).sort((a, b) => a.endMs - b.endMs)
  const entryOf = (interval: Interval): NamespaceResultsEntry => {
    const first: Group = interval.groups.values().next().value!
    return {
      version: KRUIZE_PAYLOAD_VERSION,
      experiment_name: experimentName,
      interval_start_time: formatKruizeTimestamp(first.startMs),
      interval_end_time: formatKruizeTimestamp(interval.endMs),
      kubernetes_objects: [
        { namespaces: { namespace: ns.namespace, metrics: namespaceMetrics.metrics(table, first.row) } }
      ]
    }
  }
  const results = intervals.map(entryOf)
  // Never taken: an entry exists only once a row was accepted for it.
  if (!Arr.isNonEmptyArray(results)) return undefined
  return {
    _tag: "NamespaceExperimentUsage",
    experimentName,
    clusterName: cluster,
    namespace: ns.namespace,
    maxIntervalEnd: Arr.lastNonEmpty(results).interval_end_time,
    results
  }
}
