/**
 * The ingress role's Prometheus metrics (GET /metrics): what came in, what was answered, how big and how slow.
 */
import { Metric, MetricBoundaries } from "effect"

/** Upload requests by the status answered. */
export const uploadResponses = Metric.counter("ingress_upload_responses_total", {
  description: "upload requests answered, by HTTP status",
  incremental: true
})

/** Sizes of the files stored (upstream: ingress_payload_sizes). */
export const payloadBytes = Metric.histogram(
  "ingress_payload_size_bytes",
  MetricBoundaries.exponential({ start: 1024, factor: 4, count: 10 }),
  "bytes of each stored upload"
)

/** Time to store a file in the stage bucket (upstream: ingress_stage_seconds), in milliseconds. */
export const stageDuration = Metric.timer("ingress_stage_duration", "time to stream an upload into the stage bucket")
