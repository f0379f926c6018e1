/**
 * Every request of the ROS API parsed into what the repositories need, without I/O: the date window, filters,
 * paging, sorting, response format and units. The first bad parameter is a 400 naming it.
 */
import { Either } from "effect"
import { FormatNotAcceptable, InvalidParameter } from "../../schema/api/ApiFailure.js"
import {
  type ContainerListParameters,
  containerSortKeys,
  type NamespaceListParameters,
  namespaceSortKeys,
  type WorkloadListParameters,
  workloadSortKeys
} from "../../schema/api/ListParameters.js"
import { type DateWindow, parseDateWindow } from "./DateWindow.js"
import { type FilterName, type Filters, isUuid, parseFilters } from "./FilterParameters.js"
import {
  type Paging,
  parseFormat,
  parsePaging,
  parseSorting,
  type ResponseFormat,
  type Sorting
} from "./ListOptions.js"
import type { UnitChoice } from "./UnitConversion.js"
import { parseUnits, type UnitParams } from "./UnitOptions.js"

export type ContainerSortKey = (typeof containerSortKeys)[number]
export type NamespaceSortKey = (typeof namespaceSortKeys)[number]
export type WorkloadSortKey = (typeof workloadSortKeys)[number]

export interface ContainerListQuery {
  readonly window: DateWindow
  readonly filters: Filters
  readonly paging: Paging
  readonly sorting: Sorting<ContainerSortKey>
  readonly format: ResponseFormat
  readonly units: UnitChoice
}

export interface NamespaceListQuery {
  readonly window: DateWindow
  readonly filters: Filters
  readonly paging: Paging
  readonly sorting: Sorting<NamespaceSortKey>
  readonly units: UnitChoice
}

export interface WorkloadListQuery {
  readonly window: DateWindow
  readonly filters: Filters
  readonly paging: Paging
  readonly sorting: Sorting<WorkloadSortKey>
}

export interface DetailQuery {
  readonly id: string
  readonly units: UnitChoice
}

const containerFilters: ReadonlyArray<FilterName> = ["cluster", "project", "workload", "workload_type", "container"]
const namespaceFilters: ReadonlyArray<FilterName> = ["cluster", "project"]

export const parseContainerListQuery = (
  params: ContainerListParameters,
  accept: string | undefined,
  now: Date,
  maxValues: number
): Either.Either<ContainerListQuery, InvalidParameter> =>
  Either.gen(function* () {
    const window = yield* parseDateWindow(params.start_date, params.end_date, now, { currentMonth: true })
    const filters = yield* parseFilters(params, containerFilters, maxValues)
    const format = yield* parseFormat(accept, params.format)
    const paging = yield* parsePaging(params.limit, params.offset)
    const sorting = yield* parseSorting(params.order_by, params.order_how, containerSortKeys, "last_reported")
    const units = yield* parseUnits(params, "bytes")
    return { window, filters, paging, sorting, format, units }
  })

export const parseNamespaceListQuery = (
  params: NamespaceListParameters,
  accept: string | undefined,
  now: Date,
  maxValues: number
): Either.Either<NamespaceListQuery, InvalidParameter | FormatNotAcceptable> =>
  Either.gen(function* () {
    const window = yield* parseDateWindow(params.start_date, params.end_date, now, { currentMonth: true })
    const filters = yield* parseFilters(params, namespaceFilters, maxValues)
    const format = yield* parseFormat(accept, params.format)
    if (format === "csv") {
      return yield* Either.left(
        new FormatNotAcceptable({ message: "CSV format is not supported. Please use application/json." })
      )
    }
    const paging = yield* parsePaging(params.limit, params.offset)
    const sorting = yield* parseSorting(params.order_by, params.order_how, namespaceSortKeys, "last_reported")
    const units = yield* parseUnits(params, "bytes")
    return { window, filters, paging, sorting, units }
  })

export const parseWorkloadListQuery = (
  params: WorkloadListParameters,
  now: Date,
  maxValues: number
): Either.Either<WorkloadListQuery, InvalidParameter> =>
  Either.gen(function* () {
    const window = yield* parseDateWindow(params.start_date, params.end_date, now, { currentMonth: false })
    const filters = yield* parseFilters(params, containerFilters, maxValues)
    const paging = yield* parsePaging(params.limit, params.offset)
    const sorting = yield* parseSorting(params.order_by, params.order_how, workloadSortKeys, "last_reported")
    return { window, filters, paging, sorting }
  })

/** A detail request: the id must be a UUID (upstream's message), units default to cores and `defaultMemory`. */
export const parseDetailQuery = (
  id: string,
  params: UnitParams,
  defaultMemory: "bytes" | "MiB"
): Either.Either<DetailQuery, InvalidParameter> =>
  Either.gen(function* () {
    if (!isUuid(id)) {
      return yield* Either.left(new InvalidParameter({ parameter: "id", message: "bad recommendation_id" }))
    }
    const units = yield* parseUnits(params, defaultMemory)
    return { id: id.toLowerCase(), units }
  })
