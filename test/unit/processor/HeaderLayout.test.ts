import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { containerColumns, namespaceColumns } from "../../../schema/ros/UsageCsvColumns.js"
import { MissingColumns } from "../../../schema/ros/UsageCsvError.js"
import { csvKindFromUrl, resolveHeader } from "../../../src/processor/csv/HeaderLayout.js"
import {
  aggregate,
  containerCsv,
  containerRow,
  csvText,
  failureOf,
  namespaceCsv,
  namespaceRow
} from "./UsageCsvFixtures.js"

const kindOf = (header: ReadonlyArray<string>, hint?: "container" | "namespace") =>
  Either.map(resolveHeader(header, hint), (layout) => layout.kind)

const without = (columns: ReadonlyArray<string>, ...drop: Array<string>) => columns.filter((c) => !drop.includes(c))

describe("required columns (ros-ocp-backend.md §2.2, §2.3)", () => {
  it("37 container columns, 25 namespace columns", () => {
    expect(containerColumns).toHaveLength(37)
    expect(namespaceColumns).toHaveLength(25)
  })

  it("a missing container column fails with exactly the missing ones, in spec order", () => {
    const header = without(containerColumns, "pod", "memory_rss_usage_container_sum", "cpu_usage_container_min")
    expect(resolveHeader(header)).toEqual(
      Either.left(
        new MissingColumns({
          kind: "container",
          missing: ["pod", "cpu_usage_container_min", "memory_rss_usage_container_sum"]
        })
      )
    )
  })

  it("a missing namespace column fails with exactly the missing one", () => {
    expect(resolveHeader(without(namespaceColumns, "namespace_total_pods_avg"))).toEqual(
      Either.left(new MissingColumns({ kind: "namespace", missing: ["namespace_total_pods_avg"] }))
    )
  })

  it("column order is free and extra columns are ignored", () => {
    const shuffled = [...containerColumns].reverse()
    const layout = resolveHeader(["extra_1", ...shuffled, "extra_2"])
    expect(Either.isRight(layout)).toBe(true)
    if (Either.isRight(layout) && layout.right.kind === "container") {
      expect(layout.right.index.resource_id).toBe(1 + shuffled.indexOf("resource_id"))
      expect(layout.right.index.report_period_start).toBe(37)
    }
  })

  it("a duplicated column resolves to its first occurrence", () => {
    const layout = resolveHeader([...containerColumns, "namespace"])
    if (Either.isRight(layout) && layout.right.kind === "container") {
      expect(layout.right.index.namespace).toBe(containerColumns.indexOf("namespace"))
    } else expect.unreachable()
  })
})

describe("container or namespace file", () => {
  it("upstream's rule: the URL contains 'namespace'", () => {
    expect(csvKindFromUrl("https://s3/bucket/x_namespace_openshift_usage_report.0.csv?sig=1")).toBe("namespace")
    expect(csvKindFromUrl("https://s3/bucket/x_openshift_usage_report.0.csv")).toBe("container")
  })

  it("a header complete for exactly one kind is that kind, whatever the hint", () => {
    expect(kindOf(containerColumns)).toEqual(Either.right("container"))
    expect(kindOf(containerColumns, "namespace")).toEqual(Either.right("container"))
    expect(kindOf(namespaceColumns)).toEqual(Either.right("namespace"))
    expect(kindOf(namespaceColumns, "container")).toEqual(Either.right("namespace"))
  })

  it("a header complete for both kinds follows the hint, container by default", () => {
    const both = [...containerColumns, ...namespaceColumns]
    expect(kindOf(both)).toEqual(Either.right("container"))
    expect(kindOf(both, "container")).toEqual(Either.right("container"))
    expect(kindOf(both, "namespace")).toEqual(Either.right("namespace"))
  })

  it("a header complete for neither reports the hinted kind's missing columns", () => {
    const header = without(namespaceColumns, "namespace_running_pods_max")
    expect(resolveHeader(header, "container")).toEqual(
      Either.left(new MissingColumns({ kind: "container", missing: without(containerColumns, ...header) }))
    )
    expect(resolveHeader(header, "namespace")).toEqual(
      Either.left(new MissingColumns({ kind: "namespace", missing: ["namespace_running_pods_max"] }))
    )
  })

  it("without a hint, the kind missing fewer columns is reported", () => {
    expect(resolveHeader(without(namespaceColumns, "namespace"))).toEqual(
      Either.left(new MissingColumns({ kind: "namespace", missing: ["namespace"] }))
    )
    expect(resolveHeader(without(containerColumns, "node"))).toEqual(
      Either.left(new MissingColumns({ kind: "container", missing: ["node"] }))
    )
  })

  it.effect("the pipeline reports which kind the file turned out to be", () =>
    Effect.gen(function* () {
      const container = yield* aggregate(containerCsv([containerRow()]), "namespace")
      expect(container._tag).toBe("ContainerUsageReport")
      const namespace = yield* aggregate(namespaceCsv([namespaceRow()]), "container")
      expect(namespace._tag).toBe("NamespaceUsageReport")
      const unhinted = yield* aggregate(namespaceCsv([namespaceRow()]))
      expect(unhinted._tag).toBe("NamespaceUsageReport")
    })
  )

  it.effect("the pipeline fails on a missing column before reading any row", () =>
    Effect.gen(function* () {
      const header = without(containerColumns, "owner_kind")
      const error = yield* failureOf(aggregate(csvText(header, [containerRow()])))
      expect(error).toEqual(new MissingColumns({ kind: "container", missing: ["owner_kind"] }))
    })
  )

  it.effect("extra columns and shuffled order give the same report as the canonical layout", () =>
    Effect.gen(function* () {
      const rows = [containerRow(), containerRow({ pod: "web-7d9f-2", cpu_usage_container_avg: "0.75" })]
      const canonical = yield* aggregate(containerCsv(rows))
      const shuffledHeader = ["cluster_alias", ...[...containerColumns].sort(), "labels"]
      const withExtras = rows.map((r) => ({ ...r, cluster_alias: "x,y", labels: 'a="b"' }))
      const shuffled = yield* aggregate(csvText(shuffledHeader, withExtras))
      expect(shuffled).toEqual(canonical)
    })
  )
})
