/**
 * The org the page works as (local mode), remembered in this browser with the last few used.
 */
import { useCallback, useState } from "preact/hooks"
import { DEFAULT_ORG_ID, isOrgId } from "./api/Identity"

const CURRENT_KEY = "ros-ocp.org-id"
const RECENT_KEY = "ros-ocp.recent-org-ids"
const RECENT_MAX = 8

const read = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key)
  } catch {
    return null
  }
}

const write = (key: string, value: string) => {
  try {
    window.localStorage.setItem(key, value)
  } catch {
    // Storage may be off (private mode); the choice then lasts as long as the page.
  }
}

const readRecent = (): ReadonlyArray<string> => {
  try {
    const parsed: unknown = JSON.parse(read(RECENT_KEY) ?? "[]")
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === "string" && isOrgId(v)) : []
  } catch {
    return []
  }
}

export interface OrgChoice {
  readonly orgId: string
  readonly recent: ReadonlyArray<string>
  readonly choose: (orgId: string) => void
}

export const useOrgChoice = (): OrgChoice => {
  const [orgId, setOrgId] = useState(() => {
    const stored = read(CURRENT_KEY)
    return stored !== null && isOrgId(stored) ? stored : DEFAULT_ORG_ID
  })
  const [recent, setRecent] = useState(readRecent)
  const choose = useCallback((next: string) => {
    if (!isOrgId(next)) return
    write(CURRENT_KEY, next)
    setRecent((previous) => {
      const updated = [next, ...previous.filter((v) => v !== next)].slice(0, RECENT_MAX)
      write(RECENT_KEY, JSON.stringify(updated))
      return updated
    })
    setOrgId(next)
  }, [])
  return { orgId, recent, choose }
}
