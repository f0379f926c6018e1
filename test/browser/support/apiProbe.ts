/**
 * The public API asked directly, as an org, so the browser tests know what the page should show whatever data the
 * stack holds (fixture rows now, pipeline output later).
 */
import { Schema } from "effect"
import { ContainerRecommendationList } from "../../../schema/api/ContainerRecommendation.js"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"

const BASE = "/api/cost-management/v1/recommendations/openshift"

export const listAs = async (
  url: string,
  orgId: string,
  query: Record<string, string>
): Promise<ContainerRecommendationList> => {
  const params = new URLSearchParams({
    start_date: "1970-01-01",
    "cpu-unit": "cores",
    "memory-unit": "bytes",
    ...query
  })
  const response = await fetch(`${url}${BASE}/container?${params}`, {
    headers: { "x-rh-identity": makeIdentityHeader({ orgId }) }
  })
  if (!response.ok) throw new Error(`GET ${BASE}/container as ${orgId}: ${response.status} ${await response.text()}`)
  return Schema.decodeUnknownSync(ContainerRecommendationList)(await response.json())
}
