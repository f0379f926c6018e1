/**
 * Box plots of a term (kruize.md §3.10, `PlotManager`): starting at the term's monitoring start S, `plotDatapoints`
 * buckets of `plotDeltaDays`, each keyed by its end and holding the results that end in (previous end, end]. Boxes
 * summarise the same per-interval figures the recommendation uses (x_i for CPU, y_i for memory); an empty bucket is `{}`.
 */
import type { BoxPlot, PlotPoint, Plots } from "../../../schema/kruize/Recommendation.js"
import { MS_PER_DAY, type Term } from "./Constants.js"
import type { ExperimentMetrics } from "./ExperimentMetrics.js"
import { firstAfter, formatOf, type IntervalSeries } from "./IntervalSeries.js"
import { percentile, sortedCopy } from "./Percentile.js"

const box = (
  values: Float64Array,
  minimums: Float64Array,
  from: number,
  to: number,
  format: string | undefined
): BoxPlot => {
  const sorted = sortedCopy(values.subarray(from, to))
  let min = minimums[from]!
  for (let i = from + 1; i < to; i++) if (minimums[i]! < min) min = minimums[i]!
  const plot = {
    min,
    q1: percentile(sorted, 25),
    median: percentile(sorted, 50),
    q3: percentile(sorted, 75),
    max: sorted[sorted.length - 1]!
  }
  return format === undefined ? plot : { ...plot, format }
}

export const termPlots = (
  series: IntervalSeries,
  metrics: ExperimentMetrics,
  term: Term,
  monitoringStartMs: number
): Plots => {
  // Kruize: (long) (days × 86 400 000) added through Calendar.add(MILLISECOND, (int) …)
  const stepMs = Math.trunc(term.plotDeltaDays * MS_PER_DAY)
  const plotsData: Record<string, PlotPoint> = {}
  let end = monitoringStartMs
  let from = firstAfter(series.endMs, end)
  for (let k = 0; k < term.plotDatapoints; k++) {
    end += stepMs
    const to = firstAfter(series.endMs, end)
    plotsData[new Date(end).toISOString()] =
      from < to
        ? {
            cpuUsage: box(series.cpu, series.cpuMin, from, to, formatOf(series, metrics.cpuUsage, from, to)),
            memoryUsage: box(series.memory, series.memoryMin, from, to, formatOf(series, metrics.memoryUsage, from, to))
          }
        : {}
    from = to
  }
  return { datapoints: term.plotDatapoints, plots_data: plotsData }
}
