/**
 * The current route, following the hash; `navigate` writes a new one (a history entry the back button returns to).
 */
import { useCallback, useEffect, useState } from "preact/hooks"
import { formatRoute, parseRoute, type Route } from "./Route"

export const useRoute = (): readonly [Route, (next: Route) => void] => {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash))
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener("hashchange", follow)
    return () => window.removeEventListener("hashchange", follow)
  }, [])
  const navigate = useCallback((next: Route) => {
    window.location.hash = formatRoute(next)
  }, [])
  return [route, navigate] as const
}
