/**
 * The Sources API (ingress-koku-sources.md D.2): the sources-api-go subset koku, the cost-management operator
 * and ROS use, under every configured version prefix. A plain HttpRouter rather than HttpApi, because
 * upstream's wire contract is the specification here: its error documents, its `filter[...]` query syntax and
 * its seven path prefixes. Types are global and need no identity; sources and applications belong to the
 * caller's org_id (x-rh-identity), and another org's resource is a 404.
 */
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import { decodeIdentityHeader, type Identity, type InvalidIdentity } from "../../schema/identity/Identity.js"
import { ApplicationCreateRequest, ApplicationEditRequest } from "../../schema/sources/Application.js"
import { errorDocument } from "../../schema/sources/ErrorDocument.js"
import { SourceCreateRequest, SourceEditRequest } from "../../schema/sources/Source.js"
import { ResourceNotFound, ValidationFailed } from "../../schema/sources/SourcesFailure.js"
import { metricsResponse } from "../services/Metrics.js"
import { requestText } from "../services/RequestBody.js"
import { SourcesSettings } from "../services/Settings.js"
import { type Columns, collectionLinks, type InvalidListQuery, type ListQuery, parseListQuery } from "./ListQuery.js"
import { applicationResponse, applicationTypeResponse, sourceResponse, sourceTypeResponse } from "./ResourceViews.js"
import type { Page } from "./SourcesRepo.js"
import { SourcesRepo } from "./SourcesRepo.js"
import { applicationColumns, applicationTypeColumns, sourceColumns, sourceTypeColumns } from "./SourcesRows.js"
import { SourcesService } from "./SourcesService.js"

/** A body that cannot be read: too large (413) or not JSON (400). */
class BodyRejected extends Schema.TaggedError<BodyRejected>()("BodyRejected", {
  status: Schema.Literal(400, 413),
  reason: Schema.String
}) {}

type Failure = ResourceNotFound | ValidationFailed | InvalidListQuery | InvalidIdentity | BodyRejected | SqlError

const json = (body: unknown, status = 200) =>
  HttpServerResponse.text(JSON.stringify(body), { status, contentType: "application/json" })

const failureResponse = (failure: Failure) =>
  Effect.gen(function* () {
    switch (failure._tag) {
      case "ResourceNotFound":
        return json(errorDocument(failure.message, 404), 404)
      case "ValidationFailed":
      case "InvalidListQuery":
        return json(errorDocument(failure.message, 400), 400)
      case "InvalidIdentity":
        return json(errorDocument(`Unauthorized: ${failure.message}`, 401), 401)
      case "BodyRejected":
        return json(errorDocument(failure.reason, failure.status), failure.status)
      case "SqlError":
        // The database is down or overloaded: worth retrying, never the client's fault.
        yield* Effect.logWarning("sources request failed on the database", failure.message)
        return json(errorDocument("Service Unavailable: the sources database did not answer", 503), 503)
    }
  })

/** Answers every expected failure with its error document; nothing a client sends leads to a 500. */
const respond = <R>(handler: Effect.Effect<HttpServerResponse.HttpServerResponse, Failure, R>) =>
  Effect.catchAll(handler, failureResponse)

const request = HttpServerRequest.HttpServerRequest

/** The caller's identity; a missing or malformed x-rh-identity is a 401. */
const identity: Effect.Effect<Identity, InvalidIdentity, HttpServerRequest.HttpServerRequest> = Effect.flatMap(
  request,
  (req) => decodeIdentityHeader(req.headers["x-rh-identity"])
)

/** The URL as the client sent it (a prefixed router sees `url` without its prefix). */
const urlOf = (req: HttpServerRequest.HttpServerRequest) => new URL(req.originalUrl, "http://sources")

const MAX_ID = 9223372036854775807n

/** The resource, or a 404 naming its kind. */
const found =
  (resource: ResourceNotFound["resource"]) =>
  <A>(option: Option.Option<A>): Effect.Effect<A, ResourceNotFound> =>
    Option.match(option, {
      onNone: () => Effect.fail(new ResourceNotFound({ resource })),
      onSome: (a) => Effect.succeed(a)
    })

const isAbsolute = (path: string): path is `/${string}` => path.startsWith("/")

/** A path id, checked as sources-api-go's IdValidation does. */
const pathId = (name: string) =>
  Effect.flatMap(HttpRouter.params, (params) => {
    const raw = params[name] ?? ""
    const fail = (reason: string) => Effect.fail(new ValidationFailed({ field: name, reason }))
    if (!/^\d+$/.test(raw)) return fail("the provided ID must be a greater than zero, positive number")
    const n = BigInt(raw)
    if (n > MAX_ID) return fail(`could not parse the provided ID: ${raw} is out of range`)
    if (n === 0n) return fail("the provided ID must be greater than zero")
    return Effect.succeed(n.toString())
  })

/** A JSON body decoded with `schema`; a decoding failure names the field at fault. */
const decodeBody = (maxBytes: number) => {
  const tooLarge = new BodyRejected({ status: 413, reason: `request body exceeds ${maxBytes} bytes` })
  return <A, I>(schema: Schema.Schema<A, I>) =>
    Effect.gen(function* () {
      const text = yield* requestText(maxBytes).pipe(
        Effect.catchTags({
          RequestBodyTooLarge: () => tooLarge,
          RequestBodyUnreadable: (e) =>
            new BodyRejected({ status: 400, reason: `the request body could not be read: ${e.message}` })
        })
      )
      const parsed = yield* Either.try({
        try: (): unknown => JSON.parse(text),
        catch: (e) =>
          new BodyRejected({
            status: 400,
            reason: `Validation failed: the request body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`
          })
      })
      return yield* Schema.decodeUnknown(schema, { errors: "all", onExcessProperty: "ignore" })(parsed).pipe(
        Effect.mapError((error) => {
          const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
          const field = issues[0]?.path.map(String).join(".") ?? ""
          return new ValidationFailed({
            field: field === "" ? "body" : field,
            reason: issues.map((i) => `${i.path.length === 0 ? "body" : i.path.join(".")}: ${i.message}`).join("; ")
          })
        })
      )
    })
}

const makeRoutes = Effect.gen(function* () {
  const settings = yield* SourcesSettings
  const repo = yield* SourcesRepo
  const service = yield* SourcesService
  const body = decodeBody(settings.maxBodyBytes)

  /** A list request: parses the query against `columns`, loads the page, wraps it in upstream's envelope. */
  const list = <Row, Out>(
    columns: Columns,
    load: (query: ListQuery) => Effect.Effect<Page<Row>, Failure>,
    render: (row: Row) => Out
  ) =>
    Effect.gen(function* () {
      const req = yield* request
      const url = urlOf(req)
      const params = [...url.searchParams.entries()]
      const query = yield* parseListQuery(params, columns, settings.defaultLimit)
      const page = yield* load(query)
      return json({
        data: page.rows.map((row) => render(row)),
        meta: { count: page.count, limit: query.limit, offset: query.offset },
        links: collectionLinks(url.pathname, params, query.limit, query.offset)
      })
    })

  const listSourceTypes = list(sourceTypeColumns, (q) => repo.listSourceTypes(q), sourceTypeResponse)

  const getSourceType = Effect.gen(function* () {
    const id = yield* pathId("id")
    const row = yield* repo.findSourceType(id).pipe(Effect.flatMap(found("source type")))
    return json(sourceTypeResponse(row))
  })

  const listApplicationTypes = list(
    applicationTypeColumns,
    (q) => repo.listApplicationTypes(q),
    applicationTypeResponse
  )

  const getApplicationType = Effect.gen(function* () {
    const id = yield* pathId("id")
    const row = yield* repo.findApplicationType(id).pipe(Effect.flatMap(found("application type")))
    return json(applicationTypeResponse(row))
  })

  /** koku: "is this source a cost source?" — the tenant's sources having an application of the type. */
  const listApplicationTypeSources = Effect.gen(function* () {
    const caller = yield* identity
    const typeId = yield* pathId("application_type_id")
    yield* repo.findApplicationType(typeId).pipe(Effect.flatMap(found("application type")))
    return yield* list(sourceColumns, (q) => repo.listSources(caller.orgId, q, typeId), sourceResponse)
  })

  const listSources = Effect.gen(function* () {
    const caller = yield* identity
    return yield* list(sourceColumns, (q) => repo.listSources(caller.orgId, q), sourceResponse)
  })

  const getSource = Effect.gen(function* () {
    const caller = yield* identity
    const id = yield* pathId("id")
    const row = yield* repo.findSource(caller.orgId, id, "none").pipe(Effect.flatMap(found("source")))
    return json(sourceResponse(row))
  })

  const createSource = Effect.gen(function* () {
    const caller = yield* identity
    const input = yield* body(SourceCreateRequest)
    return json(sourceResponse(yield* service.createSource(caller, input)), 201)
  })

  const patchSource = Effect.gen(function* () {
    const caller = yield* identity
    const id = yield* pathId("id")
    const input = yield* body(SourceEditRequest)
    return json(sourceResponse(yield* service.patchSource(caller, id, input)))
  })

  const deleteSource = Effect.gen(function* () {
    const caller = yield* identity
    const id = yield* pathId("id")
    yield* service.deleteSource(caller, id)
    return HttpServerResponse.empty({ status: 204 })
  })

  const listApplications = Effect.gen(function* () {
    const caller = yield* identity
    return yield* list(applicationColumns, (q) => repo.listApplications(caller.orgId, q), applicationResponse)
  })

  const getApplication = Effect.gen(function* () {
    const caller = yield* identity
    const id = yield* pathId("id")
    const row = yield* repo.findApplication(caller.orgId, id).pipe(Effect.flatMap(found("application")))
    return json(applicationResponse(row))
  })

  const createApplication = Effect.gen(function* () {
    const caller = yield* identity
    const input = yield* body(ApplicationCreateRequest)
    return json(applicationResponse(yield* service.createApplication(caller, input)), 201)
  })

  const patchApplication = Effect.gen(function* () {
    const caller = yield* identity
    const id = yield* pathId("id")
    const input = yield* body(ApplicationEditRequest)
    return json(applicationResponse(yield* service.patchApplication(caller, id, input)))
  })

  const deleteApplication = Effect.gen(function* () {
    const caller = yield* identity
    const id = yield* pathId("id")
    yield* service.deleteApplication(caller, id)
    return HttpServerResponse.empty({ status: 204 })
  })

  const versioned = HttpRouter.empty.pipe(
    HttpRouter.get("/source_types", respond(listSourceTypes)),
    HttpRouter.get("/source_types/:id", respond(getSourceType)),
    HttpRouter.get("/application_types", respond(listApplicationTypes)),
    HttpRouter.get("/application_types/:id", respond(getApplicationType)),
    HttpRouter.get("/application_types/:application_type_id/sources", respond(listApplicationTypeSources)),
    HttpRouter.get("/sources", respond(listSources)),
    HttpRouter.post("/sources", respond(createSource)),
    HttpRouter.get("/sources/:id", respond(getSource)),
    HttpRouter.patch("/sources/:id", respond(patchSource)),
    HttpRouter.del("/sources/:id", respond(deleteSource)),
    HttpRouter.get("/applications", respond(listApplications)),
    HttpRouter.post("/applications", respond(createApplication)),
    HttpRouter.get("/applications/:id", respond(getApplication)),
    HttpRouter.patch("/applications/:id", respond(patchApplication)),
    HttpRouter.del("/applications/:id", respond(deleteApplication))
  )

  return HttpRouter.concatAll(
    HttpRouter.empty.pipe(
      HttpRouter.get("/health", Effect.succeed(HttpServerResponse.text("OK"))),
      HttpRouter.get("/metrics", metricsResponse)
    ),
    ...settings.pathPrefixes.filter(isAbsolute).map((prefix) => HttpRouter.prefixAll(versioned, prefix))
  )
})

export const SourcesRoutes = makeRoutes
