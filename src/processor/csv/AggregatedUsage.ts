/** What an aggregator hands over once the whole file has been read. */
import type { RowCounts } from "../../../schema/ros/RowCounts.js"

export interface AggregatedUsage<X> {
  readonly rows: RowCounts
  /** Builds the experiments one at a time as it is iterated, in the order the file first mentions them. */
  readonly experiments: () => IterableIterator<X>
}
