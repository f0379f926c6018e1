/**
 * The query string of a sources-api-go collection (`middleware/filtering.go`, `middleware/pagination.go`,
 * `dao/filtering.go`): `filter[field]=v`, `filter[field][op]=v` (repeat the key, or use `[]`, for several
 * values), a bare `field=v` as the Rails API allowed, `sort_by=field [asc|desc]`, `limit` and `offset`.
 * Parsed here without I/O against the columns a collection allows, so the repository only ever sees
 * whitelisted columns and values of the column's type.
 */
import { Either, Schema } from "effect"

export type ColumnKind = "integer" | "text" | "timestamp"
export type Columns = Readonly<Record<string, ColumnKind>>

export const OPERATIONS = [
  "eq",
  "not_eq",
  "gt",
  "gte",
  "lt",
  "lte",
  "nil",
  "not_nil",
  "contains",
  "starts_with",
  "ends_with",
  "eq_i",
  "not_eq_i",
  "contains_i",
  "starts_with_i",
  "ends_with_i"
] as const
export type Operation = (typeof OPERATIONS)[number]

const TEXT_ONLY: ReadonlySet<Operation> = new Set([
  "contains",
  "starts_with",
  "ends_with",
  "eq_i",
  "not_eq_i",
  "contains_i",
  "starts_with_i",
  "ends_with_i"
])

export interface Filter {
  readonly column: string
  readonly kind: ColumnKind
  readonly operation: Operation
  /** At least one value, except for `nil` / `not_nil`; several values only for `eq` (an IN list). */
  readonly values: ReadonlyArray<string>
}

export interface Sort {
  readonly column: string
  readonly descending: boolean
}

export interface ListQuery {
  readonly filters: ReadonlyArray<Filter>
  /** Upstream's default order is `id ASC`. */
  readonly sort: ReadonlyArray<Sort>
  readonly limit: number
  readonly offset: number
}

/** A query parameter the collection cannot honour: 400, naming the parameter. */
export class InvalidListQuery extends Schema.TaggedError<InvalidListQuery>()("InvalidListQuery", {
  parameter: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return this.reason
  }
}

export type QueryParams = ReadonlyArray<readonly [string, string]>

/** `filter[field]`, `filter[field][op]`, either followed by `[]`; `filter[field][]` has no operation. */
const FILTER_KEY = /^filter\[(\w+)\](?:\[(\w*)\])?(?:\[\])?$/
const SUBRESOURCES = new Set(["source_type", "application_type", "application"])
const RESERVED = new Set(["limit", "offset", "sort_by"])
const DIGITS = /^\d+$/
const MAX_BIGINT = 9223372036854775807n

const isOperation = (s: string): s is Operation => (OPERATIONS as ReadonlyArray<string>).includes(s)

const fail = (parameter: string, reason: string) => Either.left(new InvalidListQuery({ parameter, reason }))

const validValue = (kind: ColumnKind, value: string): boolean => {
  switch (kind) {
    case "integer":
      return DIGITS.test(value) && BigInt(value) <= MAX_BIGINT
    case "timestamp":
      return value.trim().length > 0 && !Number.isNaN(Date.parse(value))
    case "text":
      return true
  }
}

const parseFilter = (
  parameter: string,
  column: string,
  rawOperation: string,
  values: ReadonlyArray<string>,
  columns: Columns
): Either.Either<Filter, InvalidListQuery> => {
  const kind = columns[column]
  if (kind === undefined) {
    return SUBRESOURCES.has(column) && rawOperation !== "" && !isOperation(rawOperation)
      ? fail(parameter, `unsupported filter parameter ${parameter}: sub-resource filters are not supported`)
      : fail(parameter, `invalid filter parameter ${parameter}: ${column} cannot be filtered on`)
  }
  const operation = rawOperation === "" ? "eq" : rawOperation
  if (!isOperation(operation)) return fail(parameter, `unsupported operation ${operation} in ${parameter}`)
  if (TEXT_ONLY.has(operation) && kind !== "text") {
    return fail(parameter, `unsupported operation ${operation} in ${parameter}: ${column} is not text`)
  }
  if (operation === "nil" || operation === "not_nil") return Either.right({ column, kind, operation, values: [] })
  const used = operation === "eq" ? values : values.slice(0, 1)
  const bad = used.find((v) => !validValue(kind, v))
  if (bad !== undefined) {
    return fail(parameter, `invalid value for ${parameter}: ${JSON.stringify(bad)} is not a valid ${kind}`)
  }
  return Either.right({ column, kind, operation, values: used })
}

const parseSort = (value: string, columns: Columns): Either.Either<Sort, InvalidListQuery> => {
  const parts = value.trim().split(/[\s:]+/)
  const [column, direction, ...rest] = parts
  if (column === undefined || column.length === 0 || rest.length > 0 || columns[column] === undefined) {
    return fail("sort_by", `invalid sort_by parameter: ${JSON.stringify(value)}`)
  }
  const dir = (direction ?? "asc").toLowerCase()
  if (dir !== "asc" && dir !== "desc") return fail("sort_by", `invalid sort_by parameter: ${JSON.stringify(value)}`)
  return Either.right({ column, descending: dir === "desc" })
}

const parseCount = (name: "limit" | "offset", value: string | undefined, fallback: number) => {
  if (value === undefined || value === "") return Either.right(fallback)
  const n = DIGITS.test(value) ? Number(value) : Number.NaN
  return Number.isSafeInteger(n) ? Either.right(n) : fail(name, `error parsing ${name}`)
}

/**
 * Parses the query of a list request. `columns` is what the collection lets a client filter and sort on;
 * `defaultLimit` is the page size when `limit` is absent.
 */
export const parseListQuery = (
  params: QueryParams,
  columns: Columns,
  defaultLimit: number
): Either.Either<ListQuery, InvalidListQuery> =>
  Either.gen(function* () {
    const grouped = new Map<string, Array<string>>()
    for (const [key, value] of params) {
      const list = grouped.get(key) ?? []
      list.push(value)
      grouped.set(key, list)
    }
    const filters: Array<Filter> = []
    const sort: Array<Sort> = []
    for (const [key, values] of grouped) {
      if (key === "sort_by") {
        for (const value of values) sort.push(yield* parseSort(value, columns))
      } else if (RESERVED.has(key)) {
        // limit and offset are read below
      } else if (key.startsWith("filter")) {
        const match = FILTER_KEY.exec(key)
        if (match === null) return yield* fail(key, `invalid filter parameter ${key}`)
        filters.push(yield* parseFilter(key, match[1] ?? "", match[2] ?? "", values, columns))
      } else {
        // The Rails API took any other parameter as an equality filter; sources-api-go kept that.
        filters.push(yield* parseFilter(key, key, "", values, columns))
      }
    }
    const limit = yield* parseCount("limit", grouped.get("limit")?.[0], defaultLimit)
    const offset = yield* parseCount("offset", grouped.get("offset")?.[0], 0)
    return {
      filters,
      sort: sort.length === 0 ? [{ column: "id", descending: false }] : sort,
      limit,
      offset
    }
  })

/**
 * The envelope's links: the request's own parameters (sorted by name, as Go's `url.Values.Encode` does)
 * with limit and offset set, for this page (`first`) and the next one (`last`).
 */
export const collectionLinks = (path: string, params: QueryParams, limit: number, offset: number) => {
  const link = (pageOffset: number) => {
    const kept = params.filter(([k]) => k !== "limit" && k !== "offset")
    const all: Array<readonly [string, string]> = [...kept, ["limit", String(limit)], ["offset", String(pageOffset)]]
    const keys = [...new Set(all.map(([k]) => k))].sort()
    const query = keys
      .flatMap((k) => all.filter(([key]) => key === k).map(([key, v]) => `${key}=${v.replace(/ /g, "+")}`))
      .join("&")
    return `${path}?${query}`
  }
  return { first: link(offset), last: link(offset + limit) }
}
