/**
 * Prometheus exposition of the process's Effect metrics, served by every role at GET /metrics.
 * Effect keeps the metrics; this only renders its snapshot in the text format (version 0.0.4).
 */
import { HttpServerResponse } from "@effect/platform"
import { Effect, Metric, MetricState, Option } from "effect"
import type { MetricPair } from "effect/MetricPair"

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"')

const sanitize = (name: string) => name.replace(/[^a-zA-Z0-9_:]/g, "_")

const labels = (tags: ReadonlyArray<{ readonly key: string; readonly value: string }>, extra?: string) => {
  const parts = tags.map((t) => `${sanitize(t.key)}="${escapeLabel(t.value)}"`)
  if (extra !== undefined) parts.push(extra)
  return parts.length === 0 ? "" : `{${parts.join(",")}}`
}

const num = (n: number | bigint) =>
  typeof n === "bigint" ? n.toString() : Number.isFinite(n) ? String(n) : n > 0 ? "+Inf" : n < 0 ? "-Inf" : "NaN"

const render = (pair: MetricPair.Untyped, typed: Set<string>): Array<string> => {
  const name = sanitize(pair.metricKey.name)
  const tags = pair.metricKey.tags
  const state = pair.metricState
  const out: Array<string> = []
  const header = (type: string) => {
    if (typed.has(name)) return
    typed.add(name)
    const help = Option.getOrUndefined(pair.metricKey.description)
    if (help !== undefined) out.push(`# HELP ${name} ${help.replace(/\n/g, " ")}`)
    out.push(`# TYPE ${name} ${type}`)
  }
  if (MetricState.isCounterState(state)) {
    header("counter")
    out.push(`${name}${labels(tags)} ${num(state.count)}`)
  } else if (MetricState.isGaugeState(state)) {
    header("gauge")
    out.push(`${name}${labels(tags)} ${num(state.value)}`)
  } else if (MetricState.isHistogramState(state)) {
    header("histogram")
    for (const [le, count] of state.buckets) out.push(`${name}_bucket${labels(tags, `le="${num(le)}"`)} ${count}`)
    out.push(`${name}_bucket${labels(tags, 'le="+Inf"')} ${state.count}`)
    out.push(`${name}_sum${labels(tags)} ${num(state.sum)}`, `${name}_count${labels(tags)} ${state.count}`)
  } else if (MetricState.isSummaryState(state)) {
    header("summary")
    for (const [q, value] of state.quantiles) {
      out.push(`${name}${labels(tags, `quantile="${q}"`)} ${Option.match(value, { onNone: () => "NaN", onSome: num })}`)
    }
    out.push(`${name}_sum${labels(tags)} ${num(state.sum)}`, `${name}_count${labels(tags)} ${state.count}`)
  } else if (MetricState.isFrequencyState(state)) {
    header("counter")
    for (const [key, count] of state.occurrences)
      out.push(`${name}${labels(tags, `key="${escapeLabel(key)}"`)} ${count}`)
  }
  return out
}

/** The current metrics in Prometheus text format. */
export const prometheusText = Effect.map(Metric.snapshot, (pairs) => {
  const typed = new Set<string>()
  const sorted = [...pairs].sort((a, b) => a.metricKey.name.localeCompare(b.metricKey.name))
  return `${sorted.flatMap((p) => render(p, typed)).join("\n")}\n`
})

/** The GET /metrics response. */
export const metricsResponse = Effect.map(prometheusText, (text) =>
  HttpServerResponse.text(text, { contentType: "text/plain; version=0.0.4; charset=utf-8" })
)
