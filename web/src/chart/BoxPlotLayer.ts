/**
 * Draws box plots (whiskers min–max, box q1–q3, a median bar) on a uPlot canvas, under its line series: uPlot has
 * no box series of its own, so this is a `drawAxes` hook, which runs after the grid and before the series.
 */
import type uPlot from "uplot"
import type { UsageBox } from "./UsageSeries"

const BOX_FILL = "rgba(37, 99, 235, 0.18)"
const BOX_STROKE = "#1e40af"
const MAX_BOX_WIDTH_CSS = 44

export const drawBoxes = (u: uPlot, boxes: ReadonlyArray<UsageBox>) => {
  const { ctx } = u
  const ratio = window.devicePixelRatio || 1
  const { left, top, width, height } = u.bbox
  const xs = boxes.map((box) => u.valToPos(box.at, "x", true))
  const gaps = xs.slice(1).map((x, i) => x - (xs[i] ?? x))
  const spacing = gaps.length === 0 ? width : Math.min(...gaps)
  const half = Math.max(2 * ratio, Math.min(MAX_BOX_WIDTH_CSS * ratio, spacing * 0.55)) / 2
  const y = (value: number) => u.valToPos(value, "y", true)

  ctx.save()
  ctx.beginPath()
  ctx.rect(left, top, width, height)
  ctx.clip()
  ctx.lineWidth = Math.max(1, ratio)
  ctx.strokeStyle = BOX_STROKE
  boxes.forEach((box, i) => {
    const x = Math.round(xs[i] ?? 0)
    // Whiskers and their caps.
    ctx.beginPath()
    ctx.moveTo(x, y(box.max))
    ctx.lineTo(x, y(box.q3))
    ctx.moveTo(x, y(box.q1))
    ctx.lineTo(x, y(box.min))
    ctx.moveTo(x - half / 2, y(box.max))
    ctx.lineTo(x + half / 2, y(box.max))
    ctx.moveTo(x - half / 2, y(box.min))
    ctx.lineTo(x + half / 2, y(box.min))
    ctx.stroke()
    // The box, at least a pixel tall so a flat one still shows.
    const top3 = y(box.q3)
    const height3 = Math.max(ratio, y(box.q1) - top3)
    ctx.fillStyle = BOX_FILL
    ctx.fillRect(x - half, top3, half * 2, height3)
    ctx.strokeRect(x - half, top3, half * 2, height3)
    // The median.
    ctx.beginPath()
    ctx.lineWidth = 2 * ratio
    ctx.moveTo(x - half, y(box.median))
    ctx.lineTo(x + half, y(box.median))
    ctx.stroke()
    ctx.lineWidth = Math.max(1, ratio)
  })
  ctx.restore()
}
