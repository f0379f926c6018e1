/**
 * A term's usage of one resource as box plots over time, with the current request and limit and the
 * recommendation drawn as lines; uPlot on a canvas, plus the same numbers as a table for screen readers.
 */
import "uplot/dist/uPlot.min.css"
import { useEffect, useRef } from "preact/hooks"
import uPlot from "uplot"
import { formatDateTime } from "../format/Dates"
import { formatBase, type Resource } from "../format/Quantity"
import { chartData, chartOptions } from "./UsageChartOptions"
import type { ReferenceLine, UsageBox } from "./UsageSeries"

const HEIGHT = 260

const Legend = ({ lines, resource }: { readonly lines: ReadonlyArray<ReferenceLine>; readonly resource: Resource }) => (
  <ul class="legend">
    <li>
      <span class="swatch swatch-box" aria-hidden="true" />
      Usage: box from 1st to 3rd quartile, bar at the median, whiskers to min and max
    </li>
    {lines.map((line) => (
      <li key={line.label}>
        <span
          class={line.dashed ? "swatch swatch-dashed" : "swatch"}
          style={{ borderColor: line.color }}
          aria-hidden="true"
        />
        {line.label}: <strong>{line.value === undefined ? "not set" : formatBase(resource, line.value)}</strong>
      </li>
    ))}
  </ul>
)

export const UsageChart = ({
  id,
  title,
  resource,
  boxes,
  lines
}: {
  readonly id: string
  readonly title: string
  readonly resource: Resource
  readonly boxes: ReadonlyArray<UsageBox>
  readonly lines: ReadonlyArray<ReferenceLine>
}) => {
  const host = useRef<HTMLDivElement>(null)
  // The chart is rebuilt only when what it shows changes, not on every render of the page.
  const drawn = JSON.stringify([resource, boxes, lines])
  useEffect(() => {
    const element = host.current
    if (element === null || boxes.length === 0) return
    const width = () => Math.max(280, Math.floor(element.clientWidth))
    const plot = new uPlot(chartOptions(resource, boxes, lines, width(), HEIGHT), chartData(boxes, lines), element)
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }))
    observer.observe(element)
    return () => {
      observer.disconnect()
      plot.destroy()
    }
  }, [drawn])

  const summary = `${title}: ${boxes.length} box plots of usage, from ${formatDateTime(
    new Date((boxes[0]?.at ?? 0) * 1000).toISOString()
  )}. ${lines
    .map((line) => `${line.label} ${line.value === undefined ? "not set" : formatBase(resource, line.value)}`)
    .join("; ")}.`

  return (
    <figure class="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {boxes.length === 0 ? (
        <p class="empty">No usage plot for this term.</p>
      ) : (
        <>
          <div class="chart-canvas" ref={host} role="img" aria-label={summary} data-chart={id} />
          <Legend lines={lines} resource={resource} />
          <details>
            <summary>The numbers behind the chart</summary>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
            <section class="table-scroll" aria-label={`${title}, as a table`} tabIndex={0}>
              <table class="data compact">
                <thead>
                  <tr>
                    <th scope="col">Period ending</th>
                    <th scope="col" class="num">
                      Min
                    </th>
                    <th scope="col" class="num">
                      Q1
                    </th>
                    <th scope="col" class="num">
                      Median
                    </th>
                    <th scope="col" class="num">
                      Q3
                    </th>
                    <th scope="col" class="num">
                      Max
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {boxes.map((box) => (
                    <tr key={box.at}>
                      <th scope="row">{formatDateTime(new Date(box.at * 1000).toISOString())}</th>
                      <td class="num">{formatBase(resource, box.min)}</td>
                      <td class="num">{formatBase(resource, box.q1)}</td>
                      <td class="num">{formatBase(resource, box.median)}</td>
                      <td class="num">{formatBase(resource, box.q3)}</td>
                      <td class="num">{formatBase(resource, box.max)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          </details>
        </>
      )}
    </figure>
  )
}
