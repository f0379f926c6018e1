/**
 * Paging, sorting and response format of a list request (ros-ocp-backend.md §5.4, upstream's `ListAPIOptions`).
 * Where we differ on purpose (design.md §7): a limit or offset that is not an integer, or a negative offset, is a
 * 400 naming the parameter (upstream silently falls back to its default).
 */
import { Either } from "effect"
import { InvalidParameter } from "../../schema/api/ApiFailure.js"

export const DEFAULT_LIMIT = 10

export interface Paging {
  /** Rows per page; -1 means every row. */
  readonly limit: number
  readonly offset: number
}

export interface Sorting<Key extends string> {
  readonly key: Key
  readonly descending: boolean
}

export type ResponseFormat = "json" | "csv"

const INTEGER = /^[+-]?\d{1,15}$/

const integer = (parameter: string, raw: string | undefined, fallback: number) => {
  if (raw === undefined || raw === "") return Either.right(fallback)
  const trimmed = raw.trim()
  return INTEGER.test(trimmed)
    ? Either.right(Number.parseInt(trimmed, 10))
    : Either.left(new InvalidParameter({ parameter, message: `${parameter} must be an integer, got "${raw}"` }))
}

export const parsePaging = (limit: string | undefined, offset: string | undefined) =>
  Either.gen(function* () {
    const pageSize = yield* integer("limit", limit, DEFAULT_LIMIT)
    if (pageSize < -1) {
      return yield* Either.left(new InvalidParameter({ parameter: "limit", message: "limit cannot be less than -1" }))
    }
    const skip = yield* integer("offset", offset, 0)
    if (skip < 0) {
      return yield* Either.left(new InvalidParameter({ parameter: "offset", message: "offset cannot be negative" }))
    }
    return { limit: pageSize, offset: skip } satisfies Paging
  })

export const parseSorting = <Key extends string>(
  orderBy: string | undefined,
  orderHow: string | undefined,
  keys: ReadonlyArray<Key>,
  fallback: Key
) =>
  Either.gen(function* () {
    const how = (orderHow ?? "").toLowerCase()
    if (how !== "" && how !== "asc" && how !== "desc") {
      return yield* Either.left(
        new InvalidParameter({ parameter: "order_how", message: `invalid order_how value: ${orderHow}` })
      )
    }
    const key = orderBy === undefined || orderBy === "" ? fallback : keys.find((k) => k === orderBy)
    if (key === undefined) {
      return yield* Either.left(
        new InvalidParameter({
          parameter: "order_by",
          message: `invalid order_by value: ${orderBy}; expected one of ${keys.join(", ")}`
        })
      )
    }
    return { key, descending: how !== "asc" } satisfies Sorting<Key>
  })

/** An Accept header of exactly text/csv or application/json wins; otherwise the `format` parameter decides. */
export const parseFormat = (
  accept: string | undefined,
  format: string | undefined
): Either.Either<ResponseFormat, InvalidParameter> => {
  if (accept === "text/csv") return Either.right("csv")
  if (accept === "application/json") return Either.right("json")
  const value = (format ?? "").toLowerCase()
  if (value === "" || value === "json") return Either.right("json")
  if (value === "csv") return Either.right("csv")
  return Either.left(new InvalidParameter({ parameter: "format", message: `invalid value for format: "${format}"` }))
}
