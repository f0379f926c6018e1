/** Handlers of the `operations` group: upstream's liveness answer and the Prometheus metrics. */
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { prometheusText } from "../services/Metrics.js"
import { RosApi } from "./RosApi.js"

export const OperationsHttp = HttpApiBuilder.group(RosApi, "operations", (handlers) =>
  Effect.succeed(
    handlers.handle("status", () => Effect.succeed({ "api-server": "working" })).handle("metrics", () => prometheusText)
  )
)
