/**
 * Every query of the ROS API on the upstream tables (ros-ocp-backend.md §4.1, §5.4–§5.5). Each one is scoped to the
 * caller's org first and to its RBAC scope second; filters and sorting only narrow or order inside that set, and
 * every value is a bound parameter (column names come from fixed maps, never from the request).
 */
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, Option, Schema, Stream } from "effect"
import { RecommendationDocument } from "../../schema/api/RecommendationDocument.js"
import type { AccessScope } from "./AccessScope.js"
import type { DateWindow } from "./DateWindow.js"
import { type FilterName, type Filters, type FilterValues, isUuid } from "./FilterParameters.js"
import type { Paging, Sorting } from "./ListOptions.js"
import type { ContainerSortKey, NamespaceSortKey, WorkloadSortKey } from "./ListQuery.js"
import { type PercentColumn, percentColumns } from "./VariationPercent.js"

const Numeric = Schema.NullOr(Schema.NumberFromString)
const percentFields = Object.fromEntries(percentColumns.map((column) => [column, Numeric])) as {
  readonly [K in PercentColumn]: typeof Numeric
}

/** Text of a timestamptz in UTC with microseconds (`2023-06-03T10:00:00.123000`), or null. */
const UtcText = Schema.NullOr(Schema.String)

/** A container recommendation set without its JSON: what lists sort, count and page. */
export const ContainerHead = Schema.Struct({
  id: Schema.String,
  /** `updated_at` as text: a set's JSON and percent columns change only together with it. */
  version: Schema.String,
  container: Schema.String,
  project: Schema.String,
  workload: Schema.NullOr(Schema.String),
  workload_type: Schema.NullOr(Schema.String),
  source_id: Schema.String,
  cluster_uuid: Schema.String,
  cluster_alias: Schema.String,
  last_reported: UtcText,
  ...percentFields
})
export type ContainerHead = typeof ContainerHead.Type

export const ContainerRow = Schema.Struct({ ...ContainerHead.fields, recommendations: RecommendationDocument })
export type ContainerRow = typeof ContainerRow.Type

export const NamespaceHead = Schema.Struct({
  id: Schema.String,
  version: Schema.String,
  project: Schema.String,
  source_id: Schema.String,
  cluster_uuid: Schema.String,
  cluster_alias: Schema.String,
  last_reported: UtcText,
  ...percentFields
})
export type NamespaceHead = typeof NamespaceHead.Type

export const NamespaceRow = Schema.Struct({ ...NamespaceHead.fields, recommendations: RecommendationDocument })
export type NamespaceRow = typeof NamespaceRow.Type

/** The JSON of one recommendation set, at a version. */
export const StoredDocument = Schema.Struct({
  id: Schema.String,
  version: Schema.String,
  recommendations: RecommendationDocument
})
export type StoredDocument = typeof StoredDocument.Type

export const WorkloadRow = Schema.Struct({
  id: Schema.String,
  cluster_alias: Schema.String,
  cluster_uuid: Schema.String,
  source_id: Schema.String,
  namespace: Schema.String,
  workload_type: Schema.NullOr(Schema.String),
  workload: Schema.NullOr(Schema.String),
  containers: Schema.NullOr(Schema.Array(Schema.String)),
  last_upload: UtcText,
  last_reported: UtcText,
  recommendations: Schema.Array(
    Schema.Struct({
      id: Schema.String,
      container: Schema.String,
      monitoring_end_time: Schema.String,
      updated_at: Schema.String
    })
  )
})
export type WorkloadRow = typeof WorkloadRow.Type

const Total = Schema.Struct({ total_count: Schema.NumberFromString })

/**
 * Row decoders, built once: a parser is compiled per schema, so building one per request would compile it again
 * on every call. A stored row the API cannot read is a bug of whoever wrote it, not of the request: a defect (500).
 */
const rowsDecoder = <A, I>(schema: Schema.Schema<A, I>) => {
  const decode = Schema.decodeUnknown(Schema.Array(schema))
  return (rows: ReadonlyArray<unknown>): Effect.Effect<ReadonlyArray<A>> => Effect.orDie(decode(rows))
}
const decodeContainerRows = rowsDecoder(ContainerRow)
const decodeContainerHeads = rowsDecoder(ContainerHead)
const decodeNamespaceRows = rowsDecoder(NamespaceRow)
const decodeNamespaceHeads = rowsDecoder(NamespaceHead)
const decodeDocuments = rowsDecoder(StoredDocument)
const decodeWorkloadRows = rowsDecoder(WorkloadRow)
const decodeTotals = rowsDecoder(Total)
const decodeOneContainerRow = Schema.decodeUnknown(ContainerRow)
const decodeContainerRow = (row: unknown): Effect.Effect<ContainerRow> => Effect.orDie(decodeOneContainerRow(row))

export interface Page<Row> {
  readonly count: number
  readonly rows: ReadonlyArray<Row>
}

export interface ListScope<Key extends string> {
  readonly window: DateWindow
  readonly filters: Filters
  readonly paging: Paging
  readonly sorting: Sorting<Key>
}

/** Where each filter looks, per kind of list. */
interface FilterColumns {
  readonly project: string
  readonly workload: string
  readonly workload_type: string
  /** The container column of a recommendation set, or `containers` (an array) of a workload. */
  readonly container: { readonly kind: "text" | "array"; readonly column: string }
}

const containerColumns: FilterColumns = {
  project: "w.namespace",
  workload: "w.workload_name",
  workload_type: "w.workload_type::text",
  container: { kind: "text", column: "rs.container_name" }
}

const namespaceColumns: FilterColumns = { ...containerColumns, project: "nrs.namespace_name" }

const workloadColumns: FilterColumns = { ...containerColumns, container: { kind: "array", column: "w.containers" } }

type VariationKey = PercentColumn extends `${infer Key}_pct` ? Key : never

/** `cpu_variation_short_cost` sorts by the stored `cpu_variation_short_cost_pct`, and so on. */
const percentSort = (table: string) =>
  Object.fromEntries(percentColumns.map((column) => [column.replace(/_pct$/, ""), `${table}.${column}`])) as Record<
    VariationKey,
    string
  >

const containerSort: Record<ContainerSortKey, string> = {
  cluster: "c.cluster_alias",
  workload_type: "w.workload_type",
  workload: "w.workload_name",
  project: "w.namespace",
  container: "rs.container_name",
  last_reported: "c.last_reported_at",
  cpu_request_current: "rs.cpu_request_current",
  memory_request_current: "rs.memory_request_current",
  ...percentSort("rs")
}

const namespaceSort: Record<NamespaceSortKey, string> = {
  cluster: "c.cluster_alias",
  project: "nrs.namespace_name",
  last_reported: "c.last_reported_at",
  cpu_request_current: "nrs.cpu_request_current",
  memory_request_current: "nrs.memory_request_current",
  ...percentSort("nrs")
}

const workloadSort: Record<WorkloadSortKey, string> = {
  cluster: "c.cluster_alias",
  workload_type: "w.workload_type",
  workload: "w.workload_name",
  project: "w.namespace",
  last_reported: "c.last_reported_at",
  last_upload: "w.metrics_upload_at"
}

export class RecommendationRepo extends Effect.Service<RecommendationRepo>()("ros/api/RecommendationRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const percentList = (table: string) => sql.literal(percentColumns.map((column) => `${table}.${column}`).join(", "))

    const utcText = (column: string) =>
      sql.literal(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`)

    const anyOf = (clauses: ReadonlyArray<Fragment>) => (clauses.length === 1 ? clauses[0]! : sql.or(clauses))
    const allOf = (clauses: ReadonlyArray<Fragment>) => (clauses.length === 1 ? clauses[0]! : sql.and(clauses))

    /**
     * One text column with its three forms: substring (any), equal (any), not equal (all). As upstream, `%` and `_`
     * inside a substring value act as wildcards; they only ever widen the match within the caller's own rows.
     */
    const textFilter = (column: string, values: FilterValues): Array<Fragment> => {
      const col = sql.literal(column)
      const out: Array<Fragment> = []
      if (values.include.length > 0) out.push(anyOf(values.include.map((v) => sql`${col} ILIKE ${`%${v}%`}`)))
      if (values.exact.length > 0) out.push(anyOf(values.exact.map((v) => sql`${col} = ${v}`)))
      if (values.exclude.length > 0) out.push(allOf(values.exclude.map((v) => sql`${col} <> ${v}`)))
      return out
    }

    /** A UUID matches the cluster's UUID (equal even in the substring form), anything else its alias. */
    const clusterFilter = (values: FilterValues): Array<Fragment> => {
      const match = (value: string, substring: boolean) =>
        isUuid(value)
          ? sql`c.cluster_uuid = ${value}`
          : substring
            ? sql`c.cluster_alias ILIKE ${`%${value}%`}`
            : sql`c.cluster_alias = ${value}`
      const out: Array<Fragment> = []
      if (values.include.length > 0) out.push(anyOf(values.include.map((v) => match(v, true))))
      if (values.exact.length > 0) out.push(anyOf(values.exact.map((v) => match(v, false))))
      if (values.exclude.length > 0) {
        out.push(
          allOf(values.exclude.map((v) => (isUuid(v) ? sql`c.cluster_uuid <> ${v}` : sql`c.cluster_alias <> ${v}`)))
        )
      }
      return out
    }

    const containerArrayFilter = (column: string, values: FilterValues): Array<Fragment> => {
      const col = sql.literal(column)
      const out: Array<Fragment> = []
      if (values.include.length > 0) {
        out.push(
          anyOf(
            values.include.map((v) => sql`EXISTS (SELECT 1 FROM unnest(${col}) AS name WHERE name ILIKE ${`%${v}%`})`)
          )
        )
      }
      if (values.exact.length > 0) out.push(anyOf(values.exact.map((v) => sql`${v} = ANY (${col})`)))
      if (values.exclude.length > 0) {
        out.push(allOf(values.exclude.map((v) => sql`NOT coalesce(${v} = ANY (${col}), false)`)))
      }
      return out
    }

    const filterClauses = (filters: Filters, columns: FilterColumns): Array<Fragment> =>
      (Object.entries(filters) as Array<[FilterName, FilterValues]>).flatMap(([name, values]) => {
        switch (name) {
          case "cluster":
            return clusterFilter(values)
          case "container":
            return columns.container.kind === "text"
              ? textFilter(columns.container.column, values)
              : containerArrayFilter(columns.container.column, values)
          default:
            return textFilter(columns[name], values)
        }
      })

    /**
     * The tenant twice over: the row's own org_id and its cluster's account (upstream joins rh_accounts). A subquery
     * rather than a join keeps the planner's work per request small.
     */
    const tenantClauses = (orgId: string, orgColumn: string): Array<Fragment> => [
      sql`${sql.literal(orgColumn)} = ${orgId}`,
      sql`c.tenant_id = (SELECT id FROM rh_accounts WHERE org_id = ${orgId})`
    ]

    const scopeClauses = (access: AccessScope, projectColumn: string): Array<Fragment> => [
      ...(access.clusters === "*" ? [] : [sql`c.cluster_uuid = ANY (${access.clusters}::text[])`]),
      ...(access.projects === "*" ? [] : [sql`${sql.literal(projectColumn)} = ANY (${access.projects}::text[])`])
    ]

    const windowClauses = (window: DateWindow, column: string): Array<Fragment> => {
      const col = sql.literal(column)
      return [
        ...(window.from === undefined ? [] : [sql`${col} >= ${window.from}`]),
        ...(window.until === undefined ? [] : [sql`${col} < ${window.until}`])
      ]
    }

    const orderBy = (column: string, descending: boolean, tieBreaker: string) =>
      sql.literal(`${column} ${descending ? "DESC NULLS LAST" : "ASC"}, ${tieBreaker} ASC`)

    const pageClause = (paging: Paging) =>
      paging.limit < 0 ? sql`OFFSET ${paging.offset}` : sql`LIMIT ${paging.limit} OFFSET ${paging.offset}`

    /**
     * Rows of the page and the count of all matching rows. `select` pages narrow rows (ids and sort keys) in a CTE
     * with the count as a window, then reads the wide ones (the JSON) for the page only; the count is asked apart
     * only when the page is empty.
     */
    const paged = <A>(
      decodeRows: (rows: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<A>>,
      select: Effect.Effect<ReadonlyArray<unknown>, SqlError>,
      count: Effect.Effect<ReadonlyArray<unknown>, SqlError>
    ) =>
      Effect.gen(function* () {
        const rows = yield* select
        const first = rows[0]
        const totalRows = first === undefined ? yield* count : [first]
        const total = yield* decodeTotals(totalRows)
        return { count: total[0]?.total_count ?? 0, rows: yield* decodeRows(rows) } satisfies Page<A>
      })

    /**
     * A page of container or namespace recommendation sets (`table`: their alias), with `own` columns besides the
     * cluster's. The page is cut on raw columns; only its rows are formatted (to_char over every matching row cost
     * more than the sort and the count together).
     */
    const pageOfSets = <A>(
      decodeRows: (rows: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<A>>,
      page: {
        readonly table: "rs" | "nrs"
        readonly own: ReadonlyArray<readonly [expression: string, name: string]>
        readonly from: Fragment
        readonly where: Fragment
        readonly sortColumn: string
        readonly descending: boolean
        readonly paging: Paging
      }
    ) => {
      const { table, from, where } = page
      const inner = sql.literal(page.own.map(([expression, name]) => `${expression} AS ${name}`).join(", "))
      const outer = sql.literal(page.own.map(([, name]) => `p.${name}`).join(", "))
      const order = orderBy(page.sortColumn, page.descending, `${table}.id`)
      return paged(
        decodeRows,
        sql`SELECT p.id::text AS id, ${utcText("p.updated_at")} AS version, ${outer}, p.source_id, p.cluster_uuid,
                   p.cluster_alias, ${utcText("p.last_reported_at")} AS last_reported, ${percentList("p")},
                   p.total_count
            FROM (
              SELECT ${sql.literal(`${table}.id, ${table}.updated_at`)}, ${inner}, c.source_id, c.cluster_uuid,
                     c.cluster_alias, c.last_reported_at, ${percentList(table)},
                     ${sql.literal(page.sortColumn)} AS sort_key, count(*) OVER () AS total_count
              ${from} WHERE ${where} ORDER BY ${order} ${pageClause(page.paging)}
            ) p
            ORDER BY ${orderBy("p.sort_key", page.descending, "p.id")}`,
        sql`SELECT count(*) AS total_count ${from} WHERE ${where}`
      )
    }

    // ---- container recommendation sets ----

    /** Every column of a container row but the JSON: what a page is sorted and counted with. */
    const containerHead = sql`
      rs.id::text AS id, ${utcText("rs.updated_at")} AS version, rs.container_name AS container, w.namespace AS project,
      w.workload_name AS workload, w.workload_type::text AS workload_type, c.source_id, c.cluster_uuid,
      c.cluster_alias, ${utcText("c.last_reported_at")} AS last_reported,
      ${percentList("rs")}`

    const containerSelect = sql`SELECT ${containerHead}, rs.recommendations`

    const containerFrom = sql`
      FROM recommendation_sets rs
      JOIN workloads w ON w.id = rs.workload_id
      JOIN clusters c ON c.id = w.cluster_id`

    const containerWhere = (orgId: string, access: AccessScope, extra: ReadonlyArray<Fragment>) =>
      sql.and([...tenantClauses(orgId, "w.org_id"), ...scopeClauses(access, "w.namespace"), ...extra])

    const containerListWhere = (orgId: string, access: AccessScope, scope: ListScope<ContainerSortKey>) =>
      containerWhere(orgId, access, [
        ...windowClauses(scope.window, "rs.monitoring_end_time"),
        ...filterClauses(scope.filters, containerColumns)
      ])

    const containerOrder = (scope: ListScope<ContainerSortKey>) =>
      orderBy(containerSort[scope.sorting.key], scope.sorting.descending, "rs.id")

    const listContainers = Effect.fn("RecommendationRepo.listContainers")(function* (
      orgId: string,
      access: AccessScope,
      scope: ListScope<ContainerSortKey>
    ) {
      return yield* pageOfSets(decodeContainerHeads, {
        table: "rs",
        own: [
          ["rs.container_name", "container"],
          ["w.namespace", "project"],
          ["w.workload_name", "workload"],
          ["w.workload_type::text", "workload_type"]
        ],
        from: containerFrom,
        where: containerListWhere(orgId, access, scope),
        sortColumn: containerSort[scope.sorting.key],
        descending: scope.sorting.descending,
        paging: scope.paging
      })
    })

    /** The rows of a CSV export, read through a cursor: at most `limit` rows from the scope's offset. */
    const streamContainers = (
      orgId: string,
      access: AccessScope,
      scope: ListScope<ContainerSortKey>,
      limit: number
    ): Stream.Stream<ContainerRow, SqlError> => {
      return sql`${containerSelect} ${containerFrom} WHERE ${containerListWhere(orgId, access, scope)}
                 ORDER BY ${containerOrder(scope)} LIMIT ${limit} OFFSET ${scope.paging.offset}`.stream.pipe(
        Stream.mapEffect((row) => decodeContainerRow(row))
      )
    }

    const findContainer = Effect.fn("RecommendationRepo.findContainer")(function* (
      orgId: string,
      access: AccessScope,
      id: string
    ) {
      const rows = yield* sql`${containerSelect} ${containerFrom}
        WHERE ${containerWhere(orgId, access, [sql`rs.id = ${id}::uuid`])}`
      return Option.fromNullable((yield* decodeContainerRows(rows))[0])
    })

    /** The JSON of these container sets: ids of a page the caller may see, scoped to its org all the same. */
    const containerDocuments = Effect.fn("RecommendationRepo.containerDocuments")(function* (
      orgId: string,
      ids: ReadonlyArray<string>
    ) {
      const rows = yield* sql`
        SELECT rs.id::text AS id, ${utcText("rs.updated_at")} AS version, rs.recommendations
        FROM recommendation_sets rs JOIN workloads w ON w.id = rs.workload_id
        WHERE rs.id = ANY (${ids}::uuid[]) AND w.org_id = ${orgId}`
      return yield* decodeDocuments(rows)
    })

    // ---- namespace (project) recommendation sets ----

    const namespaceHead = sql`
      nrs.id::text AS id, ${utcText("nrs.updated_at")} AS version, nrs.namespace_name AS project, c.source_id, c.cluster_uuid,
      c.cluster_alias, ${utcText("c.last_reported_at")} AS last_reported,
      ${percentList("nrs")}`

    const namespaceSelect = sql`SELECT ${namespaceHead}, nrs.recommendations`

    const namespaceFrom = sql`
      FROM namespace_recommendation_sets nrs
      JOIN workloads w ON w.id = nrs.workload_id
      JOIN clusters c ON c.id = w.cluster_id`

    const namespaceWhere = (orgId: string, access: AccessScope, extra: ReadonlyArray<Fragment>) =>
      sql.and([
        ...tenantClauses(orgId, "nrs.org_id"),
        sql`w.org_id = ${orgId}`,
        ...scopeClauses(access, "nrs.namespace_name"),
        ...extra
      ])

    const listNamespaces = Effect.fn("RecommendationRepo.listNamespaces")(function* (
      orgId: string,
      access: AccessScope,
      scope: ListScope<NamespaceSortKey>
    ) {
      return yield* pageOfSets(decodeNamespaceHeads, {
        table: "nrs",
        own: [["nrs.namespace_name", "project"]],
        from: namespaceFrom,
        where: namespaceWhere(orgId, access, [
          ...windowClauses(scope.window, "nrs.monitoring_end_time"),
          ...filterClauses(scope.filters, namespaceColumns)
        ]),
        sortColumn: namespaceSort[scope.sorting.key],
        descending: scope.sorting.descending,
        paging: scope.paging
      })
    })

    const findNamespace = Effect.fn("RecommendationRepo.findNamespace")(function* (
      orgId: string,
      access: AccessScope,
      id: string
    ) {
      const rows = yield* sql`${namespaceSelect} ${namespaceFrom}
        WHERE ${namespaceWhere(orgId, access, [sql`nrs.id = ${id}::uuid`])}`
      return Option.fromNullable((yield* decodeNamespaceRows(rows))[0])
    })

    const namespaceDocuments = Effect.fn("RecommendationRepo.namespaceDocuments")(function* (
      orgId: string,
      ids: ReadonlyArray<string>
    ) {
      const rows = yield* sql`
        SELECT nrs.id::text AS id, ${utcText("nrs.updated_at")} AS version, nrs.recommendations
        FROM namespace_recommendation_sets nrs WHERE nrs.id = ANY (${ids}::uuid[]) AND nrs.org_id = ${orgId}`
      return yield* decodeDocuments(rows)
    })

    // ---- workloads ----

    /** The page of workloads first, then each one's recommendation summary: summaries only for the rows shown. */
    const listWorkloads = Effect.fn("RecommendationRepo.listWorkloads")(function* (
      orgId: string,
      access: AccessScope,
      scope: ListScope<WorkloadSortKey>
    ) {
      const where = sql.and([
        ...tenantClauses(orgId, "w.org_id"),
        sql`w.workload_type <> 'namespace'`,
        ...scopeClauses(access, "w.namespace"),
        ...windowClauses(scope.window, "w.metrics_upload_at"),
        ...filterClauses(scope.filters, workloadColumns)
      ])
      const order = orderBy(workloadSort[scope.sorting.key], scope.sorting.descending, "w.id")
      const from = sql`FROM workloads w JOIN clusters c ON c.id = w.cluster_id`
      return yield* paged(
        decodeWorkloadRows,
        sql`
          WITH page AS (
            SELECT w.id AS workload_id, row_number() OVER (ORDER BY ${order}) AS position,
                   count(*) OVER () AS total_count
            ${from} WHERE ${where}
            ORDER BY ${order}
            ${pageClause(scope.paging)}
          )
          SELECT w.id::text AS id, c.cluster_alias, c.cluster_uuid, c.source_id, w.namespace,
                 w.workload_type::text AS workload_type, w.workload_name AS workload, w.containers,
                 ${utcText("w.metrics_upload_at")} AS last_upload, ${utcText("c.last_reported_at")} AS last_reported,
                 coalesce(summary.items, '[]'::json) AS recommendations, page.total_count
          FROM page
          JOIN workloads w ON w.id = page.workload_id
          JOIN clusters c ON c.id = w.cluster_id
          LEFT JOIN LATERAL (
            SELECT json_agg(json_build_object(
                     'id', rs.id::text, 'container', rs.container_name,
                     'monitoring_end_time', ${utcText("rs.monitoring_end_time")},
                     'updated_at', ${utcText("rs.updated_at")}) ORDER BY rs.container_name) AS items
            FROM recommendation_sets rs WHERE rs.workload_id = w.id
          ) summary ON true
          ORDER BY page.position`,
        sql`SELECT count(*) AS total_count ${from} WHERE ${where}`
      )
    })

    return {
      listContainers,
      containerDocuments,
      streamContainers,
      findContainer,
      listNamespaces,
      namespaceDocuments,
      findNamespace,
      listWorkloads
    } as const
  })
}) {}
