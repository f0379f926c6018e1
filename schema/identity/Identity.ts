/**
 * The `x-rh-identity` header (ingress-koku-sources.md A.6): base64 (standard alphabet, padded) of the JSON
 * `{"identity":{...},"entitlements":{...}}` that the gateway (3scale, or Envoy on-prem) puts on every request.
 * Decoding is pure and answers a typed error naming what is wrong, so ingress, the Sources API and the ROS API
 * refuse a bad header the same way.
 *
 * Where we differ from platform-go-middlewares on purpose: an org_id is always required (every role scopes its
 * data by it, so the Associate/X509 exemption does not apply), and a missing `type` is accepted and recorded as
 * "User" (operators' hand-made identities often omit it).
 */
import { Either, Encoding, ParseResult, Schema } from "effect"

/** A real identity is well under 2 KiB; anything this long is refused before it is decoded. */
export const MAX_IDENTITY_HEADER_LENGTH = 8192

/** The tenant: every row a role stores is scoped by it. */
export const OrgId = Schema.String.pipe(Schema.brand("OrgId"))
export type OrgId = typeof OrgId.Type

// Go decodes a JSON null into an empty string, so null is accepted wherever a string is.
const Text = Schema.optional(Schema.NullOr(Schema.String))

/** The decoded JSON, as far as ros-ocp reads it; other keys are allowed and ignored. */
export const IdentityDocument = Schema.Struct({
  identity: Schema.Struct({
    account_number: Text,
    org_id: Text,
    type: Text,
    auth_type: Text,
    internal: Schema.optional(Schema.NullOr(Schema.Struct({ org_id: Text }))),
    user: Schema.optional(
      Schema.NullOr(
        Schema.Struct({
          username: Text,
          email: Text,
          is_org_admin: Schema.optional(Schema.NullOr(Schema.Boolean))
        })
      )
    )
  })
})
export type IdentityDocument = typeof IdentityDocument.Type

/** Who is calling, as every role needs it. */
export class Identity extends Schema.Class<Identity>("Identity")({
  /** `identity.org_id`, or `identity.internal.org_id` when the former is empty. */
  orgId: OrgId,
  /** The EBS account number; absent when the identity has none (it is not required). */
  accountNumber: Schema.optional(Schema.String),
  /** `identity.type`, "User" when missing. */
  type: Schema.String,
  username: Schema.optional(Schema.String),
  isOrgAdmin: Schema.Boolean,
  /** The header exactly as received, forwarded unchanged (Kafka `x-rh-identity`, `b64_identity`). */
  header: Schema.String
}) {}

export const IdentityProblem = Schema.Literal(
  "missing",
  "too_large",
  "not_base64",
  "not_json",
  "not_an_identity",
  "missing_org_id"
)
export type IdentityProblem = typeof IdentityProblem.Type

const describe: Record<IdentityProblem, (detail: string) => string> = {
  missing: () => "missing x-rh-identity header",
  too_large: () => `x-rh-identity header is longer than ${MAX_IDENTITY_HEADER_LENGTH} characters`,
  not_base64: () => "unable to b64 decode x-rh-identity header",
  not_json: (detail) => `x-rh-identity header does not contain valid JSON: ${detail}`,
  not_an_identity: (detail) => `x-rh-identity header is not an identity: ${detail}`,
  missing_org_id: () => "x-rh-identity header has an invalid or missing org_id"
}

/** Why a header is not a usable identity; `detail` adds the parser's words where there are some. */
export class InvalidIdentity extends Schema.TaggedError<InvalidIdentity>()("InvalidIdentity", {
  problem: IdentityProblem,
  detail: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return describe[this.problem](this.detail ?? "")
  }
}

const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/

const present = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim().length === 0 ? undefined : value

const decodeDocument = Schema.decodeUnknownEither(IdentityDocument, { errors: "all" })

const parseJson = (text: string): Either.Either<unknown, InvalidIdentity> =>
  Either.try({
    try: (): unknown => JSON.parse(text),
    catch: (e) => new InvalidIdentity({ problem: "not_json", detail: e instanceof Error ? e.message : String(e) })
  })

/** Decodes the raw header value (undefined when the request has none). */
export const decodeIdentityHeader = (raw: string | null | undefined): Either.Either<Identity, InvalidIdentity> => {
  const header = raw?.trim() ?? ""
  if (header.length === 0) return Either.left(new InvalidIdentity({ problem: "missing" }))
  if (header.length > MAX_IDENTITY_HEADER_LENGTH) return Either.left(new InvalidIdentity({ problem: "too_large" }))
  if (header.length % 4 !== 0 || !STANDARD_BASE64.test(header)) {
    return Either.left(new InvalidIdentity({ problem: "not_base64" }))
  }
  return Encoding.decodeBase64String(header).pipe(
    Either.mapLeft((e) => new InvalidIdentity({ problem: "not_base64", detail: e.message })),
    Either.flatMap(parseJson),
    Either.flatMap((json) =>
      decodeDocument(json).pipe(
        Either.mapLeft(
          (e) =>
            new InvalidIdentity({
              problem: "not_an_identity",
              detail: ParseResult.ArrayFormatter.formatErrorSync(e)
                .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`)
                .join("; ")
            })
        )
      )
    ),
    Either.flatMap(({ identity }) => {
      const orgId = present(identity.org_id) ?? present(identity.internal?.org_id)
      if (orgId === undefined) return Either.left(new InvalidIdentity({ problem: "missing_org_id" }))
      const accountNumber = present(identity.account_number)
      const username = present(identity.user?.username)
      return Either.right(
        new Identity({
          orgId: OrgId.make(orgId),
          type: present(identity.type) ?? "User",
          isOrgAdmin: identity.user?.is_org_admin === true,
          header,
          ...(accountNumber === undefined ? {} : { accountNumber }),
          ...(username === undefined ? {} : { username })
        })
      )
    })
  )
}

export interface IdentityFields {
  readonly orgId: string
  readonly accountNumber?: string
  readonly type?: string
  readonly username?: string
}

/**
 * A header for the given tenant, shaped like the test identity of ingress's README (org_id also under
 * `internal`): what tests send, and what a caller without a gateway can generate.
 */
export const makeIdentityHeader = (fields: IdentityFields): string =>
  Encoding.encodeBase64(
    JSON.stringify({
      identity: {
        type: fields.type ?? "User",
        ...(fields.accountNumber === undefined ? {} : { account_number: fields.accountNumber }),
        org_id: fields.orgId,
        internal: { org_id: fields.orgId },
        ...(fields.username === undefined ? {} : { user: { username: fields.username } })
      }
    })
  )
