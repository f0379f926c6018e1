/**
 * A usage CSV, as a byte stream, in; what it contributes to each Kruize experiment out (ros-ocp-backend.md §2, §3).
 *
 * Streaming end to end: bytes go through csv-parse chunk by chunk and each record is folded into the aggregator
 * straight away, so memory grows with the number of distinct (workload, container, interval) keys and not with
 * the size of the file. The payloads, which are several times larger than the aggregates they come from, are
 * built per experiment as a consumer pulls them (`readUsageCsv`); `aggregateUsageCsv` collects them all for callers
 * that want one plain value. Pure: no I/O besides pulling the given stream.
 *
 * Errors surface in file order: a header lacking columns fails as soon as the header is read, before a later
 * malformed line is seen.
 */
import { Effect, Either, Stream } from "effect"
import type { CsvKind } from "../../../schema/ros/CsvKind.js"
import type { ExperimentScope } from "../../../schema/ros/ExperimentScope.js"
import type { ContainerExperimentUsage, NamespaceExperimentUsage } from "../../../schema/ros/ExperimentUsage.js"
import type { RowCounts } from "../../../schema/ros/RowCounts.js"
import { containerColumns, namespaceColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { MissingColumns, type NoValidRows, type UsageCsvError } from "../../../schema/ros/UsageCsvError.js"
import type { UsageReport } from "../../../schema/ros/UsageReport.js"
import type { AggregatedUsage } from "./AggregatedUsage.js"
import { ContainerUsageAggregator } from "./ContainerUsageAggregator.js"
import { type CsvRecord, CsvRecordReader } from "./CsvRecordReader.js"
import { resolveHeader } from "./HeaderLayout.js"
import { NamespaceUsageAggregator } from "./NamespaceUsageAggregator.js"

export interface AggregateUsageCsvOptions {
  /** names the experiments (§3.1) */
  readonly scope: ExperimentScope
  /**
   * The kind the caller expects, usually `csvKindFromUrl(url)`. It only decides when the header alone cannot
   * (see `resolveHeader`); the result says which kind the file turned out to be.
   */
  readonly kind?: CsvKind
}

/** A read and aggregated file whose experiments are produced on demand (re-runnable: each run rebuilds them). */
export type UsageAggregate =
  | {
      readonly _tag: "ContainerUsage"
      readonly rows: RowCounts
      readonly experiments: Stream.Stream<ContainerExperimentUsage>
    }
  | {
      readonly _tag: "NamespaceUsage"
      readonly rows: RowCounts
      readonly experiments: Stream.Stream<NamespaceExperimentUsage>
    }

type Aggregator = ContainerUsageAggregator | NamespaceUsageAggregator

const lazily = <X>(usage: AggregatedUsage<X>) => ({
  rows: usage.rows,
  // One experiment per chunk: `fromIterable` would build up to 4096 payloads before emitting any.
  experiments: Stream.suspend(() => Stream.fromIteratorSucceed(usage.experiments(), 1))
})

const finish = (
  aggregator: Aggregator | undefined,
  options: AggregateUsageCsvOptions
): Either.Either<UsageAggregate, MissingColumns | NoValidRows> => {
  if (aggregator === undefined) {
    // No record at all, so no header: the file is empty (or only blank lines).
    const kind = options.kind ?? "container"
    return Either.left(
      new MissingColumns({ kind, missing: kind === "namespace" ? namespaceColumns : containerColumns })
    )
  }
  return aggregator instanceof ContainerUsageAggregator
    ? Either.map(aggregator.finish(options.scope), (usage) => ({ _tag: "ContainerUsage" as const, ...lazily(usage) }))
    : Either.map(aggregator.finish(options.scope), (usage) => ({ _tag: "NamespaceUsage" as const, ...lazily(usage) }))
}

/**
 * Validates, filters and aggregates one usage CSV, leaving the experiments' payloads to be built as they are pulled.
 * Fails with `MalformedCsv` (not CSV), `MissingColumns` (header lacks required columns, or the file is empty),
 * `NoValidRows` (every row dropped), or the byte stream's own error.
 */
export const readUsageCsv = <E>(
  bytes: Stream.Stream<Uint8Array, E>,
  options: AggregateUsageCsvOptions
): Effect.Effect<UsageAggregate, E | UsageCsvError> =>
  Effect.suspend(() => {
    const reader = new CsvRecordReader()
    const pending: Array<CsvRecord> = []
    let aggregator: Aggregator | undefined

    // Hot path (every record): untraced, and synchronous apart from failing.
    const consume = Effect.fnUntraced(function* () {
      for (const record of pending) {
        if (aggregator !== undefined) {
          aggregator.add(record)
          continue
        }
        const layout = resolveHeader(record, options.kind)
        if (Either.isLeft(layout)) return yield* layout.left
        aggregator =
          layout.right.kind === "container"
            ? new ContainerUsageAggregator(layout.right.index)
            : new NamespaceUsageAggregator(layout.right.index)
      }
      pending.length = 0
    })

    const feed = Effect.fnUntraced(function* (chunks: Iterable<Uint8Array>) {
      for (const chunk of chunks) {
        const failed = reader.write(chunk, pending)
        if (failed !== undefined) return yield* failed
        yield* consume()
      }
    })

    return Stream.runForEachChunk(bytes, (chunks) => feed(chunks)).pipe(
      Effect.zipRight(Effect.suspend(() => reader.end(pending))),
      Effect.zipRight(Effect.suspend(() => consume())),
      Effect.zipRight(Effect.suspend(() => finish(aggregator, options))),
      Effect.ensuring(Effect.sync(() => reader.close()))
    )
  }).pipe(Effect.withSpan("readUsageCsv", { attributes: { expectedKind: options.kind ?? "unknown" } }))

/** `readUsageCsv` with every experiment collected into one plain, serialisable report. */
export const aggregateUsageCsv = <E>(
  bytes: Stream.Stream<Uint8Array, E>,
  options: AggregateUsageCsvOptions
): Effect.Effect<UsageReport, E | UsageCsvError> =>
  readUsageCsv(bytes, options).pipe(
    Effect.flatMap(
      (usage): Effect.Effect<UsageReport> =>
        usage._tag === "ContainerUsage"
          ? Stream.runCollect(usage.experiments).pipe(
              Effect.map((experiments) => ({
                _tag: "ContainerUsageReport" as const,
                rows: usage.rows,
                experiments: Array.from(experiments)
              }))
            )
          : Stream.runCollect(usage.experiments).pipe(
              Effect.map((experiments) => ({
                _tag: "NamespaceUsageReport" as const,
                rows: usage.rows,
                experiments: Array.from(experiments)
              }))
            )
    )
  )
