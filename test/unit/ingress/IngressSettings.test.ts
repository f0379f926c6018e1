import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect } from "effect"
import { IngressSettings } from "../../../src/services/Settings.js"

const read = (values: Record<string, string>) =>
  Effect.withConfigProvider(IngressSettings, ConfigProvider.fromMap(new Map(Object.entries(values))))

describe("IngressSettings", () => {
  it.effect("defaults to hccm, 100 MiB, no size map and no deny list", () =>
    Effect.gen(function* () {
      expect(yield* read({})).toEqual({
        validUploadTypes: ["hccm"],
        defaultMaxSize: 104857600,
        maxSizeMap: {},
        denyListedOrgIds: [],
        buildCommit: "notrunninginopenshift"
      })
    })
  )

  it.effect("reads lists split on commas or spaces, and upstream's size map of strings", () =>
    Effect.gen(function* () {
      const settings = yield* read({
        INGRESS_VALID_UPLOAD_TYPES: "hccm,qpc advisor",
        INGRESS_DENY_LISTED_ORGIDS: "1 2,3",
        INGRESS_MAXSIZEMAP: '{"qpc": "157286400", "hccm": 5}'
      })
      expect(settings.validUploadTypes).toEqual(["hccm", "qpc", "advisor"])
      expect(settings.denyListedOrgIds).toEqual(["1", "2", "3"])
      expect(settings.maxSizeMap).toEqual({ qpc: 157286400, hccm: 5 })
    })
  )

  it.effect("refuses a size map that is not a JSON object of positive sizes", () =>
    Effect.gen(function* () {
      for (const map of ["[1]", "{", '{"a":"x"}', '{"a":-1}']) {
        const error = yield* Effect.flip(read({ INGRESS_MAXSIZEMAP: map }))
        expect(String(error)).toContain("INGRESS_MAXSIZEMAP")
      }
    })
  )
})
