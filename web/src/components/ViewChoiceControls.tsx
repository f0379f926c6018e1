/**
 * The term and engine a view shows: two labelled selects.
 */
import { type Engine, engines, type Term, terms } from "../api/RecommendationTypes"
import { engineHints, engineWords, termWords } from "../format/Terms"
import type { ViewChoice } from "../route/Route"

export const ViewChoiceControls = ({
  view,
  onChange,
  idPrefix
}: {
  readonly view: ViewChoice
  readonly onChange: (next: ViewChoice) => void
  readonly idPrefix: string
}) => (
  <div class="view-choice">
    <div class="field">
      <label for={`${idPrefix}-term`}>Term</label>
      <select
        id={`${idPrefix}-term`}
        value={view.term}
        onChange={(event) => {
          const term = terms.find((t) => t === event.currentTarget.value)
          if (term !== undefined) onChange({ ...view, term: term satisfies Term })
        }}
      >
        {terms.map((term) => (
          <option key={term} value={term}>
            {termWords[term]}
          </option>
        ))}
      </select>
    </div>
    <div class="field">
      <label for={`${idPrefix}-engine`}>Engine</label>
      <select
        id={`${idPrefix}-engine`}
        value={view.engine}
        onChange={(event) => {
          const engine = engines.find((e) => e === event.currentTarget.value)
          if (engine !== undefined) onChange({ ...view, engine: engine satisfies Engine })
        }}
      >
        {engines.map((engine) => (
          <option key={engine} value={engine}>
            {engineWords[engine]} ({engineHints[engine]})
          </option>
        ))}
      </select>
    </div>
  </div>
)
