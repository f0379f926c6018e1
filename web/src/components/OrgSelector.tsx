/**
 * Local mode's identity: the org the page sends in X-Rh-Identity. Switching it reloads every view for that org.
 */
import { useState } from "preact/hooks"
import { isOrgId } from "../api/Identity"
import type { OrgChoice } from "../OrgChoice"

export const OrgSelector = ({ org }: { readonly org: OrgChoice }) => {
  const [draft, setDraft] = useState(org.orgId)
  const valid = isOrgId(draft.trim())
  const submit = (event: Event) => {
    event.preventDefault()
    if (valid) org.choose(draft.trim())
  }
  return (
    <form class="org-selector" onSubmit={submit} aria-label="Organization">
      <label for="org-id">
        Org <span class="hint">(local mode)</span>
      </label>
      <input
        id="org-id"
        name="org"
        value={draft}
        list="recent-orgs"
        inputMode="numeric"
        autoComplete="off"
        spellcheck={false}
        aria-invalid={!valid}
        aria-describedby="org-current"
        onInput={(event) => setDraft(event.currentTarget.value)}
      />
      <datalist id="recent-orgs">
        {org.recent.map((id) => (
          <option key={id} value={id} />
        ))}
      </datalist>
      <button type="submit" disabled={!valid || draft.trim() === org.orgId}>
        Switch
      </button>
      <span id="org-current" class="visually-hidden" aria-live="polite">
        Showing data of org {org.orgId}
      </span>
    </form>
  )
}
