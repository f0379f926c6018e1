/**
 * The sources role over HTTP, against a real PostgreSQL database and the real Kafka: the seeded types, the
 * operator's and koku's calls (create, list with filters and paging, get), tenancy, the events of
 * platform.sources.event-stream byte for byte, malformed input (4xx, never 5xx), and the outbox delivering
 * what was written while Kafka was unreachable.
 */
import { SqlClient } from "@effect/sql"
import { describe, expect, layer } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Schedule, Scope } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { unusedPort } from "../../support/ports.js"
import { postChunked } from "../../support/postChunked.js"
import { databaseClient, scratchDatabaseName } from "../../support/scratchDatabase.js"
import {
  type Answer,
  call,
  EVENT_TOPIC,
  eventReader,
  type SourcesEventMessage,
  sourcesOn
} from "../../support/sourcesHarness.js"

const P = "/api/sources/v3.1"
const PREFIXES = ["v1.0", "v2.0", "v3.0", "v3.1", "v1", "v2", "v3"].map((v) => `/api/sources/${v}`)
const COST = "/insights/platform/cost-management"

const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

interface Envelope<A> {
  readonly data: ReadonlyArray<A>
  readonly meta: { readonly count: number; readonly limit: number; readonly offset: number }
  readonly links: { readonly first: string; readonly last: string }
}
interface Resource {
  readonly id: string
  readonly [key: string]: unknown
}
interface ErrorDoc {
  readonly errors: ReadonlyArray<{ readonly detail: string; readonly status: string }>
}

const envelope = (answer: Answer) => answer.body as Envelope<Resource>
const resource = (answer: Answer) => answer.body as Resource
const detail = (answer: Answer) => (answer.body as ErrorDoc).errors[0]?.detail ?? ""

/** A tenant of its own for each test, so events and rows never mix between tests. */
const tenant = () => {
  const orgId = unique("org")
  const accountNumber = unique("acct")
  return { orgId, accountNumber, identity: makeIdentityHeader({ orgId, accountNumber }) }
}

class Suite extends Context.Tag("test/SourcesSuite")<
  Suite,
  {
    readonly url: string
    readonly database: string
    readonly events: Effect.Effect.Success<typeof eventReader>
    readonly openshiftId: string
    readonly costId: string
  }
>() {}

const typeIds = (url: string) =>
  Effect.gen(function* () {
    const types = yield* call(url, "GET", `${P}/source_types?filter[name]=openshift`)
    const apps = yield* call(url, "GET", `${P}/application_types?filter[name][eq]=${COST}`)
    return { openshiftId: envelope(types).data[0]?.id ?? "", costId: envelope(apps).data[0]?.id ?? "" }
  })

const SuiteLive = Layer.scoped(
  Suite,
  Effect.gen(function* () {
    const database = yield* scratchDatabaseName("sources_test")
    const role = yield* sourcesOn(database)
    const scope = yield* role.start
    yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
    const events = yield* eventReader
    return { url: role.url, database, events, ...(yield* typeIds(role.url)) }
  })
).pipe(Layer.provide(Kafka.layer))

/** Creates a source (and optionally its cost application) for the tenant and returns them. */
const createSource = (
  url: string,
  who: ReturnType<typeof tenant>,
  fields: Record<string, unknown>
): Effect.Effect<Resource> =>
  Effect.map(call(url, "POST", `${P}/sources`, { identity: who.identity, body: fields }), (answer) => {
    expect(answer.status, answer.text).toBe(201)
    return resource(answer)
  })

describe("sources role on the real database and Kafka", () => {
  layer(SuiteLive, { excludeTestServices: true })((it) => {
    it.effect("serves the seeded types under every prefix, without an identity", () =>
      Effect.gen(function* () {
        const { url, openshiftId, costId } = yield* Suite
        expect(openshiftId).toMatch(/^\d+$/)
        expect(costId).toMatch(/^\d+$/)
        for (const prefix of PREFIXES) {
          const types = yield* call(url, "GET", `${prefix}/source_types?filter[name]=openshift`)
          expect(types.status).toBe(200)
          const openshift = envelope(types).data[0]
          expect(openshift).toMatchObject({
            id: openshiftId,
            name: "openshift",
            product_name: "Red Hat OpenShift Container Platform",
            vendor: "Red Hat"
          })
          const apps = yield* call(url, "GET", `${prefix}/application_types?filter[name][eq]=${COST}`)
          expect(envelope(apps).data).toHaveLength(1)
          expect(envelope(apps).data[0]).toMatchObject({
            id: costId,
            name: COST,
            display_name: "Cost Management"
          })
          expect(envelope(apps).data[0]?.supported_source_types).toContain("openshift")
          expect(envelope(apps).meta).toEqual({ count: 1, limit: 100, offset: 0 })
        }
        const one = yield* call(url, "GET", `${P}/source_types/${openshiftId}`)
        expect(resource(one).name).toBe("openshift")
        const missing = yield* call(url, "GET", `${P}/application_types/999999`)
        expect(missing.status).toBe(404)
        expect(missing.body).toEqual({ errors: [{ detail: "application type not found", status: "404" }] })
        const health = yield* call(url, "GET", "/health")
        expect([health.status, health.text]).toEqual([200, "OK"])
        const metrics = yield* call(url, "GET", "/metrics")
        expect(metrics.status).toBe(200)
      })
    )

    it.effect("creates sources and applications, lists them with filters and paging, and gets them", () =>
      Effect.gen(function* () {
        const { url, openshiftId, costId, events } = yield* Suite
        const who = tenant()
        const cluster = crypto.randomUUID()
        const source = yield* createSource(url, who, {
          name: "cluster one",
          source_type_id: openshiftId,
          source_ref: cluster
        })
        expect(source).toMatchObject({
          name: "cluster one",
          source_ref: cluster,
          source_type_id: openshiftId,
          app_creation_workflow: "manual_configuration",
          availability_status: "in_progress"
        })
        expect(source.id).toMatch(/^\d+$/)
        expect(source.uid).toMatch(/^[0-9a-f-]{36}$/)
        expect(source.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

        const created = yield* call(url, "POST", `${P}/applications`, {
          identity: who.identity,
          body: {
            source_id: source.id,
            application_type_id: Number(costId),
            extra: { bucket: "b", cluster_id: cluster }
          }
        })
        expect(created.status, created.text).toBe(201)
        const app = resource(created)
        expect(app).toMatchObject({
          source_id: source.id,
          application_type_id: costId,
          extra: { bucket: "b", cluster_id: cluster },
          availability_status: "in_progress"
        })

        // Upstream refuses a second source of the same name in a tenant, not a second one of the same cluster.
        const sameName = yield* call(url, "POST", `${P}/sources`, {
          identity: who.identity,
          body: { name: "cluster one", source_type_id: openshiftId }
        })
        expect(sameName.status).toBe(400)
        expect(detail(sameName)).toBe("Validation failed: name already exists in tenant")
        yield* createSource(url, who, { name: "cluster two", source_type_id: Number(openshiftId), source_ref: "c2" })
        yield* createSource(url, who, { name: "cluster three", source_type_id: openshiftId, source_ref: "c3" })
        const again = yield* call(url, "POST", `${P}/applications`, {
          identity: who.identity,
          body: { source_id: source.id, application_type_id: costId }
        })
        expect(again.status).toBe(400)
        expect(detail(again)).toContain("already has an application")

        // The operator's lookup, then koku's.
        const byCluster = yield* call(
          url,
          "GET",
          `${P}/sources?filter[source_type_id]=${openshiftId}&filter[source_ref]=${cluster}&filter[name]=cluster%20one`,
          { identity: who.identity }
        )
        expect(envelope(byCluster).data.map((s) => s.id)).toEqual([source.id])
        expect(envelope(byCluster).meta.count).toBe(1)
        const byEq = yield* call(url, "GET", `${P}/sources?filter[source_ref][eq]=${cluster}`, {
          identity: who.identity
        })
        expect(envelope(byEq).data.map((s) => s.id)).toEqual([source.id])
        const apps = yield* call(
          url,
          "GET",
          `${P}/applications?filter[source_id]=${source.id}&filter[application_type_id]=${costId}`,
          { identity: who.identity }
        )
        expect(envelope(apps).data.map((a) => a.id)).toEqual([app.id])
        const isCost = yield* call(url, "GET", `${P}/application_types/${costId}/sources?filter[id]=${source.id}`, {
          identity: who.identity
        })
        expect(envelope(isCost).data.map((s) => s.id)).toEqual([source.id])
        const allCost = yield* call(url, "GET", `${P}/application_types/${costId}/sources`, { identity: who.identity })
        expect(envelope(allCost).meta.count).toBe(1)

        // Paging over the tenant's three sources, in id order.
        const first = yield* call(url, "GET", `${P}/sources?limit=2`, { identity: who.identity })
        expect(envelope(first).meta).toEqual({ count: 3, limit: 2, offset: 0 })
        expect(envelope(first).data.map((s) => s.name)).toEqual(["cluster one", "cluster two"])
        expect(envelope(first).links).toEqual({
          first: `${P}/sources?limit=2&offset=0`,
          last: `${P}/sources?limit=2&offset=2`
        })
        const second = yield* call(url, "GET", `${P}/sources?limit=2&offset=2`, { identity: who.identity })
        expect(envelope(second).data.map((s) => s.name)).toEqual(["cluster three"])
        const sorted = yield* call(url, "GET", `${P}/sources?sort_by=name:desc&filter[name][starts_with]=cluster`, {
          identity: who.identity
        })
        expect(envelope(sorted).data.map((s) => s.name)).toEqual(["cluster two", "cluster three", "cluster one"])

        const got = yield* call(url, "GET", `${P}/sources/${source.id}`, { identity: who.identity })
        expect(got.body).toEqual(source)
        const gotApp = yield* call(url, "GET", `${P}/applications/${app.id}`, { identity: who.identity })
        expect(gotApp.body).toEqual(app)

        const raised = yield* events.forOrg(who.orgId, 4)
        expect(raised.map((e) => e.headers.event_type)).toEqual([
          "Source.create",
          "Application.create",
          "Source.create",
          "Source.create"
        ])
        expect(raised[1]?.body).toMatchObject({
          id: Number(app.id),
          source_id: Number(source.id),
          application_type_id: Number(costId),
          tenant: who.accountNumber
        })
        expect(raised.every((e) => e.key === who.orgId)).toBe(true)
      })
    )

    it.effect("keeps tenants apart: another org's source is a 404", () =>
      Effect.gen(function* () {
        const { url, openshiftId, costId } = yield* Suite
        const owner = tenant()
        const other = tenant()
        const source = yield* createSource(url, owner, { name: "mine", source_type_id: openshiftId, source_ref: "x" })
        const notFound = { errors: [{ detail: "source not found", status: "404" }] }
        const get = yield* call(url, "GET", `${P}/sources/${source.id}`, { identity: other.identity })
        expect([get.status, get.body]).toEqual([404, notFound])
        const patch = yield* call(url, "PATCH", `${P}/sources/${source.id}`, {
          identity: other.identity,
          body: { name: "theirs" }
        })
        expect([patch.status, patch.body]).toEqual([404, notFound])
        const del = yield* call(url, "DELETE", `${P}/sources/${source.id}`, { identity: other.identity })
        expect([del.status, del.body]).toEqual([404, notFound])
        const list = yield* call(url, "GET", `${P}/sources?filter[id]=${source.id}`, { identity: other.identity })
        expect(envelope(list).meta.count).toBe(0)
        const attach = yield* call(url, "POST", `${P}/applications`, {
          identity: other.identity,
          body: { source_id: source.id, application_type_id: costId }
        })
        expect([attach.status, detail(attach)]).toEqual([400, "Validation failed: source id not found"])
        // The same name is free in another tenant.
        yield* createSource(url, other, { name: "mine", source_type_id: openshiftId })
        const still = yield* call(url, "GET", `${P}/sources/${source.id}`, { identity: owner.identity })
        expect(resource(still).name).toBe("mine")
      })
    )

    it.effect("updates sources and applications and raises their update events", () =>
      Effect.gen(function* () {
        const { url, openshiftId, costId, events } = yield* Suite
        const who = tenant()
        const source = yield* createSource(url, who, { name: "before", source_type_id: openshiftId, source_ref: "r1" })
        const app = resource(
          yield* call(url, "POST", `${P}/applications`, {
            identity: who.identity,
            body: { source_id: source.id, application_type_id: costId }
          })
        )
        const patched = yield* call(url, "PATCH", `${P}/sources/${source.id}`, {
          identity: who.identity,
          body: { name: "after", availability_status: "available", uid: "ignored" }
        })
        expect(patched.status, patched.text).toBe(200)
        expect(resource(patched)).toMatchObject({ name: "after", availability_status: "available", uid: source.uid })
        const status = yield* call(url, "PATCH", `${P}/applications/${app.id}`, {
          identity: who.identity,
          body: { availability_status: "unavailable", availability_status_error: "no data yet" }
        })
        expect(resource(status)).toMatchObject({
          availability_status: "unavailable",
          availability_status_error: "no data yet"
        })
        const bad = yield* call(url, "PATCH", `${P}/applications/${app.id}`, {
          identity: who.identity,
          body: { availability_status: "sideways" }
        })
        expect(bad.status).toBe(400)
        expect(detail(bad)).toContain("availability_status")
        const raised = yield* events.forOrg(who.orgId, 4)
        expect(raised.map((e) => e.headers.event_type)).toEqual([
          "Source.create",
          "Application.create",
          "Source.update",
          "Application.update"
        ])
        expect(raised[3]?.body).toMatchObject({
          availability_status: "unavailable",
          availability_status_error: "no data yet"
        })
      })
    )

    it.effect("deleting a source raises Application.destroy then Source.destroy, as upstream sends them", () =>
      Effect.gen(function* () {
        const { url, openshiftId, costId, events } = yield* Suite
        const who = tenant()
        const cluster = crypto.randomUUID()
        const source = yield* createSource(url, who, {
          name: "doomed",
          source_type_id: openshiftId,
          source_ref: cluster
        })
        const app = resource(
          yield* call(url, "POST", `${P}/applications`, {
            identity: who.identity,
            body: { source_id: source.id, application_type_id: costId, extra: { cluster_id: cluster } }
          })
        )
        yield* events.forOrg(who.orgId, 2)
        const deleted = yield* call(url, "DELETE", `${P}/sources/${source.id}`, { identity: who.identity })
        expect([deleted.status, deleted.text]).toEqual([204, ""])
        const gone = yield* call(url, "GET", `${P}/sources/${source.id}`, { identity: who.identity })
        expect(gone.status).toBe(404)
        const appGone = yield* call(url, "GET", `${P}/applications/${app.id}`, { identity: who.identity })
        expect([appGone.status, detail(appGone)]).toEqual([404, "application not found"])

        const [appDestroyed, sourceDestroyed] = yield* events.forOrg(who.orgId, 2)
        const headers = (eventType: string) => ({
          "x-rh-sources-account-number": who.accountNumber,
          "x-rh-sources-org-id": who.orgId,
          "x-rh-identity": who.identity,
          event_type: eventType,
          encoding: "json"
        })
        // Same headers, in sources-api-go's order.
        expect(Object.entries(appDestroyed?.headers ?? {})).toEqual(Object.entries(headers("Application.destroy")))
        expect(appDestroyed?.key).toBe(who.orgId)
        const stamp = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/
        expect(appDestroyed?.body).toEqual({
          availability_status: "in_progress",
          last_checked_at: null,
          last_available_at: null,
          paused_at: null,
          id: Number(app.id),
          created_at: expect.stringMatching(stamp),
          updated_at: expect.stringMatching(stamp),
          availability_status_error: null,
          extra: { cluster_id: cluster },
          superkey_data: null,
          source_id: Number(source.id),
          application_type_id: Number(costId),
          tenant: who.accountNumber
        })
        expect(Object.entries(sourceDestroyed?.headers ?? {})).toEqual(Object.entries(headers("Source.destroy")))
        expect(sourceDestroyed?.key).toBe(who.orgId)
        expect(sourceDestroyed?.body).toEqual({
          availability_status: "in_progress",
          last_checked_at: null,
          last_available_at: null,
          paused_at: null,
          id: Number(source.id),
          created_at: expect.stringMatching(stamp),
          updated_at: expect.stringMatching(stamp),
          name: "doomed",
          uid: source.uid,
          version: null,
          imported: null,
          source_ref: cluster,
          app_creation_workflow: "manual_configuration",
          source_type_id: Number(openshiftId),
          tenant: who.accountNumber
        })

        // Deleting a lone application raises its own destroy event.
        const lone = yield* createSource(url, who, { name: "lone", source_type_id: openshiftId })
        const loneApp = resource(
          yield* call(url, "POST", `${P}/applications`, {
            identity: who.identity,
            body: { source_id: lone.id, application_type_id: costId }
          })
        )
        const removed = yield* call(url, "DELETE", `${P}/applications/${loneApp.id}`, { identity: who.identity })
        expect(removed.status).toBe(204)
        const again = yield* call(url, "DELETE", `${P}/applications/${loneApp.id}`, { identity: who.identity })
        expect(again.status).toBe(404)
        const lastEvents = yield* events.forOrg(who.orgId, 3)
        expect(lastEvents.map((e) => e.headers.event_type)).toEqual([
          "Source.create",
          "Application.create",
          "Application.destroy"
        ])
      })
    )

    it.effect("answers malformed requests with a 4xx error document, never a 5xx", () =>
      Effect.gen(function* () {
        const { url, openshiftId, costId } = yield* Suite
        const who = tenant()
        const source = yield* createSource(url, who, { name: "target", source_type_id: openshiftId })
        const b64 = (text: string) => Buffer.from(text).toString("base64")
        const cases: ReadonlyArray<{
          readonly name: string
          readonly method: string
          readonly path: string
          /** Default: the tenant's good identity; "none" sends no header. */
          readonly identity?: string
          readonly body?: unknown
          readonly status: number
          readonly detail?: RegExp
        }> = [
          {
            name: "no identity",
            method: "GET",
            path: `${P}/sources`,
            identity: "none",
            status: 401,
            detail: /missing x-rh-identity/
          },
          { name: "identity not base64", method: "GET", path: `${P}/sources`, identity: "%%%", status: 401 },
          { name: "identity not JSON", method: "GET", path: `${P}/sources`, identity: b64("hi!"), status: 401 },
          {
            name: "identity without org",
            method: "POST",
            path: `${P}/sources`,
            identity: b64(JSON.stringify({ identity: { account_number: "1" } })),
            body: { name: "n", source_type_id: openshiftId },
            status: 401,
            detail: /org_id/
          },
          {
            name: "huge identity",
            method: "GET",
            path: `${P}/sources`,
            identity: b64("x".repeat(9000)),
            status: 401
          },
          { name: "body not JSON", method: "POST", path: `${P}/sources`, body: "{nope", status: 400, detail: /JSON/ },
          { name: "body an array", method: "POST", path: `${P}/sources`, body: [1], status: 400 },
          { name: "body empty", method: "POST", path: `${P}/sources`, body: "", status: 400 },
          {
            name: "empty name",
            method: "POST",
            path: `${P}/sources`,
            body: { name: "", source_type_id: openshiftId },
            status: 400,
            detail: /name cannot be empty/
          },
          {
            name: "name not a string",
            method: "POST",
            path: `${P}/sources`,
            body: { name: 5, source_type_id: openshiftId },
            status: 400,
            detail: /^Validation failed: name: /
          },
          {
            name: "no source type",
            method: "POST",
            path: `${P}/sources`,
            body: { name: "n1" },
            status: 400,
            detail: /source type id cannot be empty/
          },
          {
            name: "source type not a number",
            method: "POST",
            path: `${P}/sources`,
            body: { name: "n2", source_type_id: "abc" },
            status: 400,
            detail: /source type id is not valid/
          },
          {
            name: "unknown source type",
            method: "POST",
            path: `${P}/sources`,
            body: { name: "n3", source_type_id: 987654 },
            status: 400,
            detail: /source type id not found/
          },
          {
            name: "bad availability status",
            method: "POST",
            path: `${P}/sources`,
            body: { name: "n4", source_type_id: openshiftId, availability_status: "meh" },
            status: 400,
            detail: /availability_status/
          },
          {
            name: "application without source",
            method: "POST",
            path: `${P}/applications`,
            body: { application_type_id: costId },
            status: 400,
            detail: /source_id/
          },
          {
            name: "application with a bad type id",
            method: "POST",
            path: `${P}/applications`,
            body: { source_id: source.id, application_type_id: "x1" },
            status: 400,
            detail: /application type id/
          },
          {
            name: "application of an unknown type",
            method: "POST",
            path: `${P}/applications`,
            body: { source_id: source.id, application_type_id: 424242 },
            status: 400,
            detail: /application type id not found/
          },
          {
            name: "extra not an object",
            method: "POST",
            path: `${P}/applications`,
            body: { source_id: source.id, application_type_id: costId, extra: "x" },
            status: 400,
            detail: /extra/
          },
          { name: "id not a number", method: "GET", path: `${P}/sources/abc`, status: 400, detail: /positive number/ },
          { name: "id zero", method: "GET", path: `${P}/sources/0`, status: 400, detail: /greater than zero/ },
          { name: "id too large", method: "GET", path: `${P}/sources/99999999999999999999`, status: 400 },
          { name: "unknown id", method: "GET", path: `${P}/sources/987654321`, status: 404 },
          { name: "unknown application", method: "PATCH", path: `${P}/applications/987654321`, body: {}, status: 404 },
          {
            name: "unknown filter",
            method: "GET",
            path: `${P}/sources?filter[password]=x`,
            status: 400,
            detail: /filter\[password\]/
          },
          { name: "bad filter value", method: "GET", path: `${P}/applications?filter[source_id]=abc`, status: 400 },
          { name: "bad limit", method: "GET", path: `${P}/sources?limit=ten`, status: 400, detail: /limit/ },
          { name: "bad offset", method: "GET", path: `${P}/sources?offset=-3`, status: 400, detail: /offset/ },
          { name: "bad sort", method: "GET", path: `${P}/sources?sort_by=nope`, status: 400, detail: /sort_by/ },
          {
            name: "patch with an empty name",
            method: "PATCH",
            path: `${P}/sources/${source.id}`,
            body: { name: "" },
            status: 400
          },
          { name: "patch not JSON", method: "PATCH", path: `${P}/sources/${source.id}`, body: "[", status: 400 },
          {
            name: "huge body",
            method: "POST",
            path: `${P}/sources`,
            body: { name: "x".repeat(2 * 1024 * 1024), source_type_id: openshiftId },
            status: 413
          },
          { name: "unknown route", method: "GET", path: `${P}/endpoints`, status: 404 }
        ]
        for (const c of cases) {
          const identity = c.identity ?? who.identity
          const answer = yield* call(url, c.method, c.path, {
            ...(identity === "none" ? {} : { identity }),
            ...(c.body === undefined ? {} : { body: c.body })
          })
          expect(answer.status, `${c.name}: ${answer.text.slice(0, 300)}`).toBe(c.status)
          expect(answer.headers.get("content-type"), c.name).toContain("application/json")
          if (c.detail !== undefined) expect(detail(answer), c.name).toMatch(c.detail)
        }
        // Without a declared length the limit holds while reading: an answer, not a dropped connection.
        const chunked = yield* postChunked(
          `${url}${P}/sources`,
          JSON.stringify({ name: "x".repeat(2 * 1024 * 1024), source_type_id: openshiftId }),
          16,
          { "x-rh-identity": who.identity }
        )
        expect(chunked.status, chunked.text.slice(0, 300)).toBe(413)
        expect(chunked.headers.connection).toBe("keep-alive")
        // None of it changed anything.
        const list = yield* call(url, "GET", `${P}/sources`, { identity: who.identity })
        expect(envelope(list).data.map((s) => s.name)).toEqual(["target"])
      })
    )
  })
})

describe("sources events while Kafka is unreachable", () => {
  layer(Kafka.layer, { excludeTestServices: true })((it) => {
    it.scoped("keeps them in the outbox and delivers them, in order, once a publisher reaches Kafka", () =>
      Effect.gen(function* () {
        const database = yield* scratchDatabaseName("sources_outbox_test")
        const deadPort = yield* unusedPort
        const cut = yield* sourcesOn(database, { KAFKA_BOOTSTRAP_SERVERS: `127.0.0.1:${deadPort}` })
        const events = yield* eventReader
        const who = tenant()

        const offline = yield* cut.start
        const { openshiftId, costId } = yield* typeIds(cut.url)
        const source = yield* createSource(cut.url, who, { name: "offline", source_type_id: openshiftId })
        const app = yield* call(cut.url, "POST", `${P}/applications`, {
          identity: who.identity,
          body: { source_id: source.id, application_type_id: costId }
        })
        expect(app.status).toBe(201)
        const deleted = yield* call(cut.url, "DELETE", `${P}/sources/${source.id}`, { identity: who.identity })
        expect(deleted.status).toBe(204)

        const waiting = yield* Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          return yield* sql<{ topic: string; event_type: string }>`
            SELECT topic, headers->>'event_type' AS event_type FROM event_outbox ORDER BY id`
        }).pipe(Effect.provide(databaseClient(database)))
        expect(waiting).toEqual(
          ["Source.create", "Application.create", "Application.destroy", "Source.destroy"].map((event_type) => ({
            topic: EVENT_TOPIC,
            event_type
          }))
        )
        expect(yield* events.drainedFor(who.orgId)).toEqual([])
        yield* Scope.close(offline, Exit.void)

        // The same database, now with Kafka reachable: the publisher drains what waited.
        const online = yield* sourcesOn(database)
        const running = yield* online.start
        yield* Effect.addFinalizer(() => Scope.close(running, Exit.void))
        const delivered: ReadonlyArray<SourcesEventMessage> = yield* events.forOrg(who.orgId, 4)
        expect(delivered.map((e) => e.headers.event_type)).toEqual([
          "Source.create",
          "Application.create",
          "Application.destroy",
          "Source.destroy"
        ])
        expect(delivered.every((e) => e.headers["x-rh-identity"] === who.identity && e.key === who.orgId)).toBe(true)
        expect(delivered[2]?.body).toMatchObject({ source_id: Number(source.id), application_type_id: Number(costId) })

        // Rows leave the outbox when the publisher's transaction commits, just after Kafka acknowledged them.
        const left = yield* Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const [row] = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM event_outbox`
          return row?.n ?? -1
        }).pipe(
          Effect.repeat({
            until: (n) => n === 0,
            schedule: Schedule.spaced("100 millis").pipe(Schedule.upTo("10 seconds"))
          }),
          Effect.provide(databaseClient(database))
        )
        expect(left).toBe(0)
      })
    )
  })
})
