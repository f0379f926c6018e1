/**
 * Finds the source of an upload in the Sources API, as koku does (spec C.2 step 4): the org's source whose
 * `source_ref` is the manifest's cluster_id and that has the cost-management application (koku only knows a
 * provider for such sources). The application type's id is looked up once and kept.
 *
 * A Sources API that cannot be reached, times out, or answers 5xx/429 is `SourcesUnavailable` (the caller
 * retries); any other answer it does not expect is `SourcesRejected`.
 */
import { createHash } from "node:crypto"
import { type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Effect, Option, Ref, Schema } from "effect"
import { makeIdentityHeader } from "../../schema/identity/Identity.js"
import { ApplicationTypePage, type SourceItem, SourcePage } from "../../schema/koku/CostSourceLookup.js"
import { COST_MANAGEMENT_APPLICATION_TYPE } from "../../schema/sources/ApplicationType.js"
import { type HttpTimeout, serviceClient } from "../services/Http.js"
import { KokuSettings } from "../services/Settings.js"

export class SourcesUnavailable extends Schema.TaggedError<SourcesUnavailable>()("SourcesUnavailable", {
  url: Schema.String,
  message: Schema.String,
  status: Schema.optional(Schema.Number)
}) {}

export class SourcesRejected extends Schema.TaggedError<SourcesRejected>()("SourcesRejected", {
  url: Schema.String,
  message: Schema.String,
  status: Schema.optional(Schema.Number)
}) {}

/** The source an upload belongs to, as hccm.ros.events needs it. */
export interface CostSource {
  readonly sourceId: string
  /** The source's name: hccm.ros.events' `cluster_alias`. */
  readonly name: string
  /**
   * hccm.ros.events' `provider_uuid`. koku sends its own provider's uuid; without koku's database, the source's
   * `uid` (a UUID the Sources API gives every source) plays that part.
   */
  readonly providerUuid: string
}

/** A UUID (version 5 layout) derived from `text`, for a source served without a `uid`. */
const uuidFrom = (text: string): string => {
  const hex = createHash("sha1").update(text).digest("hex")
  const variant = ((Number.parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`
}

const toCostSource = (orgId: string, item: SourceItem): CostSource => ({
  sourceId: item.id,
  name: item.name,
  providerUuid:
    item.uid === undefined || item.uid === null || item.uid === ""
      ? uuidFrom(`ros-ocp/source/${orgId}/${item.id}`)
      : item.uid
})

const isPassingStatus = (status: number) => status >= 500 || status === 429 || status === 408

export class SourcesClient extends Effect.Service<SourcesClient>()("ros/koku/SourcesClient", {
  effect: Effect.gen(function* () {
    const settings = yield* KokuSettings
    const client = yield* serviceClient(settings.sourcesApiBaseUrl)
    const prefix = settings.sourcesApiPrefix
    const costTypeId = yield* Ref.make(Option.none<string>())

    /** GET `path` and decode the JSON answer with `schema`, sorting failures into passing and permanent. */
    const getJson = <A, I>(
      path: string,
      params: Readonly<Record<string, string>>,
      schema: Schema.Schema<A, I>,
      headers: Readonly<Record<string, string>> = {}
    ) => {
      const request = HttpClientRequest.get(`${prefix}${path}`).pipe(
        HttpClientRequest.setUrlParams(params),
        HttpClientRequest.setHeaders(headers)
      )
      const url = `${settings.sourcesApiBaseUrl}${prefix}${path}`
      return client.execute(request).pipe(
        Effect.flatMap((response: HttpClientResponse.HttpClientResponse) => response.json),
        Effect.flatMap((body) => Schema.decodeUnknown(schema)(body)),
        Effect.scoped,
        Effect.catchTags({
          RequestError: (e: HttpClientError.RequestError) =>
            Effect.fail(new SourcesUnavailable({ url, message: e.message })),
          ResponseError: (e: HttpClientError.ResponseError) =>
            Effect.fail(
              isPassingStatus(e.response.status)
                ? new SourcesUnavailable({ url, message: e.message, status: e.response.status })
                : new SourcesRejected({ url, message: e.message, status: e.response.status })
            ),
          HttpTimeout: (e: HttpTimeout) =>
            Effect.fail(new SourcesUnavailable({ url, message: `no answer within ${e.millis} ms` })),
          ParseError: (e) => Effect.fail(new SourcesRejected({ url, message: `unexpected answer: ${e.message}` }))
        })
      )
    }

    /** The cost-management application type's id (no tenancy on this route). */
    const costApplicationType = Effect.gen(function* () {
      const known = yield* Ref.get(costTypeId)
      if (Option.isSome(known)) return known.value
      const page = yield* getJson(
        "/application_types",
        { "filter[name][eq]": COST_MANAGEMENT_APPLICATION_TYPE },
        ApplicationTypePage
      )
      const match = page.data.find((type) => type.name === COST_MANAGEMENT_APPLICATION_TYPE)
      if (match === undefined) {
        // A Sources API not seeded yet: retried, like an unreachable one, rather than failing every upload.
        return yield* new SourcesUnavailable({
          url: `${settings.sourcesApiBaseUrl}${prefix}/application_types`,
          message: `no application type named ${COST_MANAGEMENT_APPLICATION_TYPE}`
        })
      }
      yield* Ref.set(costTypeId, Option.some(match.id))
      return match.id
    })

    /** The org's cost-management source for the cluster; none when the org has no such source. */
    const findCostSource = Effect.fn("SourcesClient.findCostSource")(function* (lookup: {
      readonly orgId: string
      readonly account: string
      readonly clusterId: string
    }) {
      yield* Effect.annotateCurrentSpan({ orgId: lookup.orgId, clusterId: lookup.clusterId })
      const typeId = yield* costApplicationType
      // The Sources API scopes sources by the caller's org; koku is trusted with any org, so it speaks for it.
      const identity = makeIdentityHeader({
        orgId: lookup.orgId,
        ...(lookup.account === "" ? {} : { accountNumber: lookup.account })
      })
      const page = yield* getJson(
        `/application_types/${encodeURIComponent(typeId)}/sources`,
        { "filter[source_ref]": lookup.clusterId },
        SourcePage,
        { "x-rh-identity": identity, "x-rh-sources-org-id": lookup.orgId }
      )
      const matches = page.data
        .filter((s) => s.source_ref === undefined || s.source_ref === null || s.source_ref === lookup.clusterId)
        .sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id))
      return Option.map(Option.fromNullable(matches[0]), (item) => toCostSource(lookup.orgId, item))
    })

    return { findCostSource } as const
  })
}) {}
