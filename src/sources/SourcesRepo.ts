/**
 * Every SQL statement on the Sources API's resources (database `sources`). Source types and application
 * types are global; sources and applications are always read and written with the caller's org_id in the
 * WHERE clause, so another tenant's row is simply not found. Callers that need several statements to hold
 * together wrap them in `sql.withTransaction` (SourcesService does).
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import type { Fragment } from "@effect/sql/Statement"
import { Effect, Option, Schema } from "effect"
import type { Filter, ListQuery } from "./ListQuery.js"
import { ApplicationRow, ApplicationTypeRow, SourceRow, SourceTypeRow } from "./SourcesRows.js"

export interface Page<A> {
  readonly rows: ReadonlyArray<A>
  /** Rows matching the filters, all pages together. */
  readonly count: number
}

export interface NewSource {
  readonly name: string
  readonly uid: string
  readonly version: string | null
  readonly imported: string | null
  readonly sourceRef: string | null
  readonly appCreationWorkflow: string
  readonly availabilityStatus: string
  readonly sourceTypeId: string
}

export interface SourceChanges {
  readonly name?: string
  readonly version?: string
  readonly imported?: string
  readonly source_ref?: string
  readonly availability_status?: string
}

export interface NewApplication {
  readonly sourceId: string
  readonly applicationTypeId: string
  readonly extra: Readonly<Record<string, unknown>>
}

export interface ApplicationChanges {
  readonly extra?: Readonly<Record<string, unknown>>
  readonly availability_status?: string
  readonly availability_status_error?: string
}

/** How `findSource` locks the row inside the caller's transaction. */
export type RowLock = "none" | "share" | "update"

const Key = Schema.Struct({ orgId: Schema.String, id: Schema.String })
const CountRow = Schema.Struct({ count: Schema.Number })

/** A unique constraint refused the write (PostgreSQL SQLSTATE 23505). */
export const isUniqueViolation = (error: SqlError): boolean => {
  const cause: unknown = error.cause
  return typeof cause === "object" && cause !== null && "code" in cause && cause.code === "23505"
}

const likePattern = (value: string, prefix: string, suffix: string) =>
  `${prefix}${value.replace(/[\\%_]/g, (c) => `\\${c}`)}${suffix}`

export class SourcesRepo extends Effect.Service<SourcesRepo>()("ros/sources/SourcesRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    /**
     * The WHERE condition of one parsed filter. The column comes from a whitelist and the value was checked
     * against the column's type; values are bound, and PostgreSQL types them after the column.
     */
    const condition = (table: string, filter: Filter): Fragment => {
      const column = sql(`${table}.${filter.column}`)
      const first = filter.values[0] ?? ""
      switch (filter.operation) {
        case "eq":
          return filter.values.length > 1 ? sql`${column} IN ${sql.in(filter.values)}` : sql`${column} = ${first}`
        case "not_eq":
          return sql`${column} <> ${first}`
        case "gt":
          return sql`${column} > ${first}`
        case "gte":
          return sql`${column} >= ${first}`
        case "lt":
          return sql`${column} < ${first}`
        case "lte":
          return sql`${column} <= ${first}`
        case "nil":
          return sql`${column} IS NULL`
        case "not_nil":
          return sql`${column} IS NOT NULL`
        case "contains":
          return sql`${column} LIKE ${likePattern(first, "%", "%")}`
        case "starts_with":
          return sql`${column} LIKE ${likePattern(first, "", "%")}`
        case "ends_with":
          return sql`${column} LIKE ${likePattern(first, "%", "")}`
        case "eq_i":
          return sql`lower(${column}) = lower(${first})`
        case "not_eq_i":
          return sql`lower(${column}) <> lower(${first})`
        case "contains_i":
          return sql`${column} ILIKE ${likePattern(first, "%", "%")}`
        case "starts_with_i":
          return sql`${column} ILIKE ${likePattern(first, "", "%")}`
        case "ends_with_i":
          return sql`${column} ILIKE ${likePattern(first, "%", "")}`
      }
    }

    /** One page of `table` under `scope` and the query's filters, with the total count. */
    const page = <A, I>(
      row: Schema.Schema<A, I>,
      table: string,
      scope: ReadonlyArray<Fragment>,
      query: ListQuery
    ): Effect.Effect<Page<A>, SqlError> =>
      Effect.gen(function* () {
        const where = sql.and([...scope, ...query.filters.map((f) => condition(table, f))])
        const order = sql.csv([
          ...query.sort.map((s) => sql`${sql(`${table}.${s.column}`)} ${sql.literal(s.descending ? "DESC" : "ASC")}`),
          sql`${sql(`${table}.id`)} ASC`
        ])
        const [counted] = yield* sql`SELECT count(*)::int AS count FROM ${sql(table)} WHERE ${where}`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Array(CountRow))),
          Effect.orDie
        )
        const rows = yield* sql`SELECT ${sql(table)}.* FROM ${sql(table)} WHERE ${where}
                                ORDER BY ${order} LIMIT ${query.limit} OFFSET ${query.offset}`.pipe(
          Effect.flatMap(Schema.decodeUnknown(Schema.Array(row))),
          Effect.orDie
        )
        return { rows, count: counted?.count ?? 0 }
      })

    const byId = <A, I>(row: Schema.Schema<A, I>, table: string) =>
      SqlSchema.findOne({
        Request: Schema.String,
        Result: row,
        execute: (id) => sql`SELECT * FROM ${sql(table)} WHERE id = ${id}::bigint`
      })

    const findSourceTypeRow = byId(SourceTypeRow, "source_types")
    const findApplicationTypeRow = byId(ApplicationTypeRow, "application_types")

    const listSourceTypes = Effect.fn("SourcesRepo.listSourceTypes")(function* (query: ListQuery) {
      return yield* page(SourceTypeRow, "source_types", [], query)
    })

    const findSourceType = Effect.fn("SourcesRepo.findSourceType")(function* (id: string) {
      return yield* findSourceTypeRow(id).pipe(Effect.orDie)
    })

    const listApplicationTypes = Effect.fn("SourcesRepo.listApplicationTypes")(function* (query: ListQuery) {
      return yield* page(ApplicationTypeRow, "application_types", [], query)
    })

    const findApplicationType = Effect.fn("SourcesRepo.findApplicationType")(function* (id: string) {
      return yield* findApplicationTypeRow(id).pipe(Effect.orDie)
    })

    /** The tenant's sources; with `applicationTypeId`, only those with an application of that type. */
    const listSources = Effect.fn("SourcesRepo.listSources")(function* (
      orgId: string,
      query: ListQuery,
      applicationTypeId?: string
    ) {
      const scope = [sql`sources.org_id = ${orgId}`]
      if (applicationTypeId !== undefined) {
        scope.push(sql`EXISTS (SELECT 1 FROM applications a WHERE a.source_id = sources.id
                         AND a.org_id = ${orgId} AND a.application_type_id = ${applicationTypeId}::bigint)`)
      }
      return yield* page(SourceRow, "sources", scope, query)
    })

    const sourceQueries = {
      none: SqlSchema.findOne({
        Request: Key,
        Result: SourceRow,
        execute: ({ orgId, id }) => sql`SELECT * FROM sources WHERE id = ${id}::bigint AND org_id = ${orgId}`
      }),
      share: SqlSchema.findOne({
        Request: Key,
        Result: SourceRow,
        execute: ({ orgId, id }) => sql`SELECT * FROM sources WHERE id = ${id}::bigint AND org_id = ${orgId} FOR SHARE`
      }),
      update: SqlSchema.findOne({
        Request: Key,
        Result: SourceRow,
        execute: ({ orgId, id }) => sql`SELECT * FROM sources WHERE id = ${id}::bigint AND org_id = ${orgId} FOR UPDATE`
      })
    }

    /** The tenant's source `id`; `lock` holds it until the surrounding transaction ends. */
    const findSource = Effect.fn("SourcesRepo.findSource")(function* (orgId: string, id: string, lock: RowLock) {
      return yield* sourceQueries[lock]({ orgId, id }).pipe(Effect.orDie)
    })

    const nameTaken = Effect.fn("SourcesRepo.sourceNameTaken")(function* (
      orgId: string,
      name: string,
      exceptId?: string
    ) {
      const rows = yield* sql`SELECT 1 FROM sources WHERE org_id = ${orgId} AND name = ${name}
                              AND id <> ${exceptId ?? "0"}::bigint LIMIT 1`
      return rows.length > 0
    })

    /** None when the tenant already has a source of that name. */
    const insertSource = Effect.fn("SourcesRepo.insertSource")(function* (orgId: string, source: NewSource) {
      const rows = yield* sql`
        INSERT INTO sources (org_id, name, uid, version, imported, source_ref, app_creation_workflow,
                             availability_status, source_type_id)
        VALUES (${orgId}, ${source.name}, ${source.uid}, ${source.version}, ${source.imported}, ${source.sourceRef},
                ${source.appCreationWorkflow}, ${source.availabilityStatus}, ${source.sourceTypeId}::bigint)
        ON CONFLICT (org_id, name) DO NOTHING
        RETURNING *`
      return yield* decodeFirst(SourceRow, rows)
    })

    /** None when the source is not the tenant's; a taken name fails with the unique violation. */
    const updateSource = Effect.fn("SourcesRepo.updateSource")(function* (
      orgId: string,
      id: string,
      changes: SourceChanges
    ) {
      const set =
        Object.keys(changes).length === 0
          ? sql`updated_at = now()`
          : sql`${sql.update({ ...changes })}, updated_at = now()`
      const rows = yield* sql`UPDATE sources SET ${set} WHERE id = ${id}::bigint AND org_id = ${orgId} RETURNING *`
      return yield* decodeFirst(SourceRow, rows)
    })

    const deleteSource = Effect.fn("SourcesRepo.deleteSource")(function* (orgId: string, id: string) {
      const rows = yield* sql`DELETE FROM sources WHERE id = ${id}::bigint AND org_id = ${orgId} RETURNING *`
      return yield* decodeFirst(SourceRow, rows)
    })

    const listApplications = Effect.fn("SourcesRepo.listApplications")(function* (orgId: string, query: ListQuery) {
      return yield* page(ApplicationRow, "applications", [sql`applications.org_id = ${orgId}`], query)
    })

    const findApplicationRow = SqlSchema.findOne({
      Request: Key,
      Result: ApplicationRow,
      execute: ({ orgId, id }) => sql`SELECT * FROM applications WHERE id = ${id}::bigint AND org_id = ${orgId}`
    })

    const findApplication = Effect.fn("SourcesRepo.findApplication")(function* (orgId: string, id: string) {
      return yield* findApplicationRow({ orgId, id }).pipe(Effect.orDie)
    })

    /** None when the source already has an application of that type. */
    const insertApplication = Effect.fn("SourcesRepo.insertApplication")(function* (
      orgId: string,
      application: NewApplication
    ) {
      const rows = yield* sql`
        INSERT INTO applications (org_id, source_id, application_type_id, extra)
        VALUES (${orgId}, ${application.sourceId}::bigint, ${application.applicationTypeId}::bigint,
                ${JSON.stringify(application.extra)}::jsonb)
        ON CONFLICT (org_id, source_id, application_type_id) DO NOTHING
        RETURNING *`
      return yield* decodeFirst(ApplicationRow, rows)
    })

    const updateApplication = Effect.fn("SourcesRepo.updateApplication")(function* (
      orgId: string,
      id: string,
      changes: ApplicationChanges
    ) {
      const { extra, ...plain } = changes
      const sets = [
        ...(extra === undefined ? [] : [sql`extra = ${JSON.stringify(extra)}::jsonb`]),
        ...(Object.keys(plain).length === 0 ? [] : [sql`${sql.update(plain)}`]),
        sql`updated_at = now()`
      ]
      const rows = yield* sql`UPDATE applications SET ${sql.csv(sets)}
                              WHERE id = ${id}::bigint AND org_id = ${orgId} RETURNING *`
      return yield* decodeFirst(ApplicationRow, rows)
    })

    const deleteApplication = Effect.fn("SourcesRepo.deleteApplication")(function* (orgId: string, id: string) {
      const rows = yield* sql`DELETE FROM applications WHERE id = ${id}::bigint AND org_id = ${orgId} RETURNING *`
      return yield* decodeFirst(ApplicationRow, rows)
    })

    /** Deletes the source's applications and returns them in id order (the order of their destroy events). */
    const deleteApplicationsOfSource = Effect.fn("SourcesRepo.deleteApplicationsOfSource")(function* (
      orgId: string,
      sourceId: string
    ) {
      const rows = yield* sql`DELETE FROM applications WHERE source_id = ${sourceId}::bigint AND org_id = ${orgId}
                              RETURNING *`
      const apps = yield* Schema.decodeUnknown(Schema.Array(ApplicationRow))(rows).pipe(Effect.orDie)
      return [...apps].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1))
    })

    return {
      listSourceTypes,
      findSourceType,
      listApplicationTypes,
      findApplicationType,
      listSources,
      findSource,
      sourceNameTaken: nameTaken,
      insertSource,
      updateSource,
      deleteSource,
      listApplications,
      findApplication,
      insertApplication,
      updateApplication,
      deleteApplication,
      deleteApplicationsOfSource
    } as const
  })
}) {}

/** The first returned row, decoded; a row that does not decode is a bug in this file, hence a defect. */
const decodeFirst = <A, I>(row: Schema.Schema<A, I>, rows: ReadonlyArray<unknown>) =>
  rows.length === 0
    ? Effect.succeed(Option.none<A>())
    : Schema.decodeUnknown(row)(rows[0]).pipe(Effect.map(Option.some), Effect.orDie)
