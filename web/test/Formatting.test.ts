import { describe, expect, it } from "vitest"
import { baseAmount, formatBytes, formatCores, formatQuantity } from "../src/format/Quantity"
import { formatPercent, provisioning, variationPercent } from "../src/format/Variation"

describe("amounts and changes in words", () => {
  it("reads every unit the API answers in", () => {
    expect(baseAmount("cpu", 250, "m")).toBe(0.25)
    expect(baseAmount("cpu", 0.25, "")).toBe(0.25)
    expect(baseAmount("cpu", 0.25, "cores")).toBe(0.25)
    expect(baseAmount("memory", 512, "Mi")).toBe(512 * 2 ** 20)
    expect(baseAmount("memory", 1.5, "GiB")).toBe(1.5 * 2 ** 30)
    expect(baseAmount("memory", 1, "furlongs")).toBeUndefined()
    expect(formatQuantity("memory", undefined)).toBe("—")
  })

  it("writes cores, millicores and binary sizes", () => {
    expect(formatCores(0.205)).toBe("205m")
    expect(formatCores(1)).toBe("1 core")
    expect(formatCores(2.533)).toBe("2.53 cores")
    expect(formatBytes(512 * 2 ** 20)).toBe("512 MiB")
    expect(formatBytes(1.25 * 2 ** 30)).toBe("1.25 GiB")
  })

  it("says which way a change goes", () => {
    expect(provisioning(-59)).toBe("over")
    expect(provisioning(19.9)).toBe("under")
    expect(provisioning(0.4)).toBe("right")
    expect(formatPercent(-59.04)).toBe("−59 %")
    expect(formatPercent(19.94)).toBe("+19.9 %")
    expect(variationPercent({ amount: -12, format: "percent" })).toBe(-12)
    // Upstream's quirk: a zero limit variation keeps its unit and no amount; it is not a percentage.
    expect(variationPercent({ format: "cores" })).toBeUndefined()
  })
})
