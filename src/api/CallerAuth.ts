/**
 * Who is calling a data route, and what it may see: the `x-rh-identity` header (ros-ocp-backend.md §5.2) decoded
 * into the caller's identity, whose org_id is the tenant of every query, and, with RBAC_ENABLE, the caller's scope
 * within that org (§5.3). A contract: the endpoints declare this middleware; `CallerAuthLive` implements it.
 */
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Context, Schema } from "effect"
import { AccessDenied, ServiceUnavailable, Unauthenticated } from "../../schema/api/ApiFailure.js"
import type { Identity } from "../../schema/identity/Identity.js"
import type { AccessScope } from "./AccessScope.js"

export interface Caller {
  readonly identity: Identity
  readonly access: AccessScope
}

export class CurrentCaller extends Context.Tag("ros/api/CurrentCaller")<CurrentCaller, Caller>() {}

export class CallerAuth extends HttpApiMiddleware.Tag<CallerAuth>()("ros/api/CallerAuth", {
  failure: Schema.Union(Unauthenticated, AccessDenied, ServiceUnavailable),
  provides: CurrentCaller,
  security: {
    identity: HttpApiSecurity.apiKey({ key: "x-rh-identity", in: "header" }).pipe(
      HttpApiSecurity.annotate(
        OpenApi.Description,
        "Base64 of the JSON identity document; identity.org_id is the tenant."
      )
    )
  }
}) {}
