/**
 * The page: a header (views, the org selector) and the current view. The view is rebuilt from scratch when the
 * org changes, so nothing loaded for one org is ever shown under another.
 */
import { useEffect, useRef } from "preact/hooks"
import { OrgSelector } from "./components/OrgSelector"
import { useOrgChoice } from "./OrgChoice"
import { RecommendationDetailPage } from "./pages/RecommendationDetailPage"
import { RecommendationsPage } from "./pages/RecommendationsPage"
import { UploadsPage } from "./pages/UploadsPage"
import { defaultList, formatRoute, type Route } from "./route/Route"
import { useRoute } from "./route/useRoute"

const View = ({
  route,
  navigate,
  orgId
}: {
  readonly route: Route
  readonly navigate: (next: Route) => void
  readonly orgId: string
}) => {
  switch (route.page) {
    case "recommendations":
      return <RecommendationsPage list={route.list} navigate={navigate} orgId={orgId} />
    case "recommendation":
      return <RecommendationDetailPage id={route.id} view={route.view} navigate={navigate} orgId={orgId} />
    case "uploads":
      return <UploadsPage orgId={orgId} />
  }
}

/** The hash holds the route, so the skip link is a button that moves focus instead of a link to `#main`. */
const skipToContent = () => document.getElementById("main")?.focus()

/** On a move to another view (not a new filter or page of the same one), focus and show the new view from its top. */
const useFocusOnViewChange = (route: Route) => {
  const view = route.page === "recommendation" ? `recommendation/${route.id}` : route.page
  const previous = useRef(view)
  useEffect(() => {
    if (previous.current === view) return
    previous.current = view
    window.scrollTo(0, 0)
    document.getElementById("main")?.focus()
  }, [view])
}

export const App = () => {
  const [route, navigate] = useRoute()
  const org = useOrgChoice()
  useFocusOnViewChange(route)
  const onUploads = route.page === "uploads"
  return (
    <>
      <button type="button" class="skip-link" onClick={skipToContent}>
        Skip to content
      </button>
      <header class="site-header">
        <div class="brand">
          <span class="brand-mark" aria-hidden="true">
            ◧
          </span>
          Resource Optimization
        </div>
        <nav aria-label="Views">
          <a
            href={formatRoute({ page: "recommendations", list: defaultList })}
            aria-current={onUploads ? undefined : "page"}
          >
            Recommendations
          </a>
          <a href={formatRoute({ page: "uploads" })} aria-current={onUploads ? "page" : undefined}>
            Uploads
          </a>
        </nav>
        <OrgSelector org={org} />
      </header>
      <main id="main" tabIndex={-1} key={org.orgId}>
        <View route={route} navigate={navigate} orgId={org.orgId} />
      </main>
    </>
  )
}
