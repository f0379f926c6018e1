/**
 * uPlot options and data for one usage chart: the boxes (drawn by BoxPlotLayer) and the reference lines as
 * series spanning the whole width. The x range is widened by half a step on each side so the outer boxes show.
 */
import type uPlot from "uplot"
import { formatShortDate } from "../format/Dates"
import { formatBase, type Resource } from "../format/Quantity"
import { drawBoxes } from "./BoxPlotLayer"
import type { ReferenceLine, UsageBox } from "./UsageSeries"

const MIB = 2 ** 20

/** Memory ticks at round binary sizes (256 MiB, 1 GiB), CPU ticks at the default round decimals. */
const memoryIncrements = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].flatMap((n) => [n * MIB, n * 1024 * MIB])

const AXIS = { stroke: "#1f2937", grid: { stroke: "#e5e7eb", width: 1 }, ticks: { stroke: "#d1d5db", width: 1 } }

export const chartData = (boxes: ReadonlyArray<UsageBox>, lines: ReadonlyArray<ReferenceLine>): uPlot.AlignedData => {
  const times = boxes.map((box) => box.at)
  const first = times[0] ?? 0
  const last = times[times.length - 1] ?? first
  const step = times.length > 1 ? (last - first) / (times.length - 1) : 3600
  const xs = [first - step / 2, ...times, last + step / 2]
  return [xs, ...lines.map((line) => xs.map(() => line.value ?? null))]
}

const upperBound = (boxes: ReadonlyArray<UsageBox>, lines: ReadonlyArray<ReferenceLine>) => {
  const values = [...boxes.map((box) => box.max), ...lines.map((line) => line.value ?? 0)]
  const top = Math.max(0, ...values)
  return top === 0 ? 1 : top * 1.12
}

export const chartOptions = (
  resource: Resource,
  boxes: ReadonlyArray<UsageBox>,
  lines: ReadonlyArray<ReferenceLine>,
  width: number,
  height: number
): uPlot.Options => ({
  width,
  height,
  legend: { show: false },
  cursor: { show: false },
  scales: {
    x: { time: true },
    y: { range: () => [0, upperBound(boxes, lines)] }
  },
  axes: [
    {
      ...AXIS,
      font: "12px system-ui, sans-serif",
      space: 120,
      values: (_u, splits) => splits.map((s) => formatShortDate(new Date(s * 1000)))
    },
    {
      ...AXIS,
      font: "12px system-ui, sans-serif",
      size: 84,
      ...(resource === "memory" ? { incrs: memoryIncrements.sort((a, b) => a - b) } : {}),
      values: (_u, splits) => splits.map((s) => formatBase(resource, s))
    }
  ],
  series: [
    {},
    ...lines.map(
      (line): uPlot.Series => ({
        label: line.label,
        stroke: line.color,
        width: 2,
        ...(line.dashed ? { dash: [6, 4] } : {}),
        points: { show: false }
      })
    )
  ],
  hooks: { drawAxes: [(u) => drawBoxes(u, boxes)] }
})
