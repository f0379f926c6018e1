/**
 * CPU and memory usage of the chosen term as box plots, with today's request and limit and the chosen engine's
 * recommendation as lines.
 */
import type { RecommendationData } from "../api/RecommendationTypes"
import { UsageChart } from "../chart/UsageChart"
import { type ReferenceLine, usageBoxes } from "../chart/UsageSeries"
import { quantityBase, type Resource } from "../format/Quantity"
import { engineOf } from "../format/RecommendationView"
import { engineWords, termWords } from "../format/Terms"
import type { ViewChoice } from "../route/Route"

/** A request and a limit of the same value are one line, named for both. */
const pair = (
  name: string,
  suffix: string,
  request: number | undefined,
  limit: number | undefined,
  colors: readonly [string, string],
  dashed: boolean
): ReadonlyArray<ReferenceLine> =>
  request !== undefined && request === limit
    ? [{ label: `${name} request and limit${suffix}`, value: request, color: colors[0], dashed }]
    : [
        { label: `${name} request${suffix}`, value: request, color: colors[0], dashed },
        { label: `${name} limit${suffix}`, value: limit, color: colors[1], dashed }
      ]

const linesFor = (data: RecommendationData, view: ViewChoice, resource: Resource): ReadonlyArray<ReferenceLine> => {
  const engine = engineOf(data, view)
  return [
    ...pair(
      "Current",
      "",
      quantityBase(resource, data.current?.requests?.[resource]),
      quantityBase(resource, data.current?.limits?.[resource]),
      ["#b45309", "#b91c1c"],
      true
    ),
    ...pair(
      "Recommended",
      ` (${engineWords[view.engine].toLowerCase()})`,
      quantityBase(resource, engine?.config?.requests?.[resource]),
      quantityBase(resource, engine?.config?.limits?.[resource]),
      ["#047857", "#6d28d9"],
      false
    )
  ]
}

export const UsageCharts = ({ data, view }: { readonly data: RecommendationData; readonly view: ViewChoice }) => {
  const plots = data.recommendation_terms?.[view.term]?.plots
  return (
    <section class="card" aria-labelledby="charts-title">
      <h2 id="charts-title">Usage over the {termWords[view.term].toLowerCase()}</h2>
      <div class="charts">
        <UsageChart
          id="cpu-chart"
          title="CPU usage"
          resource="cpu"
          boxes={usageBoxes(plots, "cpu")}
          lines={linesFor(data, view, "cpu")}
        />
        <UsageChart
          id="memory-chart"
          title="Memory usage"
          resource="memory"
          boxes={usageBoxes(plots, "memory")}
          lines={linesFor(data, view, "memory")}
        />
      </div>
    </section>
  )
}
