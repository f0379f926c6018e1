/**
 * Whether the stack answers on its ports, and bringing it up in this process when it does not: the local
 * infrastructure through `infra/up` (installing what is missing), then every role (`start all`).
 */
import { spawn } from "node:child_process"
import { HttpClient } from "@effect/platform"
import { Effect, Layer, Schedule } from "effect"
import { AllRolesLive } from "../../roles/all.js"
import { ListenSettings } from "../../services/Settings.js"

export interface StackUrls {
  readonly ingress: string
  readonly sources: string
  readonly recommender: string
  readonly api: string
}

export const stackUrls = Effect.map(ListenSettings, (listen): StackUrls => {
  // An IPv6 address is bracketed in a URL.
  const host = listen.host.includes(":") ? `[${listen.host}]` : listen.host
  const url = (port: number) => `http://${host}:${port}`
  return {
    ingress: url(listen.ingressPort),
    sources: url(listen.sourcesPort),
    recommender: url(listen.recommenderPort),
    api: url(listen.apiPort)
  }
})

const probes = (urls: StackUrls) => [
  `${urls.ingress}/health`,
  `${urls.sources}/health`,
  `${urls.recommender}/health`,
  `${urls.api}/status`
]

/** How many of the four HTTP roles answer. */
export const answering = (urls: StackUrls) =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const answers = yield* Effect.forEach(
      probes(urls),
      (url) =>
        client.get(url).pipe(
          Effect.scoped,
          Effect.timeout("2 seconds"),
          Effect.map((r) => r.status < 500),
          Effect.orElseSucceed(() => false)
        ),
      { concurrency: "unbounded" }
    )
    return answers.filter(Boolean).length
  })

/** Runs `infra/up`, its output shown as it goes. */
export const infraUp = Effect.async<void, Error>((resume) => {
  const child = spawn("infra/up", [], { stdio: "inherit" })
  child.once("error", (e) => resume(Effect.fail(new Error(`infra/up could not start: ${e.message}`))))
  child.once("exit", (code) =>
    resume(code === 0 ? Effect.void : Effect.fail(new Error(`infra/up failed (exit ${String(code)}); see .state/logs`)))
  )
})

/** Starts every role in the background of the current scope and waits until all four HTTP roles answer. */
export const startStack = (urls: StackUrls) =>
  Effect.gen(function* () {
    yield* infraUp
    yield* Effect.forkScoped(Layer.launch(AllRolesLive))
    yield* answering(urls).pipe(
      Effect.filterOrFail((n) => n === 4),
      Effect.retry(Schedule.spaced("500 millis").pipe(Schedule.upTo("2 minutes"))),
      Effect.mapError(() => new Error("the roles did not all answer within 2 minutes"))
    )
  })
