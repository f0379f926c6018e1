/**
 * Every failure the ROS REST API answers with, as tagged errors whose HTTP status is an annotation, so handlers
 * let them propagate and HttpApi writes the JSON body. Bodies keep upstream's keys (`status: "error"` and
 * `message`, ros-ocp-backend.md §5) and add what a client needs to act, such as the parameter at fault.
 *
 * Where we differ from upstream on purpose (design.md §7): a bad parameter is a 400 naming the parameter on every
 * endpoint (upstream answers many of them, and every namespace-endpoint error, with 200 `{}`).
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

const ErrorStatus = Schema.optionalWith(Schema.Literal("error"), { default: () => "error" as const })

/** A query or path parameter the endpoint cannot honour. */
export class InvalidParameter extends Schema.TaggedError<InvalidParameter>()(
  "InvalidParameter",
  {
    status: ErrorStatus,
    /** The parameter as the client wrote it, e.g. `order_by` or `filter[exact:cluster]`. */
    parameter: Schema.String,
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 400, description: "A parameter is malformed or not allowed" })
) {}

/** No recommendation with this id is visible to the caller (absent, another org's, or outside its RBAC scope). */
export class RecommendationNotFound extends Schema.TaggedError<RecommendationNotFound>()(
  "RecommendationNotFound",
  {
    status: ErrorStatus,
    message: Schema.String,
    id: Schema.String
  },
  HttpApiSchema.annotations({ status: 404, description: "No such recommendation for this caller" })
) {}

/** A missing or unreadable `x-rh-identity` header; `message` is upstream's text, `detail` says what is wrong. */
export class Unauthenticated extends Schema.TaggedError<Unauthenticated>()(
  "Unauthenticated",
  {
    message: Schema.String,
    detail: Schema.String
  },
  HttpApiSchema.annotations({ status: 401, description: "The x-rh-identity header is missing or malformed" })
) {}

/** RBAC is enabled and grants the caller no OpenShift access in cost-management. */
export class AccessDenied extends Schema.TaggedError<AccessDenied>()(
  "AccessDenied",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 403, description: "RBAC grants no OpenShift access" })
) {}

/** A representation the endpoint does not produce (CSV of project recommendations). */
export class FormatNotAcceptable extends Schema.TaggedError<FormatNotAcceptable>()(
  "FormatNotAcceptable",
  { message: Schema.String },
  HttpApiSchema.annotations({ status: 406, description: "The requested format is not available here" })
) {}

/** The database or the RBAC service did not answer; worth retrying, never the client's fault. */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()(
  "ServiceUnavailable",
  {
    status: ErrorStatus,
    message: Schema.String
  },
  HttpApiSchema.annotations({ status: 503, description: "A backing service did not answer" })
) {}

export const databaseUnavailable = () => new ServiceUnavailable({ message: "unable to fetch records from database" })

export const rbacUnavailable = () => new ServiceUnavailable({ message: "unable to check access with the RBAC service" })
