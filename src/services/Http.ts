/**
 * Outbound HTTP: one client per upstream service (engine, Sources API, RBAC) with its base URL,
 * a per-request timeout, JSON accept header, and non-2xx answers turned into typed errors.
 * Retries belong to the caller that owns the Schedule, not to this wiring.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { NodeHttpClient } from "@effect/platform-node"
import { Duration, Effect, Schema } from "effect"
import { HttpClientSettings } from "./Settings.js"

/** The platform HttpClient on undici, provided once at a role's composition root. */
export const HttpClientLive = NodeHttpClient.layerUndici

/** No response headers within the timeout: the peer is slow or hung, worth retrying. */
export class HttpTimeout extends Schema.TaggedError<HttpTimeout>()("HttpTimeout", {
  method: Schema.String,
  url: Schema.String,
  millis: Schema.Number
}) {}

export interface ServiceClientOptions {
  /** Overrides GLOBAL_HTTP_CLIENT_TIMEOUT_SECS for this client. */
  readonly timeout?: Duration.DurationInput
}

export const serviceClient = Effect.fn("Http.serviceClient")(function* (
  baseUrl: string,
  options: ServiceClientOptions = {}
) {
  const settings = yield* HttpClientSettings
  const timeout = Duration.decode(options.timeout ?? Duration.seconds(settings.timeoutSeconds))
  const client = yield* HttpClient.HttpClient
  return client.pipe(
    HttpClient.mapRequest(HttpClientRequest.prependUrl(baseUrl)),
    HttpClient.mapRequest(HttpClientRequest.acceptJson),
    HttpClient.filterStatusOk,
    HttpClient.transform((response, request) =>
      Effect.timeoutFail(response, {
        duration: timeout,
        onTimeout: () =>
          new HttpTimeout({ method: request.method, url: request.url, millis: Duration.toMillis(timeout) })
      })
    )
  )
})
