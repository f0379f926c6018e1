/**
 * The list's filters (the API's include filters: a part of the name matches) and the earliest monitoring date.
 * Applied on submit, so typing does not fire a request per key.
 */
import { useState } from "preact/hooks"
import { workloadTypes } from "../api/RecommendationTypes"
import type { FilterKey } from "../api/RosClient"
import type { ListState } from "../route/Route"

type Draft = Partial<Record<FilterKey, string>> & { readonly startDate?: string }

const textFields: ReadonlyArray<readonly [Exclude<FilterKey, "workload_type">, string]> = [
  ["cluster", "Cluster"],
  ["project", "Project"],
  ["workload", "Workload"],
  ["container", "Container"]
]

export const FiltersForm = ({
  list,
  onApply
}: {
  readonly list: ListState
  readonly onApply: (filters: ListState["filters"], startDate: string) => void
}) => {
  const [draft, setDraft] = useState<Draft>({ ...list.filters, startDate: list.startDate })
  const set = (key: keyof Draft, value: string) => setDraft((previous) => ({ ...previous, [key]: value }))
  const submit = (event: Event) => {
    event.preventDefault()
    const { startDate, ...filters } = draft
    onApply(filters, startDate ?? "")
  }
  const clear = () => {
    setDraft({})
    onApply({}, "")
  }
  return (
    <form class="filters" onSubmit={submit} aria-label="Filters">
      {textFields.map(([key, label]) => (
        <div class="field" key={key}>
          <label for={`filter-${key}`}>{label}</label>
          <input
            id={`filter-${key}`}
            name={key}
            type="search"
            value={draft[key] ?? ""}
            autoComplete="off"
            onInput={(event) => set(key, event.currentTarget.value)}
          />
        </div>
      ))}
      <div class="field">
        <label for="filter-workload_type">Workload type</label>
        <select
          id="filter-workload_type"
          name="workload_type"
          value={draft.workload_type ?? ""}
          onChange={(event) => set("workload_type", event.currentTarget.value)}
        >
          <option value="">Any</option>
          {workloadTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-start-date">Monitored since</label>
        <input
          id="filter-start-date"
          name="start_date"
          type="date"
          value={draft.startDate ?? ""}
          aria-describedby="filter-start-date-hint"
          onInput={(event) => set("startDate", event.currentTarget.value)}
        />
        <span id="filter-start-date-hint" class="hint">
          empty: any date
        </span>
      </div>
      <div class="actions">
        <button type="submit" class="primary">
          Apply filters
        </button>
        <button type="button" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  )
}
