/**
 * Recommendation-engine benchmark over HTTP against the real PostgreSQL of infra/up (a throw-away
 * database, dropped at the end). The engine runs as its own process (`ros-ocp start recommender`), as
 * in production, so this client does not share its CPU. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/engine.ts [--experiments 5000] [--days 15] [--clients 8] [--warm-iterations 300]
 *
 * 1. One experiment with `days` of 15-minute results: updateResults throughput, then the latency of
 *    updateRecommendations on the warm experiment.
 * 2. The scale run: `experiments` experiments × `days` of results, then one recommendation for each.
 */
import { spawn } from "node:child_process"
import { parseArgs } from "node:util"
import { Effect, Schedule } from "effect"
import { call } from "../test/support/engineHarness.js"
import { containerExperimentJson, containerMetrics, rosProfileJson } from "../test/support/kruizeFixtures.js"
import { unusedPort } from "../test/support/ports.js"
import { scratchDatabaseName } from "../test/support/scratchDatabase.js"

const { values } = parseArgs({
  options: {
    experiments: { type: "string", default: "5000" },
    days: { type: "string", default: "15" },
    clients: { type: "string", default: "8" },
    "warm-iterations": { type: "string", default: "300" }
  }
})
const experiments = Number(values.experiments)
const days = Number(values.days)
const clients = Number(values.clients)
const warmIterations = Number(values["warm-iterations"])
const perDay = 96
const start = Date.parse("2026-06-01T00:00:00.000Z")
const quarter = 15 * 60_000

const nameOf = (i: number) => `bench|1|cluster-${i % 50}|ns-${i % 7}|deployment|app-${i}`
const metrics = JSON.stringify(containerMetrics())
const iso = (ms: number) => new Date(ms).toISOString()

/** A chunk of ≤ 100 records of one experiment, built as text: the client must not be the bottleneck. */
const chunk = (name: string, from: number, count: number) => {
  const parts: Array<string> = []
  for (let i = from; i < from + count; i++) {
    parts.push(
      `{"version":"1.0","experiment_name":${JSON.stringify(name)},"interval_start_time":"${iso(start + i * quarter)}",` +
        `"interval_end_time":"${iso(start + (i + 1) * quarter)}","kubernetes_objects":[{"type":"deployment",` +
        `"name":${JSON.stringify(name.split("|")[5])},"namespace":${JSON.stringify(name.split("|")[3])},` +
        `"containers":[{"container_image_name":"quay.io/acme/app:1","container_name":"app","metrics":${metrics}}]}]}`
    )
  }
  return `[${parts.join(",")}]`
}

const experimentBody = (name: string) =>
  JSON.stringify([
    containerExperimentJson({
      experiment_name: name,
      kubernetes_objects: [
        {
          type: "deployment",
          name: name.split("|")[5],
          namespace: name.split("|")[3],
          containers: [{ container_image_name: "quay.io/acme/app:1", container_name: "app" }]
        }
      ]
    })
  ])

const quantile = (sorted: ReadonlyArray<number>, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

const fmt = (ms: number) => `${ms.toFixed(2)} ms`

const intervals = days * perDay
const lastEnd = iso(start + intervals * quarter)

const loadExperiment = (url: string, name: string) =>
  Effect.gen(function* () {
    const created = yield* call(url, "POST", "/createExperiment", experimentBody(name))
    if (created.status !== 201) return yield* Effect.die(`createExperiment ${created.status}: ${created.text}`)
    for (let from = 0; from < intervals; from += 100) {
      const answer = yield* call(url, "POST", "/updateResults", chunk(name, from, Math.min(100, intervals - from)))
      if (answer.status !== 201)
        return yield* Effect.die(`updateResults ${answer.status}: ${answer.text.slice(0, 300)}`)
    }
  })

const recommendOnce = (url: string, name: string) =>
  Effect.gen(function* () {
    const t = performance.now()
    const answer = yield* call(
      url,
      "POST",
      `/updateRecommendations?experiment_name=${encodeURIComponent(name)}&interval_end_time=${lastEnd}`
    )
    if (answer.status !== 201) return yield* Effect.die(`updateRecommendations ${answer.status}: ${answer.text}`)
    return performance.now() - t
  })

const program = Effect.gen(function* () {
  const database = yield* scratchDatabaseName("kruize_bench")
  const port = yield* unusedPort
  const runnerPort = yield* unusedPort
  const url = `http://127.0.0.1:${port}`
  yield* Effect.acquireRelease(
    Effect.sync(() =>
      spawn(process.execPath, ["bin/ros-ocp.mjs", "start", "recommender"], {
        env: {
          ...process.env,
          KRUIZE_DB_NAME: database,
          KRUIZE_PORT: String(port),
          ENGINE_RUNNER_PORT: String(runnerPort),
          LOG_LEVEL: "Warning"
        },
        stdio: ["ignore", "inherit", "inherit"]
      })
    ),
    (child) =>
      Effect.async<void>((resume) => {
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  )
  // Ready once /health answers.
  yield* Effect.tryPromise(() => fetch(`${url}/health`)).pipe(
    Effect.retry({ times: 100, schedule: Schedule.spaced("200 millis") }),
    Effect.orDie
  )
  yield* call(url, "POST", "/createPerformanceProfile", rosProfileJson)

  console.log(`engine bench: ${days} days × ${perDay} intervals = ${intervals} results per experiment`)

  // 1. One experiment.
  const single = "bench|1|single|ns|deployment|single"
  const t0 = performance.now()
  yield* loadExperiment(url, single)
  const loadMs = performance.now() - t0
  console.log(
    `updateResults, one experiment: ${intervals} results in ${fmt(loadMs)} = ${((intervals / loadMs) * 1000).toFixed(0)} results/s (chunks of 100, one client)`
  )
  const warm: Array<number> = []
  yield* recommendOnce(url, single)
  for (let i = 0; i < warmIterations; i++) warm.push(yield* recommendOnce(url, single))
  warm.sort((a, b) => a - b)
  console.log(
    `updateRecommendations, warm experiment of ${intervals} results, same time asked again: p50 ${fmt(quantile(warm, 0.5))}, p99 ${fmt(quantile(warm, 0.99))} (${warmIterations} calls, HTTP round trip included)`
  )

  // Each call after one new interval: the recommendation changes, so it is computed and stored.
  const fresh: Array<number> = []
  for (let i = 0; i < Math.min(warmIterations, 200); i++) {
    const index = intervals + i
    yield* call(url, "POST", "/updateResults", chunk(single, index, 1))
    const t = performance.now()
    const answer = yield* call(
      url,
      "POST",
      `/updateRecommendations?experiment_name=${encodeURIComponent(single)}&interval_end_time=${iso(start + (index + 1) * quarter)}`
    )
    if (answer.status !== 201) return yield* Effect.die(`updateRecommendations ${answer.status}: ${answer.text}`)
    fresh.push(performance.now() - t)
  }
  fresh.sort((a, b) => a - b)
  console.log(
    `updateRecommendations after each new interval (computed and stored): p50 ${fmt(quantile(fresh, 0.5))}, p99 ${fmt(quantile(fresh, 0.99))} (${fresh.length} calls)`
  )

  // 2. Scale run.
  const names = Array.from({ length: experiments }, (_, i) => nameOf(i))
  const s0 = performance.now()
  let done = 0
  yield* Effect.forEach(
    names,
    (name) =>
      loadExperiment(url, name).pipe(
        Effect.tap(() =>
          Effect.sync(() => {
            done++
            if (done % Math.max(1, Math.floor(experiments / 10)) === 0) {
              const elapsed = (performance.now() - s0) / 1000
              console.log(`  loaded ${done}/${experiments} experiments after ${elapsed.toFixed(0)} s`)
            }
          })
        )
      ),
    { concurrency: clients, discard: true }
  )
  const loadAllMs = performance.now() - s0
  const total = experiments * intervals
  console.log(
    `scale load: ${experiments} experiments × ${intervals} results = ${total} results in ${(loadAllMs / 1000).toFixed(1)} s = ${((total / loadAllMs) * 1000).toFixed(0)} results/s (${clients} clients)`
  )
  const r0 = performance.now()
  const latencies = yield* Effect.forEach(names, (name) => recommendOnce(url, name), { concurrency: clients })
  const recommendAllMs = performance.now() - r0
  latencies.sort((a, b) => a - b)
  console.log(
    `scale recommendations: ${experiments} in ${(recommendAllMs / 1000).toFixed(1)} s, p50 ${fmt(quantile(latencies, 0.5))}, p99 ${fmt(quantile(latencies, 0.99))} (${clients} clients)`
  )
  console.log(`scale run total: ${((loadAllMs + recommendAllMs) / 1000 / 60).toFixed(1)} min`)
}).pipe(Effect.scoped)

Effect.runPromise(program).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
