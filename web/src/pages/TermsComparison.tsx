/**
 * Every term and both engines side by side: the recommended requests and limits with their change from today's.
 * The view the rest of the page shows (term and engine) is highlighted.
 */
import { type Engine, engines, type RecommendationData, type Term, terms } from "../api/RecommendationTypes"
import { VariationBadge } from "../components/VariationBadge"
import { formatDateTime } from "../format/Dates"
import { formatQuantity, type Resource } from "../format/Quantity"
import { cellOf, type Setting } from "../format/RecommendationView"
import { engineWords, termWords } from "../format/Terms"
import type { ViewChoice } from "../route/Route"

const rows: ReadonlyArray<readonly [Setting, Resource, string]> = [
  ["requests", "cpu", "CPU request"],
  ["limits", "cpu", "CPU limit"],
  ["requests", "memory", "Memory request"],
  ["limits", "memory", "Memory limit"]
]

const hasEngines = (data: RecommendationData, term: Term) =>
  Object.keys(data.recommendation_terms?.[term]?.recommendation_engines ?? {}).length > 0

const isSelected = (view: ViewChoice, term: Term, engine: Engine) => view.term === term && view.engine === engine

export const TermsComparison = ({ data, view }: { readonly data: RecommendationData; readonly view: ViewChoice }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard.
  <section class="table-scroll" aria-labelledby="comparison-title" tabIndex={0}>
    <table class="data comparison">
      <caption id="comparison-title">Every term and engine, side by side</caption>
      <thead>
        <tr>
          <td rowSpan={2} />
          <th scope="col" rowSpan={2}>
            Current
          </th>
          {terms.map((term) => (
            <th key={term} scope="colgroup" colSpan={2}>
              {termWords[term]}
              <span class="sub">
                {hasEngines(data, term)
                  ? `since ${formatDateTime(data.recommendation_terms?.[term]?.monitoring_start_time)}`
                  : "not enough data yet"}
              </span>
            </th>
          ))}
        </tr>
        <tr>
          {terms.flatMap((term) =>
            engines.map((engine) => (
              <th
                key={`${term}-${engine}`}
                scope="col"
                class={isSelected(view, term, engine) ? "selected" : undefined}
                aria-current={isSelected(view, term, engine) ? "true" : undefined}
              >
                {engineWords[engine]}
              </th>
            ))
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map(([setting, resource, label]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td class="num">{formatQuantity(resource, data.current?.[setting]?.[resource])}</td>
            {terms.flatMap((term) =>
              engines.map((engine) => {
                const cell = cellOf(data, { term, engine }, setting, resource)
                return (
                  <td
                    key={`${term}-${engine}`}
                    class={isSelected(view, term, engine) ? "num selected" : "num"}
                    data-term={term}
                    data-engine={engine}
                  >
                    {cell.recommended === undefined ? (
                      <span class="muted">—</span>
                    ) : (
                      <>
                        <span class="value">{formatQuantity(resource, cell.recommended)}</span>{" "}
                        <VariationBadge variation={cell.variation} />
                      </>
                    )}
                  </td>
                )
              })
            )}
          </tr>
        ))}
      </tbody>
    </table>
  </section>
)
