/**
 * CPU and memory amounts in the units people read: cores or millicores, MiB or GiB. The API may answer in any of
 * its units (§5.4), so every amount is first brought back to cores or bytes using its `format`.
 */
import type { Quantity } from "../api/RecommendationTypes"

export type Resource = "cpu" | "memory"

const cpuFactor: Readonly<Record<string, number>> = { "": 1, cores: 1, m: 0.001, millicores: 0.001 }
const memoryFactor: Readonly<Record<string, number>> = {
  "": 1,
  bytes: 1,
  Mi: 2 ** 20,
  MiB: 2 ** 20,
  Gi: 2 ** 30,
  GiB: 2 ** 30
}

/** The amount in cores (cpu) or bytes (memory); undefined when absent or in an unknown unit. */
export const baseAmount = (resource: Resource, amount: number | undefined, format: string | undefined) => {
  if (amount === undefined || !Number.isFinite(amount)) return undefined
  const factor = (resource === "cpu" ? cpuFactor : memoryFactor)[format ?? ""]
  return factor === undefined ? undefined : amount * factor
}

export const quantityBase = (resource: Resource, quantity: Quantity | undefined) =>
  baseAmount(resource, quantity?.amount, quantity?.format)

const trimmed = (value: number, digits: number) => Number(value.toFixed(digits)).toString()

/** Cores as "1.5 cores" or "250m" below one core. */
export const formatCores = (cores: number): string => {
  if (cores === 0) return "0"
  if (Math.abs(cores) < 1) return `${trimmed(cores * 1000, 0)}m`
  return `${trimmed(cores, 2)} ${Math.abs(cores) === 1 ? "core" : "cores"}`
}

/** Bytes as MiB or GiB. */
export const formatBytes = (bytes: number): string => {
  if (bytes === 0) return "0"
  const gib = bytes / 2 ** 30
  if (Math.abs(gib) >= 1) return `${trimmed(gib, 2)} GiB`
  const mib = bytes / 2 ** 20
  if (Math.abs(mib) >= 1) return `${trimmed(mib, 1)} MiB`
  return `${trimmed(bytes / 1024, 1)} KiB`
}

export const formatBase = (resource: Resource, base: number | undefined): string =>
  base === undefined ? "—" : resource === "cpu" ? formatCores(base) : formatBytes(base)

export const formatQuantity = (resource: Resource, quantity: Quantity | undefined): string =>
  formatBase(resource, quantityBase(resource, quantity))
