/**
 * The ROS API's container recommendations (ros-ocp-backend.md §5): the list with its filters, sorting and paging,
 * and one recommendation. Units are asked for explicitly (cores, bytes) so list and detail agree.
 */
import { ApiFailure } from "./ApiFailure"
import { getJson } from "./HttpJson"
import type {
  ContainerListParameter,
  ContainerRecommendation,
  ContainerRecommendationList
} from "./RecommendationTypes"

export const ROS_BASE = "/api/cost-management/v1/recommendations/openshift"

export const filterKeys = [
  "cluster",
  "project",
  "workload_type",
  "workload",
  "container"
] as const satisfies ReadonlyArray<ContainerListParameter>
export type FilterKey = (typeof filterKeys)[number]

export type OrderHow = "asc" | "desc"

export interface ContainerQuery {
  readonly filters: Partial<Record<FilterKey, string>>
  readonly orderBy: string
  readonly orderHow: OrderHow
  readonly limit: number
  readonly offset: number
  /** YYYY-MM-DD; the API's own default is the first day of the current month. */
  readonly startDate: string
}

const UNITS = { "cpu-unit": "cores", "memory-unit": "bytes" } as const satisfies Partial<
  Record<ContainerListParameter, string>
>

export const listQueryString = (query: ContainerQuery): string => {
  const params: Partial<Record<ContainerListParameter, string>> = { ...UNITS }
  for (const key of filterKeys) {
    const value = query.filters[key]?.trim()
    if (value !== undefined && value !== "") params[key] = value
  }
  params.start_date = query.startDate
  params.order_by = query.orderBy
  params.order_how = query.orderHow
  params.limit = String(query.limit)
  params.offset = String(query.offset)
  return new URLSearchParams(params).toString()
}

const isList = (body: unknown): body is ContainerRecommendationList =>
  typeof body === "object" &&
  body !== null &&
  Array.isArray((body as Record<string, unknown>).data) &&
  typeof (body as Record<string, unknown>).meta === "object"

const isItem = (body: unknown): body is ContainerRecommendation =>
  typeof body === "object" && body !== null && typeof (body as Record<string, unknown>).id === "string"

export const listContainers = async (
  query: ContainerQuery,
  orgId: string,
  signal: AbortSignal
): Promise<ContainerRecommendationList> => {
  const body = await getJson(`${ROS_BASE}/container?${listQueryString(query)}`, orgId, signal)
  // Upstream answers a refused filter with 200 and `{}` (§5.4).
  if (!isList(body)) throw new ApiFailure(400, "The server refused these filters. Check their values.")
  return body
}

export const getContainer = async (
  id: string,
  orgId: string,
  signal: AbortSignal
): Promise<ContainerRecommendation> => {
  const params = new URLSearchParams(UNITS)
  const body = await getJson(`${ROS_BASE}/container/${encodeURIComponent(id)}?${params}`, orgId, signal)
  if (!isItem(body)) throw new ApiFailure(404, "This recommendation was not found for this organization.")
  return body
}
