/**
 * What the housekeeper makes of one platform.sources.event-stream message (spec ros-ocp-backend §1.6): only an
 * `Application.destroy` (the `event_type` header) of the cost-management application type asks for a deletion;
 * everything else is ignored. Pure, so every branch is tested without a broker.
 *
 * The tenant comes from the headers, never from the body. Upstream deletes by `source_id` alone, in every org;
 * we delete only the org's clusters (a deliberate fix: a source id is only unique within one Sources API, and the
 * ROS database may hold clusters of several). The body's `tenant` is sources-api-go's external tenant, the EBS
 * account number (empty for org-only tenants), so it cannot name the org; the org is `x-rh-sources-org-id`, or
 * else the org_id of `x-rh-identity` (what koku's sources listener reads too). A destroy that names no org is
 * poison: deleting without a tenant is exactly what the fix rules out.
 */
import { Either, ParseResult, Schema } from "effect"
import { decodeIdentityHeader } from "../../schema/identity/Identity.js"
import { goKeys } from "../../schema/ros/GoJsonKeys.js"
import { EventHeader } from "../../schema/sources/SourcesEvent.js"
import { PoisonMessage } from "../services/Kafka.js"

export const APPLICATION_DESTROY = "Application.destroy"

/**
 * ROS's reading of the body: upstream's `SourcesEvent{Id, Source_id, Application_type_id, Tenant}`, keys matched
 * case-insensitively as Go does. Upstream lets a missing id become 0; here the two ids it acts on are required.
 */
export const ApplicationDestroyBody = goKeys(
  Schema.Struct({
    id: Schema.optional(Schema.Int),
    source_id: Schema.Int,
    application_type_id: Schema.Int,
    tenant: Schema.optional(Schema.NullOr(Schema.String))
  })
)
export type ApplicationDestroyBody = typeof ApplicationDestroyBody.Type

const decodeBody = Schema.decodeEither(Schema.parseJson(ApplicationDestroyBody), { errors: "all" })

/** The org's ROS data of one source: the clusters to delete. */
export interface SourceScope {
  readonly orgId: string
  /** `clusters.source_id` is text: the Sources API id in decimal, as upstream stringifies it. */
  readonly sourceId: string
}

export type DestroyDecision =
  | { readonly _tag: "Ignore"; readonly reason: string }
  | ({ readonly _tag: "Delete"; readonly applicationId: number | undefined } & SourceScope)

/** One line per problem, e.g. `source_id: is missing`. */
const describeIssues = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
    .join("; ")

const ignore = (reason: string): DestroyDecision => ({ _tag: "Ignore", reason })

const present = (value: string | undefined): string | undefined => {
  const trimmed = value?.trim() ?? ""
  return trimmed === "" ? undefined : trimmed
}

/** The org the event belongs to: the Sources API's org header, else the org of the identity it forwarded. */
export const eventOrgId = (headers: Readonly<Record<string, string>>): string | undefined =>
  present(headers[EventHeader.orgId]) ??
  Either.match(decodeIdentityHeader(headers[EventHeader.identity]), {
    onLeft: () => undefined,
    onRight: (identity) => identity.orgId
  })

/**
 * Decides what one message asks for, given the cost-management application type's id. Fails with
 * `PoisonMessage` when an `Application.destroy` cannot be read or names no org.
 */
export const decideDestroy = (
  costApplicationTypeId: number,
  headers: Readonly<Record<string, string>>,
  text: string
): Either.Either<DestroyDecision, PoisonMessage> => {
  const eventType = headers[EventHeader.eventType]
  if (eventType !== APPLICATION_DESTROY) return Either.right(ignore(`event ${JSON.stringify(eventType ?? "")}`))
  return decodeBody(text).pipe(
    Either.mapLeft(
      (e) =>
        new PoisonMessage({
          reason: `invalid Application.destroy event: ${describeIssues(e)}`
        })
    ),
    Either.flatMap((body) => {
      if (body.application_type_id !== costApplicationTypeId) {
        return Either.right(ignore(`application type ${body.application_type_id} is not cost management`))
      }
      const orgId = eventOrgId(headers)
      if (orgId === undefined) {
        return Either.left(
          new PoisonMessage({
            reason:
              "Application.destroy names no org (no x-rh-sources-org-id header, no org_id in x-rh-identity); " +
              `source ${body.source_id} left as it is`
          })
        )
      }
      return Either.right<DestroyDecision>({
        _tag: "Delete",
        orgId,
        sourceId: String(body.source_id),
        applicationId: body.id
      })
    })
  )
}
