/**
 * What upstream stores in `recommendation_sets.recommendations` (and the historical tables) for one engine
 * `data[<timestamp>]` entry: `json.Marshal` of the entry after Go decoded it into `kruizePayload.RecommendationData`
 * (spec ros-ocp-backend §3.9). The API reads this JSON back, so we write exactly what Go writes:
 * - only the struct's fields, in the struct's field order (unknown engine fields such as `pods_count`,
 *   `confidence_level` are gone);
 * - `omitempty` drops a number that is exactly 0 (`amount`, `duration_in_hours`, box-plot values, `code`,
 *   `datapoints`), an empty string, and an empty map; it never drops a struct, so `current`, `limits`, `requests`,
 *   `cpu`, `memory`, all three terms and both engines of a term that has `recommendation_engines` are always
 *   present, possibly as `{}`;
 * - a time that is absent is Go's zero time `0001-01-01T00:00:00Z` (`monitoring_start_time` of a term without
 *   enough data); times are in Go's spelling (`…T11:45:00Z`, see GoTimeText);
 * - an engine's `notifications` has no `omitempty`: `null` when the engine sent none, `{}` when it sent `{}`;
 * - map keys in Go's sorted order (JavaScript keeps integer-like keys such as notification codes in numeric order,
 *   the same thing for codes of equal length; PostgreSQL's jsonb does not keep key order anyway).
 */
import { GO_ZERO_TIME } from "../../schema/ros/GoTimeText.js"
import type {
  BoxPlotDetails,
  ConfigObject,
  Notification,
  NotificationMap,
  Plot,
  PlotsData,
  RecommendationData,
  RecommendationEngineObject,
  RecommendationTerm,
  RecommendedConfig,
  RecommendedValues
} from "../../schema/ros/UpdateRecommendationsAnswer.js"

export interface StoredValue {
  readonly amount?: number
  readonly format?: string
}

export interface StoredResources {
  readonly cpu: StoredValue
  readonly memory: StoredValue
}

export interface StoredConfig {
  readonly limits: StoredResources
  readonly requests: StoredResources
}

export interface StoredNotification {
  readonly type?: string
  readonly message?: string
  readonly code?: number
}

export type StoredNotifications = { readonly [code: string]: StoredNotification }

export interface StoredEngine {
  readonly config: StoredConfig
  readonly variation: StoredConfig
  readonly notifications: StoredNotifications | null
}

export interface StoredBoxPlot {
  readonly min?: number
  readonly q1?: number
  readonly median?: number
  readonly q3?: number
  readonly max?: number
  readonly format?: string
}

export interface StoredPlotPoint {
  readonly cpuUsage?: StoredBoxPlot
  readonly memoryUsage?: StoredBoxPlot
}

export interface StoredPlot {
  readonly datapoints?: number
  readonly plots_data?: { readonly [timestamp: string]: StoredPlotPoint }
}

export interface StoredTerm {
  readonly duration_in_hours?: number
  readonly notifications?: StoredNotifications
  readonly monitoring_start_time: string
  readonly recommendation_engines?: { readonly cost: StoredEngine; readonly performance: StoredEngine }
  readonly plots?: StoredPlot
}

/** The stored JSON document of one recommendation. */
export interface StoredRecommendationJson {
  readonly notifications?: StoredNotifications
  readonly monitoring_end_time: string
  readonly current: StoredConfig
  readonly recommendation_terms: {
    readonly short_term: StoredTerm
    readonly medium_term: StoredTerm
    readonly long_term: StoredTerm
  }
}

export interface StoredRecommendation {
  readonly json: StoredRecommendationJson
  /** `recommendation_terms.short_term.monitoring_start_time`, Go spelling (zero time when absent) */
  readonly monitoringStartTime: string
  /** `monitoring_end_time`, Go spelling (zero time when absent) */
  readonly monitoringEndTime: string
}

// omitempty on a float64/int field
const number = <K extends string>(key: K, value: number | undefined): { readonly [P in K]?: number } =>
  (value === undefined || value === 0 ? {} : { [key]: value }) as { readonly [P in K]?: number }

// omitempty on a string field
const text = <K extends string>(key: K, value: string | undefined): { readonly [P in K]?: string } =>
  (value === undefined || value === "" ? {} : { [key]: value }) as { readonly [P in K]?: string }

// encoding/json writes map keys sorted
const sortedMap = <A, B>(map: { readonly [key: string]: A }, f: (a: A) => B): { readonly [key: string]: B } => {
  const out: { [key: string]: B } = {}
  for (const key of Object.keys(map).sort()) out[key] = f(map[key]!)
  return out
}

const notification = (n: Notification): StoredNotification => ({
  ...text("type", n.type),
  ...text("message", n.message),
  ...number("code", n.code)
})

// omitempty on a map: nil and empty maps are both left out
const notificationsField = (map: NotificationMap | undefined): { readonly notifications?: StoredNotifications } =>
  map === undefined || Object.keys(map).length === 0 ? {} : { notifications: sortedMap(map, notification) }

const value = (v: RecommendedValues | undefined): StoredValue => ({
  ...number("amount", v?.amount),
  ...text("format", v?.format)
})

const resources = (r: RecommendedConfig | undefined): StoredResources => ({
  cpu: value(r?.cpu),
  memory: value(r?.memory)
})

const config = (c: ConfigObject | undefined): StoredConfig => ({
  limits: resources(c?.limits),
  requests: resources(c?.requests)
})

const engine = (e: RecommendationEngineObject | undefined): StoredEngine => ({
  config: config(e?.config),
  variation: config(e?.variation),
  // no omitempty: a nil map is written as null
  notifications: e?.notifications === undefined ? null : sortedMap(e.notifications, notification)
})

const boxPlot = (b: BoxPlotDetails): StoredBoxPlot => ({
  ...number("min", b.min),
  ...number("q1", b.q1),
  ...number("median", b.median),
  ...number("q3", b.q3),
  ...number("max", b.max),
  ...text("format", b.format)
})

// pointer fields: nil is left out, a present struct is written even when empty
const plotPoint = (p: PlotsData): StoredPlotPoint => ({
  ...(p.cpuUsage === undefined ? {} : { cpuUsage: boxPlot(p.cpuUsage) }),
  ...(p.memoryUsage === undefined ? {} : { memoryUsage: boxPlot(p.memoryUsage) })
})

const plot = (p: Plot): StoredPlot => ({
  ...number("datapoints", p.datapoints),
  ...(p.plots_data === undefined || Object.keys(p.plots_data).length === 0
    ? {}
    : { plots_data: sortedMap(p.plots_data, plotPoint) })
})

const term = (t: RecommendationTerm | undefined): StoredTerm => ({
  ...number("duration_in_hours", t?.duration_in_hours),
  ...notificationsField(t?.notifications),
  monitoring_start_time: t?.monitoring_start_time ?? GO_ZERO_TIME,
  ...(t?.recommendation_engines === undefined
    ? {}
    : {
        recommendation_engines: {
          cost: engine(t.recommendation_engines.cost),
          performance: engine(t.recommendation_engines.performance)
        }
      }),
  ...(t?.plots === undefined ? {} : { plots: plot(t.plots) })
})

/** Go's re-serialisation of one decoded `data` entry. */
export const storedRecommendationJson = (data: RecommendationData): StoredRecommendationJson => ({
  ...notificationsField(data.notifications),
  monitoring_end_time: data.monitoring_end_time ?? GO_ZERO_TIME,
  current: config(data.current),
  recommendation_terms: {
    short_term: term(data.recommendation_terms?.short_term),
    medium_term: term(data.recommendation_terms?.medium_term),
    long_term: term(data.recommendation_terms?.long_term)
  }
})

/** The stored document with the two times upstream copies into their own columns. */
export const storedRecommendation = (data: RecommendationData): StoredRecommendation => {
  const json = storedRecommendationJson(data)
  return {
    json,
    monitoringStartTime: json.recommendation_terms.short_term.monitoring_start_time,
    monitoringEndTime: json.monitoring_end_time
  }
}
