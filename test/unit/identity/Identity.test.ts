/**
 * x-rh-identity decoding: every malformed form is refused with the problem named, a good header gives the
 * tenant whichever way it carries the org_id, and the raw header is kept for forwarding.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Encoding } from "effect"
import {
  decodeIdentityHeader,
  type Identity,
  type IdentityProblem,
  MAX_IDENTITY_HEADER_LENGTH,
  makeIdentityHeader
} from "../../../schema/identity/Identity.js"

const b64 = (text: string) => Encoding.encodeBase64(text)
const header = (value: unknown) => b64(JSON.stringify(value))

const problemOf = (raw: string | undefined): IdentityProblem => {
  const result = decodeIdentityHeader(raw)
  if (Either.isRight(result)) throw new Error(`expected a failure, got ${JSON.stringify(result.right)}`)
  return result.left.problem
}

const identityOf = (raw: string): Identity => {
  const result = decodeIdentityHeader(raw)
  if (Either.isLeft(result)) throw new Error(`expected an identity, got ${result.left.message}`)
  return result.right
}

describe("decodeIdentityHeader", () => {
  it("reads the ingress README test identity", () => {
    const raw = header({
      identity: { type: "User", account_number: "0000001", org_id: "000001", internal: { org_id: "000001" } }
    })
    const identity = identityOf(raw)
    expect(identity.orgId).toBe("000001")
    expect(identity.accountNumber).toBe("0000001")
    expect(identity.type).toBe("User")
    expect(identity.header).toBe(raw)
    expect(identity.isOrgAdmin).toBe(false)
  })

  it("reads the identity the on-prem gateway synthesises", () => {
    const identity = identityOf(
      header({
        org_id: "org1",
        identity: {
          org_id: "org1",
          account_number: "acct1",
          type: "User",
          user: { username: "alice", email: "a@example.com", is_org_admin: true }
        },
        entitlements: { cost_management: { is_entitled: true } }
      })
    )
    expect(identity.orgId).toBe("org1")
    expect(identity.username).toBe("alice")
    expect(identity.isOrgAdmin).toBe(true)
  })

  it("falls back to identity.internal.org_id", () => {
    expect(identityOf(header({ identity: { type: "User", internal: { org_id: "42" } } })).orgId).toBe("42")
    expect(identityOf(header({ identity: { type: "User", org_id: "", internal: { org_id: "42" } } })).orgId).toBe("42")
  })

  it("accepts a missing type and records it as User", () => {
    expect(identityOf(header({ identity: { org_id: "o" } })).type).toBe("User")
    expect(identityOf(header({ identity: { org_id: "o", type: null } })).type).toBe("User")
    expect(identityOf(header({ identity: { org_id: "o", type: "System" } })).type).toBe("System")
  })

  it("leaves a missing or empty account number out", () => {
    expect(identityOf(header({ identity: { org_id: "o" } })).accountNumber).toBeUndefined()
    expect(identityOf(header({ identity: { org_id: "o", account_number: "" } })).accountNumber).toBeUndefined()
  })

  it("ignores keys it does not read", () => {
    const identity = identityOf(
      header({ identity: { org_id: "o", system: { cn: "x" }, internal: { org_id: "o", auth_time: 12 } }, extra: [1] })
    )
    expect(identity.orgId).toBe("o")
  })

  it("refuses a missing or blank header", () => {
    expect(problemOf(undefined)).toBe("missing")
    expect(problemOf("")).toBe("missing")
    expect(problemOf("   ")).toBe("missing")
  })

  it("refuses what is not standard padded base64", () => {
    expect(problemOf("not base64!")).toBe("not_base64")
    expect(problemOf("eyJhIjoxfQ")).toBe("not_base64") // unpadded
    expect(problemOf("eyJh_Ijox-Q==")).toBe("not_base64") // URL alphabet
    expect(problemOf("e===")).toBe("not_base64")
  })

  it("refuses base64 of something that is not JSON", () => {
    expect(problemOf(b64("hello"))).toBe("not_json")
    expect(problemOf(b64('{"identity":'))).toBe("not_json")
    const failure = decodeIdentityHeader(b64("hello"))
    expect(Either.isLeft(failure) && failure.left.message).toMatch(
      /^x-rh-identity header does not contain valid JSON: /
    )
  })

  it("refuses JSON that is not an identity", () => {
    expect(problemOf(header([1, 2]))).toBe("not_an_identity")
    expect(problemOf(header(null))).toBe("not_an_identity")
    expect(problemOf(header({ entitlements: {} }))).toBe("not_an_identity")
    expect(problemOf(header({ identity: "o" }))).toBe("not_an_identity")
    expect(problemOf(header({ identity: { org_id: 12 } }))).toBe("not_an_identity")
    const failure = decodeIdentityHeader(header({ identity: { org_id: 12 } }))
    expect(Either.isLeft(failure) && failure.left.message).toContain("identity.org_id")
  })

  it("refuses an identity without an org_id", () => {
    expect(problemOf(header({ identity: { type: "User", account_number: "1" } }))).toBe("missing_org_id")
    expect(problemOf(header({ identity: { org_id: "", internal: { org_id: "  " } } }))).toBe("missing_org_id")
    // platform-go-middlewares lets an Associate through without one; every ros-ocp role needs a tenant.
    expect(problemOf(header({ identity: { type: "Associate" } }))).toBe("missing_org_id")
    const failure = decodeIdentityHeader(header({ identity: {} }))
    expect(Either.isLeft(failure) && failure.left.message).toBe("x-rh-identity header has an invalid or missing org_id")
  })

  it("refuses a huge header before decoding it", () => {
    const huge = header({ identity: { org_id: "o", padding: "x".repeat(MAX_IDENTITY_HEADER_LENGTH) } })
    expect(huge.length).toBeGreaterThan(MAX_IDENTITY_HEADER_LENGTH)
    expect(problemOf(huge)).toBe("too_large")
    expect(problemOf("A".repeat(1_000_000))).toBe("too_large")
  })

  it("round-trips makeIdentityHeader", () => {
    const identity = identityOf(makeIdentityHeader({ orgId: "org9", accountNumber: "acct9", username: "bob" }))
    expect(identity.orgId).toBe("org9")
    expect(identity.accountNumber).toBe("acct9")
    expect(identity.username).toBe("bob")
    expect(identity.type).toBe("User")
  })
})
