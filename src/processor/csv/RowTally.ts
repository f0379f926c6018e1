/** Counts of the data rows of one file by fate (ros-ocp-backend.md §2.4). */
import { type DroppedRows, type DropReason, dropReasons, type RowCounts } from "../../../schema/ros/RowCounts.js"

export class RowTally {
  total = 0
  accepted = 0
  private readonly dropped = new Map<DropReason, number>()

  drop(reason: DropReason): void {
    this.dropped.set(reason, (this.dropped.get(reason) ?? 0) + 1)
  }

  droppedRows(): DroppedRows {
    const out: Partial<Record<DropReason, number>> = {}
    for (const reason of dropReasons) out[reason] = this.dropped.get(reason) ?? 0
    return out as DroppedRows
  }

  counts(): RowCounts {
    return { total: this.total, accepted: this.accepted, dropped: this.droppedRows() }
  }
}
