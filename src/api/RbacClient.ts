/**
 * The RBAC service as upstream's API asks it (ros-ocp-backend.md §5.3): `GET /api/rbac/v1/access/?application=
 * cost-management&limit=100` with the caller's `x-rh-identity`, following `links.next` (a path on the same server)
 * until the last page. Any failure (unreachable, timeout, non-2xx, an answer that is not an access page) is
 * `RbacUnavailable`: the API then refuses the request rather than guess at the caller's access.
 */
import { type HttpClientError, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Effect, Schema } from "effect"
import { RbacAccessPage, type RbacPermission } from "../../schema/api/RbacAccess.js"
import { type HttpTimeout, serviceClient } from "../services/Http.js"
import { ApiSettings } from "../services/Settings.js"

export class RbacUnavailable extends Schema.TaggedError<RbacUnavailable>()("RbacUnavailable", {
  url: Schema.String,
  reason: Schema.String
}) {}

export const RBAC_ACCESS_PATH = "/api/rbac/v1/access/?application=cost-management&limit=100"

/** A runaway `links.next` chain stops here: far beyond the permissions cost-management defines. */
const MAX_PAGES = 50

export class RbacClient extends Effect.Service<RbacClient>()("ros/api/RbacClient", {
  effect: Effect.gen(function* () {
    const settings = yield* ApiSettings
    const baseUrl = `${settings.rbacProtocol}://${settings.rbacHost}:${settings.rbacPort}`
    const client = yield* serviceClient(baseUrl)

    const page = (path: string, identityHeader: string) => {
      const url = `${baseUrl}${path}`
      return client
        .execute(HttpClientRequest.get(path).pipe(HttpClientRequest.setHeader("x-rh-identity", identityHeader)))
        .pipe(
          Effect.flatMap((response: HttpClientResponse.HttpClientResponse) => response.json),
          Effect.flatMap((body) => Schema.decodeUnknown(RbacAccessPage)(body)),
          Effect.scoped,
          Effect.catchTags({
            RequestError: (e: HttpClientError.RequestError) =>
              Effect.fail(new RbacUnavailable({ url, reason: e.message })),
            ResponseError: (e: HttpClientError.ResponseError) =>
              Effect.fail(new RbacUnavailable({ url, reason: `answered ${e.response.status}` })),
            HttpTimeout: (e: HttpTimeout) =>
              Effect.fail(new RbacUnavailable({ url, reason: `no answer within ${e.millis} ms` })),
            ParseError: (e) => Effect.fail(new RbacUnavailable({ url, reason: `not an access page: ${e.message}` }))
          })
        )
    }

    /** Every cost-management permission of the caller, all pages together. */
    const permissions = Effect.fn("RbacClient.permissions")(function* (identityHeader: string) {
      const all: Array<RbacPermission> = []
      let path: string | undefined = RBAC_ACCESS_PATH
      for (let pages = 0; path !== undefined; pages++) {
        if (pages === MAX_PAGES) {
          return yield* new RbacUnavailable({ url: `${baseUrl}${path}`, reason: `more than ${MAX_PAGES} pages` })
        }
        const answer: RbacAccessPage = yield* page(path, identityHeader)
        all.push(...answer.data)
        const next: string | null | undefined = answer.links?.next
        path = next === undefined || next === null || next === "" ? undefined : next.startsWith("/") ? next : `/${next}`
      }
      return all as ReadonlyArray<RbacPermission>
    })

    return { permissions } as const
  })
}) {}
