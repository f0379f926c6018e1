/**
 * A stored recommendation as the API shows it (ros-ocp-backend.md §5.6, upstream's `UpdateRecommendationJSON`), in
 * upstream's order of steps:
 * 1. lists drop the box plots;
 * 2. amounts of `current`, engine `config`/`variation` and plots are converted to the requested units, and their
 *    formats become Kubernetes suffixes (or unit names with `true-units`); an absent term start
 *    (`0001-01-01T00:00:00Z`) is removed and `duration_in_hours` truncated to one decimal;
 * 3. a `notifications` object is removed unless every code in it is an "already optimised" notice;
 * 4. variations become percentages of the current values: limits computed here, requests taken from the stored
 *    `*_pct` columns (so they match the sort order) unless none is set.
 *
 * Upstream's quirk is kept on purpose: an amount of exactly 0 was omitted when stored, so its quantity keeps its
 * stored format and is not converted (for limits; request variations come from the columns).
 */
import type {
  BoxPlot,
  CpuMemory,
  Engine,
  EngineRecommendation,
  LimitsRequests,
  Notifications,
  Plots,
  Quantity,
  RecommendationDocument,
  Term,
  TermRecommendation
} from "../../schema/api/RecommendationDocument.js"
import { ENGINES, TERMS } from "../../schema/api/RecommendationDocument.js"
import {
  convertCpu,
  convertMemory,
  cpuFormat,
  memoryFormat,
  truncate3,
  truncateTo,
  type UnitChoice
} from "./UnitConversion.js"
import {
  percentColumns as allPercentColumns,
  type PercentColumns,
  percentColumn,
  percentOf
} from "./VariationPercent.js"

export interface ViewOptions {
  readonly units: UnitChoice
  /** Lists drop box plots; the detail endpoints keep them. */
  readonly keepPlots: boolean
  /** The row's stored `*_pct` columns. */
  readonly percents: PercentColumns
}

/** Go's zero time, which the poller stores for a term without a start. */
export const ZERO_TIME = "0001-01-01T00:00:00Z"

/** CPU/memory request and limit "optimised" notices: the only notifications a client is shown. */
export const SHOWN_NOTIFICATION_CODES: ReadonlySet<string> = new Set(["323004", "323005", "324003", "324004"])

const keepNotifications = (notifications: Notifications): boolean =>
  Object.keys(notifications).every((code) => SHOWN_NOTIFICATION_CODES.has(code))

type Convert = (amount: number) => number

const convertQuantity = (quantity: Quantity, convert: Convert, format: string): Quantity =>
  quantity.amount === undefined ? quantity : { amount: convert(quantity.amount), format }

const convertCpuMemory = (section: CpuMemory, units: UnitChoice): CpuMemory => ({
  ...(section.cpu === undefined
    ? {}
    : { cpu: convertQuantity(section.cpu, (v) => convertCpu(units.cpu, v), cpuFormat(units)) }),
  ...(section.memory === undefined
    ? {}
    : { memory: convertQuantity(section.memory, (v) => convertMemory(units.memory, v), memoryFormat(units)) })
})

const convertLimitsRequests = (block: LimitsRequests, units: UnitChoice): LimitsRequests => ({
  ...(block.limits === undefined ? {} : { limits: convertCpuMemory(block.limits, units) }),
  ...(block.requests === undefined ? {} : { requests: convertCpuMemory(block.requests, units) })
})

const BOX_KEYS = ["q1", "q3", "min", "max", "median"] as const

/** Upstream writes every statistic back, a missing one as the conversion of 0. */
const convertBox = (box: BoxPlot, convert: Convert, format: string): BoxPlot => {
  const out: { -readonly [K in keyof BoxPlot]: BoxPlot[K] } = { ...box }
  if (box.format !== undefined) out.format = format
  for (const key of BOX_KEYS) out[key] = convert(box[key] ?? 0)
  return out
}

const convertPlots = (plots: Plots, units: UnitChoice): Plots => {
  if (plots.plots_data === undefined) return plots
  const data: Record<string, NonNullable<Plots["plots_data"]>[string]> = {}
  for (const [at, point] of Object.entries(plots.plots_data)) {
    data[at] = {
      ...(point.cpuUsage === undefined
        ? {}
        : { cpuUsage: convertBox(point.cpuUsage, (v) => convertCpu(units.cpu, v), cpuFormat(units)) }),
      ...(point.memoryUsage === undefined
        ? {}
        : {
            memoryUsage: convertBox(point.memoryUsage, (v) => convertMemory(units.memory, v), memoryFormat(units))
          })
    }
  }
  return { ...plots, plots_data: data }
}

interface Currents {
  readonly cpuLimit: number
  readonly memoryLimit: number
  readonly cpuRequest: number
  readonly memoryRequest: number
}

const percentQuantity = (quantity: Quantity | undefined, current: number): Quantity | undefined =>
  quantity === undefined || quantity.amount === undefined
    ? quantity
    : { amount: truncate3(percentOf(quantity.amount, current)), format: "percent" }

const storedPercent = (percent: number | null, computed: Quantity | undefined): Quantity | undefined =>
  percent === null ? computed : { amount: percent, format: "percent" }

const showEngine = (
  engine: EngineRecommendation,
  term: Term,
  name: Engine,
  options: ViewOptions,
  currents: Currents,
  useStored: boolean
): EngineRecommendation => {
  const { units, percents } = options
  const out: { -readonly [K in keyof EngineRecommendation]: EngineRecommendation[K] } = {}
  if (engine.config !== undefined) out.config = convertLimitsRequests(engine.config, units)
  if (engine.notifications !== undefined) {
    if (engine.notifications === null || keepNotifications(engine.notifications)) {
      out.notifications = engine.notifications
    }
  }
  if (engine.variation !== undefined) {
    const converted = convertLimitsRequests(engine.variation, units)
    const variation: { -readonly [K in keyof LimitsRequests]: LimitsRequests[K] } = {}
    if (converted.limits !== undefined) {
      const cpu = percentQuantity(converted.limits.cpu, currents.cpuLimit)
      const memory = percentQuantity(converted.limits.memory, currents.memoryLimit)
      variation.limits = { ...(cpu === undefined ? {} : { cpu }), ...(memory === undefined ? {} : { memory }) }
    }
    if (converted.requests !== undefined) {
      const computedCpu = percentQuantity(converted.requests.cpu, currents.cpuRequest)
      const computedMemory = percentQuantity(converted.requests.memory, currents.memoryRequest)
      const cpu = useStored ? storedPercent(percents[percentColumn("cpu", term, name)], computedCpu) : computedCpu
      const memory = useStored
        ? storedPercent(percents[percentColumn("memory", term, name)], computedMemory)
        : computedMemory
      variation.requests = { ...(cpu === undefined ? {} : { cpu }), ...(memory === undefined ? {} : { memory }) }
    }
    out.variation = variation
  }
  return out
}

const showTerm = (
  term: TermRecommendation,
  name: Term,
  options: ViewOptions,
  currents: Currents,
  useStored: boolean
): TermRecommendation => {
  const out: { -readonly [K in keyof TermRecommendation]: TermRecommendation[K] } = {}
  if (term.duration_in_hours !== undefined) out.duration_in_hours = truncateTo(term.duration_in_hours, 1)
  if (term.monitoring_start_time !== undefined && term.monitoring_start_time !== ZERO_TIME) {
    out.monitoring_start_time = term.monitoring_start_time
  }
  if (term.notifications !== undefined && keepNotifications(term.notifications)) {
    out.notifications = term.notifications
  }
  if (options.keepPlots && term.plots !== undefined) {
    out.plots = term.plots === null ? null : convertPlots(term.plots, options.units)
  }
  if (term.recommendation_engines !== undefined) {
    const engines = term.recommendation_engines
    if (engines === null) {
      out.recommendation_engines = null
    } else {
      const shown: { -readonly [K in Engine]?: EngineRecommendation } = {}
      for (const engine of ENGINES) {
        const value = engines[engine]
        if (value !== undefined) shown[engine] = showEngine(value, name, engine, options, currents, useStored)
      }
      out.recommendation_engines = shown
    }
  }
  return out
}

/** The stored document `doc` as a response shows it. */
export const showRecommendation = (doc: RecommendationDocument, options: ViewOptions): RecommendationDocument => {
  const current = doc.current === undefined ? undefined : convertLimitsRequests(doc.current, options.units)
  const currents: Currents = {
    cpuLimit: current?.limits?.cpu?.amount ?? 0,
    memoryLimit: current?.limits?.memory?.amount ?? 0,
    cpuRequest: current?.requests?.cpu?.amount ?? 0,
    memoryRequest: current?.requests?.memory?.amount ?? 0
  }
  const useStored = allPercentColumns.some((column) => options.percents[column] !== null)
  const out: { -readonly [K in keyof RecommendationDocument]: RecommendationDocument[K] } = {}
  if (current !== undefined) out.current = current
  if (doc.monitoring_end_time !== undefined) out.monitoring_end_time = doc.monitoring_end_time
  if (doc.notifications !== undefined && keepNotifications(doc.notifications)) out.notifications = doc.notifications
  if (doc.recommendation_terms !== undefined) {
    const terms: { -readonly [K in Term]?: TermRecommendation } = {}
    for (const term of TERMS) {
      const value = doc.recommendation_terms[term]
      if (value !== undefined) terms[term] = showTerm(value, term, options, currents, useStored)
    }
    out.recommendation_terms = terms
  }
  return out
}
