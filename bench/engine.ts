/**
 * Recommendation-engine benchmark over HTTP against the real PostgreSQL of infra/up (a throw-away
 * database, dropped at the end). The engine runs as its own process (`ros-ocp start recommender`), as
 * in production, so this client does not share its CPU. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/engine.ts [--experiments 5000] [--days 15] [--clients 8] [--warm-iterations 300]
 *     [--engine-node-arg=--cpu-prof --engine-node-arg=--cpu-prof-dir=<folder>]
 *
 * 1. One experiment with `days` of 15-minute results: updateResults throughput, then the latency of
 *    updateRecommendations on the warm experiment.
 * 2. The scale run: `experiments` experiments × `days` of results, then one recommendation for each.
 */
import { spawn } from "node:child_process"
import { loadavg } from "node:os"
import { parseArgs } from "node:util"
import { Effect, Schedule } from "effect"
import { call } from "../test/support/engineHarness.js"
import { containerExperimentJson, containerMetrics, rosProfileJson } from "../test/support/kruizeFixtures.js"
import { unusedPort } from "../test/support/ports.js"
import { scratchDatabaseName } from "../test/support/scratchDatabase.js"
import { recordFigure } from "./figures.js"
import { cpuOf, peakRssOf, postgresCpuMeter } from "./procStats.js"
import { timedRequest } from "./timedRequest.js"

const { values } = parseArgs({
  options: {
    experiments: { type: "string", default: "5000" },
    days: { type: "string", default: "15" },
    clients: { type: "string", default: "8" },
    "warm-iterations": { type: "string", default: "300" },
    /** Extra Node options for the engine process, e.g. `--engine-node-arg=--cpu-prof`. */
    "engine-node-arg": { type: "string", multiple: true, default: [] }
  }
})
const experiments = Number(values.experiments)
const days = Number(values.days)
const clients = Number(values.clients)
const warmIterations = Number(values["warm-iterations"])
const engineNodeArgs = values["engine-node-arg"]
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

/**
 * CPU seconds (user + system) used so far by the engine process and by the PostgreSQL backends serving the
 * bench database, from /proc (Linux only; zeros elsewhere). Wall times depend on what else runs on the
 * machine; these say what the work cost.
 */
const cpuSeconds = (enginePid: number | undefined, database: string, postgres: ReturnType<typeof postgresCpuMeter>) => {
  const client = process.cpuUsage()
  return {
    engine: enginePid === undefined ? 0 : cpuOf(enginePid),
    postgres: postgres.total().get(database) ?? 0,
    client: (client.user + client.system) / 1e6
  }
}
const load = () => loadavg()[0]!.toFixed(2)
const perUnit = (seconds: number, count: number) => ((seconds * 1e6) / count).toFixed(0)
const cpuReport = (
  before: ReturnType<typeof cpuSeconds>,
  after: ReturnType<typeof cpuSeconds>,
  results: number,
  what: string
) =>
  `  CPU: engine ${(after.engine - before.engine).toFixed(1)} s, PostgreSQL ${(after.postgres - before.postgres).toFixed(1)} s, ` +
  `this client ${(after.client - before.client).toFixed(1)} s = ${perUnit(after.engine - before.engine, results)} + ` +
  `${perUnit(after.postgres - before.postgres, results)} + ${perUnit(after.client - before.client, results)} µs per ${what}; ` +
  `load average ${load()}`

const quantile = (sorted: ReadonlyArray<number>, q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN

const fmt = (ms: number) => `${ms.toFixed(2)} ms`

const figure = (name: string, value: number, unit: string, dataSize: string) =>
  recordFigure("engine", { name, value: Number(value.toFixed(unit === "ms" ? 2 : 0)), unit, dataSize })

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

/** updateRecommendations, timed on a kept-alive connection; anything but 201 stops the bench. */
const timedRecommendation = (url: string, name: string, endIso: string) =>
  Effect.gen(function* () {
    const answer = yield* timedRequest(
      url,
      "POST",
      `/updateRecommendations?experiment_name=${encodeURIComponent(name)}&interval_end_time=${endIso}`
    ).pipe(Effect.orDie)
    if (answer.status !== 201) return yield* Effect.die(`updateRecommendations ${answer.status}: ${answer.text}`)
    return answer.ms
  })

const recommendOnce = (url: string, name: string) => timedRecommendation(url, name, lastEnd)

const program = Effect.gen(function* () {
  const database = yield* scratchDatabaseName("kruize_bench")
  const port = yield* unusedPort
  const runnerPort = yield* unusedPort
  const url = `http://127.0.0.1:${port}`
  const postgres = yield* Effect.acquireRelease(
    Effect.sync(() => postgresCpuMeter([database])),
    (meter) => Effect.sync(() => meter.stop())
  )
  const engine = yield* Effect.acquireRelease(
    Effect.sync(() =>
      spawn(process.execPath, [...engineNodeArgs, "bin/ros-ocp.mjs", "start", "recommender"], {
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

  console.log(
    `engine bench: ${days} days × ${perDay} intervals = ${intervals} results per experiment (load average ${load()})`
  )

  // 1. One experiment.
  const single = "bench|1|single|ns|deployment|single"
  const t0 = performance.now()
  yield* loadExperiment(url, single)
  const loadMs = performance.now() - t0
  console.log(
    `updateResults, one experiment: ${intervals} results in ${fmt(loadMs)} = ${((intervals / loadMs) * 1000).toFixed(0)} results/s (chunks of 100, one client)`
  )
  const oneExperiment = `1 experiment × ${intervals} results`
  figure("updateResults, 1 client", (intervals / loadMs) * 1000, "entries/s", oneExperiment)
  // What any call costs this client and the engine's HTTP stack, for comparison.
  const floor: Array<number> = []
  for (let i = 0; i < warmIterations; i++) floor.push((yield* Effect.orDie(timedRequest(url, "GET", "/health"))).ms)
  floor.sort((a, b) => a - b)
  console.log(
    `GET /health, the HTTP round trip alone: p50 ${fmt(quantile(floor, 0.5))}, p99 ${fmt(quantile(floor, 0.99))}`
  )
  figure("GET /health p50", quantile(floor, 0.5), "ms", "HTTP round trip")
  const warm: Array<number> = []
  yield* recommendOnce(url, single)
  for (let i = 0; i < warmIterations; i++) warm.push(yield* recommendOnce(url, single))
  warm.sort((a, b) => a - b)
  console.log(
    `updateRecommendations, warm experiment of ${intervals} results, same time asked again: p50 ${fmt(quantile(warm, 0.5))}, p99 ${fmt(quantile(warm, 0.99))} (${warmIterations} calls, HTTP round trip included)`
  )
  figure("updateRecommendations warm, same time p50", quantile(warm, 0.5), "ms", oneExperiment)
  figure("updateRecommendations warm, same time p99", quantile(warm, 0.99), "ms", oneExperiment)

  // Each call after one new interval: the recommendation changes, so it is computed and stored.
  const fresh: Array<number> = []
  for (let i = 0; i < Math.min(warmIterations, 200); i++) {
    const index = intervals + i
    yield* call(url, "POST", "/updateResults", chunk(single, index, 1))
    fresh.push(yield* timedRecommendation(url, single, iso(start + (index + 1) * quarter)))
  }
  fresh.sort((a, b) => a - b)
  console.log(
    `updateRecommendations after each new interval (computed and stored): p50 ${fmt(quantile(fresh, 0.5))}, p99 ${fmt(quantile(fresh, 0.99))} (${fresh.length} calls)`
  )
  figure("updateRecommendations warm, new interval p50", quantile(fresh, 0.5), "ms", oneExperiment)
  figure("updateRecommendations warm, new interval p99", quantile(fresh, 0.99), "ms", oneExperiment)

  // 2. Scale run.
  const names = Array.from({ length: experiments }, (_, i) => nameOf(i))
  const cpu0 = cpuSeconds(engine.pid, database, postgres)
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
              console.log(
                `  loaded ${done}/${experiments} experiments after ${elapsed.toFixed(0)} s (load average ${load()})`
              )
            }
          })
        )
      ),
    { concurrency: clients, discard: true }
  )
  const loadAllMs = performance.now() - s0
  const cpu1 = cpuSeconds(engine.pid, database, postgres)
  const total = experiments * intervals
  console.log(
    `scale load: ${experiments} experiments × ${intervals} results = ${total} results in ${(loadAllMs / 1000).toFixed(1)} s = ${((total / loadAllMs) * 1000).toFixed(0)} results/s (${clients} clients)`
  )
  console.log(cpuReport(cpu0, cpu1, total, "result"))
  const scale = `${experiments.toLocaleString("en-US")} experiments × ${days} days`
  figure(`scale load, ${clients} clients`, (total / loadAllMs) * 1000, "entries/s", scale)
  const r0 = performance.now()
  const latencies = yield* Effect.forEach(names, (name) => recommendOnce(url, name), { concurrency: clients })
  const recommendAllMs = performance.now() - r0
  latencies.sort((a, b) => a - b)
  console.log(
    `scale recommendations: ${experiments} in ${(recommendAllMs / 1000).toFixed(1)} s, p50 ${fmt(quantile(latencies, 0.5))}, p99 ${fmt(quantile(latencies, 0.99))} (${clients} clients)`
  )
  console.log(cpuReport(cpu1, cpuSeconds(engine.pid, database, postgres), experiments, "recommendation"))
  console.log(`scale run total: ${((loadAllMs + recommendAllMs) / 1000 / 60).toFixed(1)} min`)
  figure("scale recommendations p50", quantile(latencies, 0.5), "ms", scale)
  figure("scale recommendations p99", quantile(latencies, 0.99), "ms", scale)
  figure("scale run total", (loadAllMs + recommendAllMs) / 1000, "s", scale)
  figure("peak RSS engine", peakRssOf(engine.pid ?? -1) / 1024, "MiB", scale)
}).pipe(Effect.scoped)

Effect.runPromise(program).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
