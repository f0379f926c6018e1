/**
 * hccm.ros.events text: byte for byte what koku's Python producer writes (expected strings produced with
 * CPython's `json.dumps`), in koku's key order whatever order the object was built in, and readable back
 * through the message schema.
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { pythonJsonDumps } from "../../../schema/koku/PythonJson.js"
import { encodeRosEvent, type RosEventMessage, RosEventMessageJson } from "../../../schema/koku/RosEventMessage.js"

const message: RosEventMessage = {
  request_id: "req-1",
  b64_identity: "eyJpZCI6MX0=",
  metadata: {
    account: "no_account",
    org_id: "3340851",
    source_id: "7",
    provider_uuid: "6c2f7f4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f",
    cluster_uuid: "136212d4-b6cf-4271-b904-26dcf46a89d1",
    operator_version: "koku-metrics-operator:v4.1.0",
    cluster_alias: 'Prod "east" / café ☃ 😀\t\u007f'
  },
  files: ["http://127.0.0.1:9000/ros-data/a?X=1&Y=2"],
  object_keys: ["org3340851/source=x/date=2026-11-26/a.csv"]
}

// python3 -c 'import json; print(json.dumps(m))' for the same message.
const fromPython =
  '{"request_id": "req-1", "b64_identity": "eyJpZCI6MX0=", "metadata": {"account": "no_account", "org_id": "3340851", ' +
  '"source_id": "7", "provider_uuid": "6c2f7f4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f", "cluster_uuid": ' +
  '"136212d4-b6cf-4271-b904-26dcf46a89d1", "operator_version": "koku-metrics-operator:v4.1.0", "cluster_alias": ' +
  '"Prod \\"east\\" / caf\\u00e9 \\u2603 \\ud83d\\ude00\\t\\u007f"}, "files": ["http://127.0.0.1:9000/ros-data/a?X=1&Y=2"], ' +
  '"object_keys": ["org3340851/source=x/date=2026-11-26/a.csv"]}'

describe("hccm.ros.events encoding", () => {
  it("writes what Python's json.dumps writes", () => {
    expect(encodeRosEvent(message)).toBe(fromPython)
    expect(pythonJsonDumps({ a: [], b: {}, c: [1, 2.5, true, null] })).toBe(
      '{"a": [], "b": {}, "c": [1, 2.5, true, null]}'
    )
  })

  it("keeps koku's key order however the message was built", () => {
    const shuffled = {
      object_keys: message.object_keys,
      files: message.files,
      metadata: { ...message.metadata, account: "acct" },
      b64_identity: message.b64_identity,
      request_id: message.request_id
    }
    const text = encodeRosEvent(shuffled)
    const parsed = JSON.parse(text) as Record<string, Record<string, unknown>>
    expect(Object.keys(parsed)).toEqual(["request_id", "b64_identity", "metadata", "files", "object_keys"])
    expect(Object.keys(parsed.metadata ?? {})).toEqual([
      "account",
      "org_id",
      "source_id",
      "provider_uuid",
      "cluster_uuid",
      "operator_version",
      "cluster_alias"
    ])
  })

  it("reads back through the message schema", () => {
    expect(Schema.decodeUnknownSync(RosEventMessageJson)(fromPython)).toEqual(message)
  })

  it("refuses values JSON cannot hold", () => {
    expect(() => pythonJsonDumps(Number.NaN)).toThrow(RangeError)
  })
})
