/**
 * Unit conversion of recommendation amounts as upstream's API does it (ros-ocp-backend.md §5.6 step 2,
 * `convertCPUUnit`/`convertMemoryUnit`), reproduced to the bit: Go's truncations, its divisions in the same order,
 * and `math.Round` (half away from zero, where JavaScript's `Math.round` goes half up).
 */
import { plainDecimal } from "../../schema/kruize/RecommendationJson.js"

export const cpuUnits = ["cores", "millicores"] as const
export type CpuUnit = (typeof cpuUnits)[number]

export const memoryUnits = ["bytes", "MiB", "GiB"] as const
export type MemoryUnit = (typeof memoryUnits)[number]

/** The units a response is shown in, and whether formats are Kubernetes suffixes (the default) or unit names. */
export interface UnitChoice {
  readonly cpu: CpuUnit
  readonly memory: MemoryUnit
  readonly k8sFormats: boolean
}

const cpuSuffix: Record<CpuUnit, string> = { cores: "", millicores: "m" }
const memorySuffix: Record<MemoryUnit, string> = { bytes: "bytes", MiB: "Mi", GiB: "Gi" }

export const cpuFormat = (units: UnitChoice): string => (units.k8sFormats ? cpuSuffix[units.cpu] : units.cpu)
export const memoryFormat = (units: UnitChoice): string =>
  units.k8sFormats ? memorySuffix[units.memory] : units.memory

/** Go's `math.Round`: half away from zero. */
export const goRound = (x: number): number => (x < 0 ? -Math.round(-x) : Math.round(x))

/**
 * Upstream's `truncateToThreeDecimalPlaces`: a value printed with more than three decimals (Go's shortest 'f'
 * form, which `plainDecimal` reproduces) is truncated toward zero to three; any other value is left alone.
 */
export const truncate3 = (value: number): number => {
  const printed = plainDecimal(value)
  const dot = printed.indexOf(".")
  return dot >= 0 && printed.length - dot - 1 > 3 ? Math.trunc(value * 1000) / 1000 : value
}

/** Truncation toward zero to `digits` decimals, as `math.Trunc(v*10^d)/10^d`. */
export const truncateTo = (value: number, digits: number): number => {
  const scale = 10 ** digits
  return Math.trunc(value * scale) / scale
}

export const convertCpu = (unit: CpuUnit, cores: number): number =>
  unit === "millicores" ? goRound(cores * 1000) : truncate3(cores)

export const convertMemory = (unit: MemoryUnit, bytes: number): number => {
  switch (unit) {
    case "bytes":
      return bytes
    case "MiB":
      return Math.trunc((bytes / 1024 / 1024) * 100) / 100
    case "GiB":
      return Math.trunc((bytes / 1024 / 1024 / 1024) * 100) / 100
  }
}
