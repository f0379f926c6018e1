/**
 * The `cpu-unit`, `memory-unit` and `true-units` parameters (ros-ocp-backend.md §5.4, upstream's `ParseUnitParams`),
 * with upstream's messages.
 */
import { Either } from "effect"
import { InvalidParameter } from "../../schema/api/ApiFailure.js"
import { type CpuUnit, cpuUnits, type MemoryUnit, memoryUnits, type UnitChoice } from "./UnitConversion.js"

/** Go's `strconv.ParseBool`. */
const GO_BOOLEANS: Readonly<Record<string, boolean>> = {
  "1": true,
  t: true,
  T: true,
  TRUE: true,
  true: true,
  True: true,
  "0": false,
  f: false,
  F: false,
  FALSE: false,
  false: false,
  False: false
}

export interface UnitParams {
  readonly "cpu-unit"?: string | undefined
  readonly "memory-unit"?: string | undefined
  readonly "true-units"?: string | undefined
}

export const parseUnits = (
  params: UnitParams,
  defaultMemory: MemoryUnit
): Either.Either<UnitChoice, InvalidParameter> =>
  Either.gen(function* () {
    const cpuParam = params["cpu-unit"] ?? ""
    const cpu = cpuParam === "" ? "cores" : cpuUnits.find((unit): unit is CpuUnit => unit === cpuParam)
    if (cpu === undefined) {
      return yield* Either.left(new InvalidParameter({ parameter: "cpu-unit", message: "invalid cpu unit" }))
    }
    const memoryParam = params["memory-unit"] ?? ""
    const memory =
      memoryParam === "" ? defaultMemory : memoryUnits.find((unit): unit is MemoryUnit => unit === memoryParam)
    if (memory === undefined) {
      return yield* Either.left(new InvalidParameter({ parameter: "memory-unit", message: "invalid memory unit" }))
    }
    const trueParam = params["true-units"] ?? ""
    const trueUnits = trueParam === "" ? false : GO_BOOLEANS[trueParam]
    if (trueUnits === undefined) {
      return yield* Either.left(
        new InvalidParameter({ parameter: "true-units", message: "invalid value for true-units" })
      )
    }
    return { cpu, memory, k8sFormats: !trueUnits }
  })
