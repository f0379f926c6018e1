/**
 * The aggregates table of the CSV pipeline: every group's running SUM / MEAN / MIN / MAX in one shared buffer,
 * grown as groups are added; a group with an empty cell has no aggregate for that column.
 */
import { describe, expect, it } from "@effect/vitest"
import { AggregateTable, AggregationPlan, aggregationOf } from "../../../src/processor/csv/AggregateTable.js"

const plan = new AggregationPlan(["x_sum", "x_avg", "x_min", "x_max"].map(aggregationOf))
const row = (...values: ReadonlyArray<number>) => Float64Array.from(values)
const aggregatesOf = (table: AggregateTable, group: number) => [0, 1, 2, 3].map((i) => table.value(group, i))

describe("AggregateTable", () => {
  it("keeps each group's aggregates apart, also once the buffer has grown past its first size", () => {
    const table = new AggregateTable(plan, 2)
    const groups = Array.from({ length: 5 }, () => table.newRow())
    expect(groups).toEqual([0, 1, 2, 3, 4])
    for (const g of groups) {
      table.add(g, row(g, g, g, g))
      table.add(g, row(10, 10 + g, -g, 2 * g))
    }
    expect(groups.map((g) => aggregatesOf(table, g))).toEqual(
      groups.map((g) => [g + 10, (g + 10 + g) / 2, -g, Math.max(g, 2 * g)])
    )
  })

  it("a group with an empty cell in a column has no aggregate there; its other columns are kept", () => {
    const table = new AggregateTable(plan)
    const g = table.newRow()
    table.add(g, row(1, 2, 3, 4))
    table.add(g, row(Number.NaN, 4, 1, Number.NaN))
    expect(aggregatesOf(table, g)).toEqual([undefined, 3, 1, undefined])
  })

  it("a new group starts from nothing, whatever the groups before it held", () => {
    const table = new AggregateTable(plan, 1)
    const a = table.newRow()
    table.add(a, row(5, 5, -7, 9))
    const b = table.newRow()
    table.add(b, row(1, 1, 1, 1))
    expect(aggregatesOf(table, b)).toEqual([1, 1, 1, 1])
  })
})
