/**
 * Registers the sample cluster in the Sources API, as a user does before the first upload: an OpenShift source
 * whose source_ref is the cluster id, with the cost-management application. A second run finds it and reuses it.
 */
import { HttpBody, HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Effect, Schema } from "effect"

const Page = Schema.Struct({ data: Schema.Array(Schema.Struct({ id: Schema.String })) })
const Created = Schema.Struct({ id: Schema.String })

const PREFIX = "/api/sources/v3.1"
export const DEMO_SOURCE_NAME = "ros-ocp demo cluster"

export const ensureDemoSource = (sourcesUrl: string, identity: string, clusterId: string) =>
  Effect.gen(function* () {
    const client = (yield* HttpClient.HttpClient).pipe(
      HttpClient.mapRequest(HttpClientRequest.prependUrl(`${sourcesUrl}${PREFIX}`)),
      HttpClient.mapRequest(HttpClientRequest.setHeader("x-rh-identity", identity)),
      HttpClient.filterStatusOk
    )
    const page = (path: string) =>
      client.get(path).pipe(Effect.flatMap(HttpClientResponse.schemaBodyJson(Page)), Effect.scoped)
    const existing = yield* page(`/sources?filter[source_ref]=${encodeURIComponent(clusterId)}`)
    if (existing.data[0] !== undefined) return existing.data[0].id
    const types = yield* page("/source_types?filter[name]=openshift")
    const apps = yield* page("/application_types?filter[name][eq]=/insights/platform/cost-management")
    const post = (path: string, body: unknown) =>
      client
        .post(path, { body: HttpBody.unsafeJson(body) })
        .pipe(Effect.flatMap(HttpClientResponse.schemaBodyJson(Created)), Effect.scoped)
    const source = yield* post("/sources", {
      name: DEMO_SOURCE_NAME,
      source_type_id: types.data[0]?.id,
      source_ref: clusterId
    })
    yield* post("/applications", { source_id: source.id, application_type_id: apps.data[0]?.id })
    return source.id
  })
