import { describe, expect, it } from "@effect/vitest"
import { declaredLengthTooLarge, ENVELOPE_BYTES, maxBodySize, maxFileSize } from "../../../src/ingress/UploadLimits.js"

const limits = { defaultMaxSize: 104857600, maxSizeMap: { qpc: 157286400 } }

describe("upload size limits", () => {
  it("uses the service's entry of INGRESS_MAXSIZEMAP, else INGRESS_DEFAULTMAXSIZE", () => {
    expect(maxFileSize(limits, "qpc")).toBe(157286400)
    expect(maxFileSize(limits, "hccm")).toBe(104857600)
  })

  it("refuses a declared body larger than the largest limit plus the multipart envelope", () => {
    expect(maxBodySize(limits)).toBe(157286400 + ENVELOPE_BYTES)
    expect(declaredLengthTooLarge(limits, String(157286400 + ENVELOPE_BYTES))).toBeUndefined()
    expect(declaredLengthTooLarge(limits, String(157286400 + ENVELOPE_BYTES + 1))).toBe(157286400 + ENVELOPE_BYTES + 1)
    expect(declaredLengthTooLarge(limits, undefined)).toBeUndefined()
    expect(declaredLengthTooLarge(limits, "lots")).toBeUndefined()
  })
})
