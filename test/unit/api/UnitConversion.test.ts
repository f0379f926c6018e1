/**
 * Unit conversion reproduces upstream's Go arithmetic: truncation to three decimals only past three, millicores
 * rounded half away from zero, MiB/GiB truncated to two decimals after dividing in Go's order.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  convertCpu,
  convertMemory,
  cpuFormat,
  goRound,
  memoryFormat,
  truncate3,
  truncateTo
} from "../../../src/api/UnitConversion.js"

describe("truncate3", () => {
  it("truncates toward zero only values printed with more than three decimals", () => {
    expect(truncate3(2.0345)).toBe(2.034)
    expect(truncate3(-94.12999)).toBe(-94.129)
    expect(truncate3(1.005)).toBe(1.005)
    expect(truncate3(0.1 + 0.2)).toBe(0.3)
    expect(truncate3(42)).toBe(42)
  })

  it("reads tiny values in plain form, as Go's 'f' format prints them", () => {
    // String(1e-7) is "1e-7" (no decimals to count); Go prints 0.0000001, which has seven.
    expect(truncate3(1e-7)).toBe(0)
    expect(truncate3(-0.0004)).toBe(-0)
  })
})

describe("cpu and memory conversion", () => {
  it("cores are truncated, millicores rounded half away from zero", () => {
    expect(convertCpu("cores", 1.23456)).toBe(1.234)
    expect(convertCpu("millicores", 1.23456)).toBe(1235)
    expect(convertCpu("millicores", -0.0025)).toBe(-3)
    expect(goRound(-2.5)).toBe(-3)
    expect(goRound(2.5)).toBe(3)
  })

  it("bytes stay, MiB and GiB are truncated to two decimals", () => {
    expect(convertMemory("bytes", 536870912)).toBe(536870912)
    expect(convertMemory("MiB", 536870912)).toBe(512)
    expect(convertMemory("MiB", 520800000)).toBe(496.67)
    expect(convertMemory("GiB", 1610612736)).toBe(1.5)
    expect(convertMemory("GiB", -16070912)).toBe(-0.01)
    expect(truncateTo(24.79, 1)).toBe(24.7)
  })

  it("formats are Kubernetes suffixes by default and unit names with true-units", () => {
    const k8s = { cpu: "cores", memory: "bytes", k8sFormats: true } as const
    expect([cpuFormat(k8s), memoryFormat(k8s)]).toEqual(["", "bytes"])
    expect([cpuFormat({ ...k8s, cpu: "millicores" }), memoryFormat({ ...k8s, memory: "MiB" })]).toEqual(["m", "Mi"])
    expect(memoryFormat({ ...k8s, memory: "GiB" })).toBe("Gi")
    const names = { cpu: "millicores", memory: "GiB", k8sFormats: false } as const
    expect([cpuFormat(names), memoryFormat(names)]).toEqual(["millicores", "GiB"])
  })
})
