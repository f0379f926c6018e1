/**
 * The exact messages of platform.sources.event-stream: sources-api-go's headers (in its order), its key, and
 * the event JSON with integer ids, null for what is unset and `2006-01-02 15:04:05 MST` timestamps.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { decodeIdentityHeader, type Identity, makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { ApplicationEventBody, SourceEventBody } from "../../../schema/sources/SourcesEvent.js"
import { applicationEvent, recordTimestamp, sourceEvent } from "../../../src/sources/SourceEvents.js"
import type { ApplicationRow, SourceRow } from "../../../src/sources/SourcesRows.js"

const identityFor = (fields: { orgId: string; accountNumber?: string }): Identity =>
  Either.getOrThrow(decodeIdentityHeader(makeIdentityHeader(fields)))

const created = new Date("2024-03-01T12:00:05.678Z")

const source: SourceRow = {
  id: "17",
  org_id: "org1",
  name: "cluster one",
  uid: "5f0c3a8e-0000-4000-8000-000000000001",
  version: null,
  imported: null,
  source_ref: "0f6d3c4e-1111-4222-8333-444455556666",
  app_creation_workflow: "manual_configuration",
  availability_status: "in_progress",
  last_checked_at: null,
  last_available_at: null,
  paused_at: null,
  source_type_id: "1",
  created_at: created,
  updated_at: created
}

const application: ApplicationRow = {
  id: "23",
  org_id: "org1",
  source_id: "17",
  application_type_id: "2",
  extra: { bucket: "koku-bucket", cluster_id: "c1" },
  availability_status: "in_progress",
  availability_status_error: "",
  last_checked_at: null,
  last_available_at: null,
  paused_at: null,
  created_at: created,
  updated_at: created
}

describe("sources events", () => {
  it("formats timestamps as Go's record format in UTC", () => {
    expect(recordTimestamp(created)).toBe("2024-03-01 12:00:05 UTC")
    expect(recordTimestamp(new Date("2024-12-31T23:59:59+05:00"))).toBe("2024-12-31 18:59:59 UTC")
    expect(recordTimestamp(null)).toBeNull()
  })

  it("sends Application.destroy as upstream does", () => {
    const identity = identityFor({ orgId: "org1", accountNumber: "acct1" })
    const message = applicationEvent("platform.sources.event-stream", identity, "Application.destroy", application)
    expect(message.topic).toBe("platform.sources.event-stream")
    expect(message.key).toBe("org1")
    expect(Object.entries(message.headers ?? {})).toEqual([
      ["x-rh-sources-account-number", "acct1"],
      ["x-rh-sources-org-id", "org1"],
      ["x-rh-identity", identity.header],
      ["event_type", "Application.destroy"],
      ["encoding", "json"]
    ])
    expect(message.value).toBe(
      JSON.stringify({
        availability_status: "in_progress",
        last_checked_at: null,
        last_available_at: null,
        paused_at: null,
        id: 23,
        created_at: "2024-03-01 12:00:05 UTC",
        updated_at: "2024-03-01 12:00:05 UTC",
        availability_status_error: null,
        extra: { bucket: "koku-bucket", cluster_id: "c1" },
        superkey_data: null,
        source_id: 17,
        application_type_id: 2,
        tenant: "acct1"
      })
    )
    expect(Schema.decodeUnknownSync(Schema.parseJson(ApplicationEventBody))(message.value)).toMatchObject({
      id: 23,
      source_id: 17,
      application_type_id: 2
    })
  })

  it("sends Source events with every key present and no account header without an account", () => {
    const identity = identityFor({ orgId: "org2" })
    const message = sourceEvent("platform.sources.event-stream", identity, "Source.destroy", source)
    expect(message.key).toBe("org2")
    expect(message.headers).toEqual({
      "x-rh-sources-org-id": "org2",
      "x-rh-identity": identity.header,
      event_type: "Source.destroy",
      encoding: "json"
    })
    const body = Schema.decodeUnknownSync(Schema.parseJson(SourceEventBody))(message.value)
    expect(Object.keys(JSON.parse(String(message.value)))).toEqual([
      "availability_status",
      "last_checked_at",
      "last_available_at",
      "paused_at",
      "id",
      "created_at",
      "updated_at",
      "name",
      "uid",
      "version",
      "imported",
      "source_ref",
      "app_creation_workflow",
      "source_type_id",
      "tenant"
    ])
    expect(body).toMatchObject({ id: 17, source_type_id: 1, source_ref: source.source_ref, version: null, tenant: "" })
  })
})
