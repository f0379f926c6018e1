/**
 * The page's address: which view, and the list's filters, sorting, page, term and engine, all in the hash
 * (`#/recommendations?project=shop&order_by=container`), so a view can be bookmarked, shared and gone back to.
 */
import { type Engine, engines, type Term, terms } from "../api/RecommendationTypes"
import { type FilterKey, filterKeys, type OrderHow } from "../api/RosClient"
import { isIsoDay } from "../format/Dates"

export interface ViewChoice {
  readonly term: Term
  readonly engine: Engine
}

export interface ListState extends ViewChoice {
  readonly filters: Partial<Record<FilterKey, string>>
  readonly orderBy: string
  readonly orderHow: OrderHow
  readonly limit: number
  readonly offset: number
  /** YYYY-MM-DD, or "" for any date. */
  readonly startDate: string
}

export type Route =
  | { readonly page: "recommendations"; readonly list: ListState }
  | { readonly page: "recommendation"; readonly id: string; readonly view: ViewChoice }
  | { readonly page: "uploads" }

export const pageSizes = [10, 25, 50, 100] as const

export const defaultList: ListState = {
  filters: {},
  orderBy: "last_reported",
  orderHow: "desc",
  limit: 10,
  offset: 0,
  startDate: "",
  term: "short_term",
  engine: "cost"
}

const oneOf = <A extends string>(values: ReadonlyArray<A>, value: string | null, fallback: A): A =>
  values.find((v) => v === value) ?? fallback

const viewOf = (params: URLSearchParams): ViewChoice => ({
  term: oneOf(terms, params.get("term"), defaultList.term),
  engine: oneOf(engines, params.get("engine"), defaultList.engine)
})

const nonNegativeInt = (value: string | null, fallback: number) =>
  value !== null && /^\d{1,9}$/.test(value) ? Number(value) : fallback

const listOf = (params: URLSearchParams): ListState => {
  const filters: Partial<Record<FilterKey, string>> = {}
  for (const key of filterKeys) {
    const value = params.get(key)
    if (value !== null && value !== "") filters[key] = value
  }
  const limit = nonNegativeInt(params.get("limit"), defaultList.limit)
  const startDate = params.get("start_date") ?? ""
  return {
    ...viewOf(params),
    filters,
    orderBy: params.get("order_by") || defaultList.orderBy,
    orderHow: params.get("order_how") === "asc" ? "asc" : "desc",
    limit: pageSizes.find((size) => size === limit) ?? defaultList.limit,
    offset: nonNegativeInt(params.get("offset"), 0),
    startDate: isIsoDay(startDate) ? startDate : ""
  }
}

export const parseRoute = (hash: string): Route => {
  const raw = hash.replace(/^#/, "")
  const [path = "", search = ""] = raw.split("?", 2)
  const params = new URLSearchParams(search)
  const segments = path.split("/").filter((s) => s !== "")
  if (segments[0] === "uploads") return { page: "uploads" }
  if (segments[0] === "recommendations" && segments[1] !== undefined) {
    return { page: "recommendation", id: decodeURIComponent(segments[1]), view: viewOf(params) }
  }
  return { page: "recommendations", list: listOf(params) }
}

const viewParams = (view: ViewChoice, params: URLSearchParams) => {
  if (view.term !== defaultList.term) params.set("term", view.term)
  if (view.engine !== defaultList.engine) params.set("engine", view.engine)
}

const withSearch = (path: string, params: URLSearchParams) => {
  const search = params.toString()
  return search === "" ? `#${path}` : `#${path}?${search}`
}

export const formatRoute = (route: Route): string => {
  switch (route.page) {
    case "uploads":
      return "#/uploads"
    case "recommendation": {
      const params = new URLSearchParams()
      viewParams(route.view, params)
      return withSearch(`/recommendations/${encodeURIComponent(route.id)}`, params)
    }
    case "recommendations": {
      const { list } = route
      const params = new URLSearchParams()
      for (const key of filterKeys) {
        const value = list.filters[key]
        if (value !== undefined && value !== "") params.set(key, value)
      }
      if (list.startDate !== "") params.set("start_date", list.startDate)
      if (list.orderBy !== defaultList.orderBy) params.set("order_by", list.orderBy)
      if (list.orderHow !== defaultList.orderHow) params.set("order_how", list.orderHow)
      if (list.limit !== defaultList.limit) params.set("limit", String(list.limit))
      if (list.offset !== 0) params.set("offset", String(list.offset))
      viewParams(list, params)
      return withSearch("/recommendations", params)
    }
  }
}
