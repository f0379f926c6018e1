/**
 * The filter parameters of a list (ros-ocp-backend.md §5.4, upstream's `applyParamFilter`): each filter `x` comes in
 * three forms, `x` (substring, case-insensitive), `filter[exact:x]` and `exclude[x]`, each repeatable up to
 * MAXIMUM_COUNT_PER_QUERY_PARAM values. Empty values are ignored; a value both excluded and included (or exact) is a
 * 400; a value both exact and included counts as exact. `workload_type` values must be workload types, and its plain
 * form matches exactly.
 */
import { Either } from "effect"
import { InvalidParameter } from "../../schema/api/ApiFailure.js"
import { isWorkloadType, workloadTypes } from "../../schema/ros/WorkloadType.js"

export const filterNames = ["cluster", "project", "workload", "workload_type", "container"] as const
export type FilterName = (typeof filterNames)[number]

/** The values of one filter, by form. */
export interface FilterValues {
  readonly include: ReadonlyArray<string>
  readonly exact: ReadonlyArray<string>
  readonly exclude: ReadonlyArray<string>
}

export type Filters = Partial<Readonly<Record<FilterName, FilterValues>>>

/** Longer values cannot name anything Kubernetes accepts; refusing them bounds the work a request can ask for. */
export const MAX_FILTER_VALUE_LENGTH = 1024

export type FilterParams = Readonly<Record<string, ReadonlyArray<string> | string | undefined>>

const valuesOf = (params: FilterParams, key: string): ReadonlyArray<string> => {
  const raw = params[key]
  const list = raw === undefined ? [] : typeof raw === "string" ? [raw] : raw
  return list.filter((value) => value !== "")
}

const parseOne = (
  params: FilterParams,
  name: FilterName,
  maxValues: number
): Either.Either<FilterValues | undefined, InvalidParameter> =>
  Either.gen(function* () {
    const forms = {
      include: { key: name, values: valuesOf(params, name) },
      exact: { key: `filter[exact:${name}]`, values: valuesOf(params, `filter[exact:${name}]`) },
      exclude: { key: `exclude[${name}]`, values: valuesOf(params, `exclude[${name}]`) }
    }
    for (const { key, values } of Object.values(forms)) {
      if (values.length > maxValues) {
        return yield* Either.left(
          new InvalidParameter({
            parameter: key,
            message: `too many ${name} parameters, a maximum of ${maxValues} is allowed`
          })
        )
      }
      const long = values.find((value) => value.length > MAX_FILTER_VALUE_LENGTH)
      if (long !== undefined) {
        return yield* Either.left(
          new InvalidParameter({
            parameter: key,
            message: `${key} values must be at most ${MAX_FILTER_VALUE_LENGTH} characters`
          })
        )
      }
      if (name === "workload_type") {
        const wrong = values.find((value) => !isWorkloadType(value))
        if (wrong !== undefined) {
          return yield* Either.left(
            new InvalidParameter({
              parameter: key,
              message: `invalid workload_type "${wrong}"; expected one of ${workloadTypes.join(", ")}`
            })
          )
        }
      }
    }
    const { include, exact, exclude } = forms
    if (include.values.length + exact.values.length + exclude.values.length === 0) return undefined
    for (const value of exclude.values) {
      const other = exact.values.includes(value) ? "exact" : include.values.includes(value) ? "include" : undefined
      if (other !== undefined) {
        return yield* Either.left(
          new InvalidParameter({
            parameter: exclude.key,
            message: `exclude and ${other} cannot share values for ${name}`
          })
        )
      }
    }
    // A plain workload_type already matches exactly; an exact value makes its plain twin redundant.
    const plain = include.values.filter((value) => !exact.values.includes(value))
    return name === "workload_type"
      ? { include: [], exact: [...new Set([...exact.values, ...plain])], exclude: exclude.values }
      : { include: plain, exact: exact.values, exclude: exclude.values }
  })

/** The filters among `names` that the request sets. */
export const parseFilters = (
  params: FilterParams,
  names: ReadonlyArray<FilterName>,
  maxValues: number
): Either.Either<Filters, InvalidParameter> =>
  Either.gen(function* () {
    const filters: { -readonly [K in FilterName]?: FilterValues } = {}
    for (const name of names) {
      const values = yield* parseOne(params, name, maxValues)
      if (values !== undefined) filters[name] = values
    }
    return filters
  })

/** Upstream's test for "this cluster value is a UUID" (`uuid.Parse`, hyphenated form). */
export const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export const isUuid = (value: string): boolean => UUID.test(value)
