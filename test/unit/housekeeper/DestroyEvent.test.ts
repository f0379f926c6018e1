/**
 * Which platform.sources.event-stream messages ask the housekeeper to delete, and whose data: only an
 * Application.destroy (header) of the cost-management type, scoped to the org of the headers; a destroy that
 * cannot be read or names no org is poison; everything else is ignored.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either } from "effect"
import { decodeIdentityHeader, makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { decideDestroy, eventOrgId } from "../../../src/housekeeper/DestroyEvent.js"
import { applicationEvent } from "../../../src/sources/SourceEvents.js"
import type { ApplicationRow } from "../../../src/sources/SourcesRows.js"

const COST = 2

const application: ApplicationRow = {
  id: "23",
  org_id: "org1",
  source_id: "17",
  application_type_id: String(COST),
  extra: {},
  availability_status: "",
  availability_status_error: "",
  last_checked_at: null,
  last_available_at: null,
  paused_at: null,
  created_at: new Date("2024-03-01T12:00:05Z"),
  updated_at: new Date("2024-03-01T12:00:05Z")
}

const identity = Either.getOrThrow(decodeIdentityHeader(makeIdentityHeader({ orgId: "org1", accountNumber: "acct9" })))

/** What our Sources API publishes when the application is deleted. */
const published = (
  row: ApplicationRow = application,
  eventType: "Application.destroy" | "Application.update" = "Application.destroy"
) => {
  const message = applicationEvent("topic", identity, eventType, row)
  return { headers: message.headers ?? {}, text: String(message.value) }
}

const decide = (headers: Readonly<Record<string, string>>, text: string) => decideDestroy(COST, headers, text)

describe("decideDestroy", () => {
  it("deletes the org's data of the source for the Sources API's Application.destroy of cost management", () => {
    const { headers, text } = published()
    expect(decide(headers, text)).toEqual(
      Either.right({ _tag: "Delete", orgId: "org1", sourceId: "17", applicationId: 23 })
    )
  })

  it("takes the org from the headers, not from the body's tenant (the EBS account)", () => {
    const { headers, text } = published()
    expect(JSON.parse(text).tenant).toBe("acct9")
    const decision = Either.getOrThrow(decide(headers, text))
    expect(decision._tag === "Delete" && decision.orgId).toBe("org1")
  })

  it("falls back to the org of x-rh-identity when x-rh-sources-org-id is absent or empty", () => {
    const { headers, text } = published()
    const { "x-rh-sources-org-id": _org, ...withoutOrg } = headers
    expect(Either.getOrThrow(decide(withoutOrg, text))).toMatchObject({ _tag: "Delete", orgId: "org1" })
    expect(Either.getOrThrow(decide({ ...headers, "x-rh-sources-org-id": " " }, text))).toMatchObject({
      orgId: "org1"
    })
    expect(eventOrgId({ "x-rh-sources-org-id": "other", "x-rh-identity": identity.header })).toBe("other")
  })

  it("refuses (poison) a destroy that names no org: nothing is deleted in every org at once", () => {
    const { text } = published()
    const result = decide({ event_type: "Application.destroy" }, text)
    expect(Either.isLeft(result) && result.left._tag).toBe("PoisonMessage")
    const badIdentity = decide({ event_type: "Application.destroy", "x-rh-identity": "not base64!" }, text)
    expect(Either.isLeft(badIdentity)).toBe(true)
  })

  it("ignores another application type, even without an org", () => {
    const { headers, text } = published({ ...application, application_type_id: "5" })
    expect(Either.getOrThrow(decide(headers, text))._tag).toBe("Ignore")
    expect(Either.getOrThrow(decide({ event_type: "Application.destroy" }, text))._tag).toBe("Ignore")
  })

  it("ignores every other event type, whatever its body", () => {
    const { headers, text } = published(application, "Application.update")
    expect(Either.getOrThrow(decide(headers, text))._tag).toBe("Ignore")
    for (const eventType of ["Source.destroy", "Application.create", "application.destroy", ""]) {
      expect(Either.getOrThrow(decide({ ...headers, event_type: eventType }, "not json"))._tag).toBe("Ignore")
    }
    const { event_type: _type, ...noType } = headers
    expect(Either.getOrThrow(decide(noType, text))._tag).toBe("Ignore")
  })

  it("reads the body's keys case-insensitively, as Go does, with only the ids it acts on required", () => {
    const headers = { event_type: "Application.destroy", "x-rh-sources-org-id": "org1" }
    expect(Either.getOrThrow(decide(headers, '{"Source_id": 4, "APPLICATION_TYPE_ID": 2}'))).toEqual({
      _tag: "Delete",
      orgId: "org1",
      sourceId: "4",
      applicationId: undefined
    })
  })

  it.each([
    ["not JSON", "{", /\(body\): .*JSON/],
    ["no source_id", '{"id": 1, "application_type_id": 2}', /source_id: is missing/],
    ["a string id", '{"id": 1, "source_id": "4", "application_type_id": 2}', /source_id: Expected number/],
    ["a fractional id", '{"id": 1, "source_id": 4.5, "application_type_id": 2}', /source_id: Expected an integer/],
    ["an array", "[]", /\(body\): Expected/]
  ])("makes a destroy with %s poison, saying why", (_what, text, reason) => {
    const result = decide({ event_type: "Application.destroy", "x-rh-sources-org-id": "org1" }, text)
    expect(Either.isLeft(result) && result.left._tag).toBe("PoisonMessage")
    expect(Either.isLeft(result) && result.left.reason).toMatch(reason)
  })
})
