/**
 * The identity middleware: decodes `x-rh-identity` (401 with upstream's message when it is missing or unreadable)
 * and, when RBAC_ENABLE is set, asks the RBAC service for the caller's scope (403 when it grants no OpenShift
 * access, 503 when RBAC does not answer). Without RBAC a caller sees its whole org.
 */
import { Effect, Either, Layer, Option, Redacted } from "effect"
import { AccessDenied, rbacUnavailable, Unauthenticated } from "../../schema/api/ApiFailure.js"
import { decodeIdentityHeader, type InvalidIdentity } from "../../schema/identity/Identity.js"
import { ApiSettings } from "../services/Settings.js"
import { accessScopeOf, fullAccess } from "./AccessScope.js"
import { CallerAuth } from "./CallerAuth.js"
import { RbacClient } from "./RbacClient.js"

/** Upstream's two texts: the header is not base64, or its JSON is not an identity (a missing header included). */
const unauthenticated = (error: InvalidIdentity) =>
  new Unauthenticated({
    message:
      error.problem === "not_base64" || error.problem === "too_large"
        ? "Unable to decode X-Rh-Identity"
        : "Unable to marshal X-Rh-Identity into struct",
    detail: error.message
  })

export const CallerAuthLive = Layer.effect(
  CallerAuth,
  Effect.gen(function* () {
    const settings = yield* ApiSettings
    const rbac = yield* RbacClient
    return CallerAuth.of({
      identity: (header) =>
        Effect.gen(function* () {
          const identity = yield* Either.mapLeft(decodeIdentityHeader(Redacted.value(header)), unauthenticated)
          if (!settings.rbacEnabled) return { identity, access: fullAccess }
          const permissions = yield* rbac.permissions(identity.header).pipe(
            Effect.tapError((error) => Effect.logWarning("RBAC did not answer", error.url, error.reason)),
            Effect.mapError(() => rbacUnavailable())
          )
          const access = accessScopeOf(permissions)
          if (Option.isNone(access)) return yield* new AccessDenied({ message: "User is not authorized" })
          return { identity, access: access.value }
        })
    })
  })
)
