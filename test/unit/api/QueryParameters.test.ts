/**
 * The request parsers: paging, sorting, format, date window, units and the three filter forms. Every bad value is
 * an InvalidParameter naming the parameter as the client wrote it.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { InvalidParameter } from "../../../schema/api/ApiFailure.js"
import { containerSortKeys } from "../../../schema/api/ListParameters.js"
import { parseDateWindow } from "../../../src/api/DateWindow.js"
import { isUuid, parseFilters } from "../../../src/api/FilterParameters.js"
import { parseFormat, parsePaging, parseSorting } from "../../../src/api/ListOptions.js"
import { parseContainerListQuery, parseDetailQuery, parseNamespaceListQuery } from "../../../src/api/ListQuery.js"
import { parseUnits } from "../../../src/api/UnitOptions.js"

const leftOf = <A, E>(either: Either.Either<A, E>): E => {
  if (Either.isRight(either)) throw new Error(`expected a failure, got ${JSON.stringify(either.right)}`)
  return either.left
}
const rightOf = <A, E>(either: Either.Either<A, E>): A => {
  if (Either.isLeft(either)) throw new Error(`expected a success, got ${String(either.left)}`)
  return either.right
}
const parameterOf = <A>(either: Either.Either<A, InvalidParameter>) => leftOf(either).parameter

describe("paging", () => {
  it("defaults to 10 from 0; -1 means every row", () => {
    expect(rightOf(parsePaging(undefined, undefined))).toEqual({ limit: 10, offset: 0 })
    expect(rightOf(parsePaging("-1", "20"))).toEqual({ limit: -1, offset: 20 })
    expect(rightOf(parsePaging("0", ""))).toEqual({ limit: 0, offset: 0 })
  })

  it("refuses what is not an integer, a limit below -1 and a negative offset", () => {
    expect(parameterOf(parsePaging("ten", undefined))).toBe("limit")
    expect(parameterOf(parsePaging("1.5", undefined))).toBe("limit")
    expect(leftOf(parsePaging("-2", undefined)).message).toBe("limit cannot be less than -1")
    expect(parameterOf(parsePaging(undefined, "-1"))).toBe("offset")
    expect(parameterOf(parsePaging(undefined, "1; DROP TABLE workloads"))).toBe("offset")
  })
})

describe("sorting and format", () => {
  it("accepts every documented key, asc/desc in any case, and defaults to last_reported desc", () => {
    for (const key of containerSortKeys) {
      expect(rightOf(parseSorting(key, "ASC", containerSortKeys, "last_reported"))).toEqual({ key, descending: false })
    }
    expect(rightOf(parseSorting(undefined, undefined, containerSortKeys, "last_reported"))).toEqual({
      key: "last_reported",
      descending: true
    })
  })

  it("refuses unknown keys and directions, whatever they contain", () => {
    expect(parameterOf(parseSorting("cluster_alias; --", undefined, containerSortKeys, "last_reported"))).toBe(
      "order_by"
    )
    expect(parameterOf(parseSorting("cluster", "sideways", containerSortKeys, "last_reported"))).toBe("order_how")
  })

  it("an exact Accept header wins over the format parameter", () => {
    expect(rightOf(parseFormat("text/csv", "json"))).toBe("csv")
    expect(rightOf(parseFormat("application/json", "csv"))).toBe("json")
    expect(rightOf(parseFormat("*/*", "CSV"))).toBe("csv")
    expect(rightOf(parseFormat(undefined, undefined))).toBe("json")
    expect(parameterOf(parseFormat("*/*", "xml"))).toBe("format")
  })
})

describe("date window", () => {
  const now = new Date("2026-03-17T10:20:30Z")

  it("recommendation lists default to the current month up to now (UTC)", () => {
    expect(rightOf(parseDateWindow(undefined, undefined, now, { currentMonth: true }))).toEqual({
      from: new Date("2026-03-01T00:00:00Z"),
      until: now
    })
    expect(rightOf(parseDateWindow(undefined, undefined, now, { currentMonth: false }))).toEqual({
      from: undefined,
      until: undefined
    })
  })

  it("the end day is included", () => {
    expect(rightOf(parseDateWindow("2026-02-01", "2026-02-28", now, { currentMonth: true }))).toEqual({
      from: new Date("2026-02-01T00:00:00Z"),
      until: new Date("2026-03-01T00:00:00Z")
    })
  })

  it("refuses malformed and impossible days, and a start after the end", () => {
    expect(parameterOf(parseDateWindow("2026-2-1", undefined, now, { currentMonth: true }))).toBe("start_date")
    expect(parameterOf(parseDateWindow(undefined, "2026-02-30", now, { currentMonth: true }))).toBe("end_date")
    expect(parameterOf(parseDateWindow("2026-03-02", "2026-03-01", now, { currentMonth: true }))).toBe("start_date")
    expect(parameterOf(parseDateWindow("' OR 1=1 --", undefined, now, { currentMonth: true }))).toBe("start_date")
  })
})

describe("units", () => {
  it("defaults to cores and the endpoint's memory unit, with Kubernetes formats", () => {
    expect(rightOf(parseUnits({}, "bytes"))).toEqual({ cpu: "cores", memory: "bytes", k8sFormats: true })
    expect(rightOf(parseUnits({}, "MiB"))).toEqual({ cpu: "cores", memory: "MiB", k8sFormats: true })
    expect(rightOf(parseUnits({ "cpu-unit": "millicores", "memory-unit": "GiB", "true-units": "T" }, "bytes"))).toEqual(
      {
        cpu: "millicores",
        memory: "GiB",
        k8sFormats: false
      }
    )
  })

  it("refuses other values with upstream's messages", () => {
    expect(leftOf(parseUnits({ "cpu-unit": "Cores" }, "bytes")).message).toBe("invalid cpu unit")
    expect(leftOf(parseUnits({ "memory-unit": "mib" }, "bytes")).message).toBe("invalid memory unit")
    expect(leftOf(parseUnits({ "true-units": "yes" }, "bytes")).message).toBe("invalid value for true-units")
  })
})

describe("filters", () => {
  const names = ["cluster", "project", "workload", "workload_type", "container"] as const

  it("reads the three forms of each filter and ignores empty values", () => {
    const filters = rightOf(
      parseFilters(
        { cluster: ["prod", ""], "filter[exact:project]": ["shop"], "exclude[container]": ["sidecar"] },
        names,
        5
      )
    )
    expect(filters).toEqual({
      cluster: { include: ["prod"], exact: [], exclude: [] },
      project: { include: [], exact: ["shop"], exclude: [] },
      container: { include: [], exact: [], exclude: ["sidecar"] }
    })
  })

  it("an exact value makes its plain twin redundant; a plain workload_type is exact", () => {
    const filters = rightOf(
      parseFilters(
        { project: ["shop", "ops"], "filter[exact:project]": ["shop"], workload_type: ["deployment"] },
        names,
        5
      )
    )
    expect(filters.project).toEqual({ include: ["ops"], exact: ["shop"], exclude: [] })
    expect(filters.workload_type).toEqual({ include: [], exact: ["deployment"], exclude: [] })
  })

  it("refuses too many values, unknown workload types and values both excluded and included", () => {
    expect(parameterOf(parseFilters({ "filter[exact:cluster]": ["a", "b", "c"] }, names, 2))).toBe(
      "filter[exact:cluster]"
    )
    expect(parameterOf(parseFilters({ "exclude[workload_type]": ["job"] }, names, 5))).toBe("exclude[workload_type]")
    expect(parameterOf(parseFilters({ workload_type: ["namespace"] }, names, 5))).toBe("workload_type")
    const conflict = leftOf(parseFilters({ project: ["shop"], "exclude[project]": ["shop"] }, names, 5))
    expect(conflict).toBeInstanceOf(InvalidParameter)
    expect(conflict.message).toBe("exclude and include cannot share values for project")
    expect(parameterOf(parseFilters({ workload: ["x".repeat(1025)] }, names, 5))).toBe("workload")
  })

  it("tells a cluster UUID from an alias as uuid.Parse does (hyphenated form)", () => {
    expect(isUuid("1b36c1b9-4a3d-4c6b-9c2e-0a4b5c6d7e8f")).toBe(true)
    expect(isUuid("1B36C1B9-4A3D-4C6B-9C2E-0A4B5C6D7E8F")).toBe(true)
    expect(isUuid("prod-cluster")).toBe(false)
    expect(isUuid("1b36c1b9-4a3d-4c6b-9c2e")).toBe(false)
  })
})

describe("whole requests", () => {
  const now = new Date("2026-03-17T10:20:30Z")

  it("a container list reports its first bad parameter", () => {
    expect(parameterOf(parseContainerListQuery({ order_by: "nope", limit: "x" }, undefined, now, 5))).toBe("limit")
    expect(rightOf(parseContainerListQuery({}, "text/csv", now, 5)).format).toBe("csv")
  })

  it("project lists refuse CSV with 406", () => {
    const refused = leftOf(parseNamespaceListQuery({ format: "csv" }, undefined, now, 5))
    expect(refused._tag).toBe("FormatNotAcceptable")
    const badSort = leftOf(parseNamespaceListQuery({ order_by: "container" }, undefined, now, 5))
    expect(badSort._tag === "InvalidParameter" ? badSort.parameter : badSort._tag).toBe("order_by")
  })

  it("a detail id must be a UUID", () => {
    expect(leftOf(parseDetailQuery("42", {}, "MiB")).message).toBe("bad recommendation_id")
    expect(rightOf(parseDetailQuery("1B36C1B9-4A3D-4C6B-9C2E-0A4B5C6D7E8F", {}, "MiB")).id).toBe(
      "1b36c1b9-4a3d-4c6b-9c2e-0a4b5c6d7e8f"
    )
  })
})
