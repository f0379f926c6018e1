/**
 * Ingest benchmark (issue 5, §6): from one hccm.ros.events message to the rows stored in `ros` and the results
 * accepted by the engine, for a generated cluster of about 3,000 containers × 96 intervals (one day), with one and
 * with two runners. Every role runs as its own process (`ros-ocp start recommender|runner|processor|poller`), as in
 * production, on throw-away `ros` and `kruize` databases, topics of its own and free loopback ports; everything is
 * removed at the end. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/ingest.ts [--workloads 2400] [--runners 1,2] [--part-mb 100] [--messages one|per-file]
 *     [--timeout-minutes 20] [--repeat 1] [--poller with|after]
 *     [--runner-node-arg=--cpu-prof --runner-node-arg=--cpu-prof-dir=<folder>]
 *     [--engine-node-arg=<node option of the recommender>] [--poller-node-arg=<node option of the poller>]
 *
 * The CSV is split as the operator splits a report (parts below `--part-mb`, header repeated, rows in file order);
 * `--messages one` lists every part in one message (one upload), `per-file` sends a message (an upload) per part,
 * as the operator does for a split package. Times come from the upload status events (PostgreSQL's clock):
 * `ingested` (every file read and handed on), `experiments_updated` (every experiment's results accepted by the
 * engine and stored), `recommendations_ready` (the poller decided for each). Peak RSS is VmHWM of each process;
 * CPU is user + system seconds of each process, of the Kafka broker and S3 server infra/up started (their pid files),
 * and of the PostgreSQL backends of the two databases, which say what the work cost whatever else the machine was
 * doing (it is shared: the load average is printed with every figure).
 * The same code varies by a third from run to run here, so `--repeat N` runs every runner count N times, in turn,
 * and prints the median and range of each; the recorded figures are those of the median run.
 * `--poller after` starts the poller only once every experiment's results are in, so the CPU of the two stages
 * (results to the engine; the poller's decisions and recommendations) is measured apart, each without the other
 * competing for the cores; `experiments updated` is then the results stage alone.
 */

import { readFileSync } from "node:fs"
import { cpus, loadavg } from "node:os"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { NodeRuntime } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Effect, Layer, Option, Schedule } from "effect"
import { compiledIsCurrent } from "../bin/compiled.mjs"
import { sampleOptions } from "../samples/SampleData.js"
import { usageCsv } from "../samples/UsageCsv.js"
import type { UploadTrack } from "../schema/uploads/UploadStatus.js"
import { Kafka } from "../src/services/Kafka.js"
import { ObjectStore } from "../src/services/ObjectStore.js"
import { UploadStatusRepo } from "../src/uploads/UploadStatusRepo.js"
import { type ChildRole, startRole as startChildRole } from "../test/support/childRole.js"
import {
  freePort,
  pipelineTopics,
  publishRosEvent,
  rosEventText,
  stageCsv,
  unique
} from "../test/support/pipelineHarness.js"
import { databaseClient, scratchDatabaseName } from "../test/support/scratchDatabase.js"
import { recordFigure } from "./figures.js"
import { cpuOf, infraServers, peakRssOf, postgresCpuMeter } from "./procStats.js"

// The AWS SDK warns that its 2027 releases need Node 22 (as bin/ros-ocp.mjs, which silences it for the roles).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"

const { values } = parseArgs({
  options: {
    workloads: { type: "string", default: "2400" },
    runners: { type: "string", default: "1,2" },
    "part-mb": { type: "string", default: "100" },
    messages: { type: "string", default: "one" },
    "timeout-minutes": { type: "string", default: "20" },
    /** Runs of each runner count, taken in turn (1, 2, 1, 2, …), for medians. */
    repeat: { type: "string", default: "1" },
    /** `with` the rest (as in production) or `after` every experiment's results are in. */
    poller: { type: "string", default: "with" },
    /** Node options of the runner processes, e.g. `--runner-node-arg=--cpu-prof`. */
    "runner-node-arg": { type: "string", multiple: true, default: [] },
    /** Node options of the recommender process. */
    "engine-node-arg": { type: "string", multiple: true, default: [] },
    /** Node options of the poller process. */
    "poller-node-arg": { type: "string", multiple: true, default: [] },
    "log-level": { type: "string", default: "WARN" }
  }
})
const workloads = Number(values.workloads)
const runnerCounts = values.runners.split(",").map((n) => Number(n))
const partBytes = Number(values["part-mb"]) * 1024 * 1024
const perFile = values.messages === "per-file"
const timeout = Number(values["timeout-minutes"]) * 60_000
const repeat = Math.max(1, Number(values.repeat))
if (values.poller !== "with" && values.poller !== "after") throw new Error("--poller is 'with' or 'after'")
const pollerAfter = values.poller === "after"
const ORG = "3340851"
const SOURCE = "111"

const print = (line: string) => process.stdout.write(`${line}\n`)
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")
const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`

// ---------------------------------------------------------------------------------------------------------------
// The generated cluster

/** The CSV split as the operator splits it: parts under `partBytes`, each with the header, rows in order. */
const split = (text: string): ReadonlyArray<string> => {
  const headerEnd = text.indexOf("\n") + 1
  const header = text.slice(0, headerEnd)
  const parts: Array<string> = []
  let from = headerEnd
  while (from < text.length) {
    let to = Math.min(text.length, from + partBytes - header.length)
    if (to < text.length) to = text.lastIndexOf("\n", to - 1) + 1
    parts.push(header + text.slice(from, to))
    from = to
  }
  return parts
}

/** Distinct (namespace, workload, container) and rows, read off the CSV itself. */
const shape = (text: string) => {
  const lines = text.split("\n")
  const header = (lines[0] ?? "").split(",")
  const at = (name: string) => header.indexOf(name)
  const [ns, workload, owner, container] = [at("namespace"), at("workload"), at("owner_name"), at("container_name")]
  const containers = new Set<string>()
  let rows = 0
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]
    if (line === undefined || line === "") continue
    rows++
    const cells = line.split(",", container + 12)
    containers.add(`${cells[ns]}|${cells[workload] || cells[owner]}|${cells[container]}`)
  }
  return { rows, containers: containers.size }
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

/** Roles stop gracefully within 20 s: a runner hands its shards back first. */
const startRole = (role: string, env: Record<string, string>, nodeArgs: ReadonlyArray<string> = []) =>
  startChildRole(role, env, { nodeArgs, stopWithin: "20 seconds" })

/** Committed transactions per database, from PostgreSQL's statistics. */
const transactions = (sql: SqlClient.SqlClient, databases: ReadonlyArray<string>) =>
  sql<{ datname: string; n: string }>`
    SELECT datname, xact_commit::text AS n FROM pg_stat_database WHERE datname IN ${sql.in(databases)}`.pipe(
    Effect.map((rows) => new Map(rows.map((r) => [r.datname, Number(r.n)]))),
    Effect.orDie
  )

// ---------------------------------------------------------------------------------------------------------------
// One run

interface Process {
  readonly name: string
  readonly role: ChildRole
}

/** What a stage cost: CPU seconds of each process, of the Kafka broker and S3 server, of PostgreSQL; transactions. */
interface StageCost {
  readonly processes: ReadonlyArray<{ readonly name: string; readonly cpu: number }>
  /** The servers infra/up started (none when they run elsewhere): they share the cores too. */
  readonly servers: ReadonlyArray<{ readonly name: string; readonly cpu: number }>
  readonly postgres: { readonly ros: number; readonly kruize: number }
  /** Transactions committed in each database (each statement outside a transaction counts as one). */
  readonly transactions: { readonly ros: number; readonly kruize: number }
}

interface RunFigures extends StageCost {
  readonly runners: number
  readonly ingestedMs: number
  readonly updatedMs: number
  readonly readyMs: number | undefined
  readonly metricRows: number
  readonly entries: number
  readonly workloads: number
  readonly failed: ReadonlyArray<string>
  readonly processes: ReadonlyArray<{ readonly name: string; readonly peakKib: number; readonly cpu: number }>
  readonly loadBefore: string
  readonly loadAfter: string
  /** With `--poller after`: the poller's stage, from its start to recommendations_ready. */
  readonly recommendationStage?: StageCost & { readonly ms: number }
}

const awaitLogLine = (role: ChildRole, text: string) =>
  Effect.sync(() => {
    try {
      return readFileSync(role.log, "utf8").includes(text)
    } catch {
      return false
    }
  }).pipe(
    Effect.filterOrFail((found) => found),
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeoutFail({ duration: "90 seconds", onTimeout: () => new Error(`${role.log}: no "${text}"`) }),
    Effect.orDie
  )

const stageOf = (track: UploadTrack, stage: string) => track.events.find((e) => e.stage === stage)

const run = (runners: number, urls: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const rosDb = yield* scratchDatabaseName("bench_ros")
    const kruizeDb = yield* scratchDatabaseName("bench_kruize")
    // The bench's own queries and status rows go to the run's `ros` database.
    return yield* measure(runners, urls, rosDb, kruizeDb).pipe(
      Effect.provide(UploadStatusRepo.Default),
      Effect.provide(databaseClient(rosDb))
    )
  }).pipe(Effect.scoped)

const measure = (runners: number, urls: ReadonlyArray<string>, rosDb: string, kruizeDb: string) =>
  Effect.gen(function* () {
    const topics = yield* pipelineTopics
    const enginePort = yield* freePort
    const engineUrl = `http://127.0.0.1:${enginePort}`
    const quiet = { LOG_LEVEL: values["log-level"] }
    const engine = yield* startRole(
      "recommender",
      {
        ...quiet,
        KRUIZE_DB_NAME: kruizeDb,
        KRUIZE_PORT: String(enginePort),
        ENGINE_RUNNER_PORT: String(yield* freePort)
      },
      values["engine-node-arg"]
    )
    yield* Effect.tryPromise(() => fetch(`${engineUrl}/health`)).pipe(
      Effect.retry({ times: 300, schedule: Schedule.spaced("200 millis") }),
      Effect.orDie
    )
    const common = {
      ...quiet,
      DB_NAME: rosDb,
      KRUIZE_URL: engineUrl,
      UPLOAD_TOPIC: topics.uploads,
      RECOMMENDATION_TOPIC: topics.recommendations,
      KAFKA_CONSUMER_GROUP_ID: topics.processorGroup,
      POLLER_CONSUMER_GROUP_ID: topics.pollerGroup
    }
    const sql = yield* SqlClient.SqlClient
    const awaitRunners = (n: number) =>
      sql<{ n: number }>`SELECT count(*)::int AS n FROM cluster_runners WHERE healthy`.pipe(
        Effect.map((rows) => rows[0]?.n ?? 0),
        Effect.catchAll(() => Effect.succeed(0)),
        Effect.filterOrFail((alive) => alive >= n),
        Effect.retry(Schedule.spaced("250 millis")),
        Effect.timeoutFail({ duration: "90 seconds", onTimeout: () => new Error(`${n} runner(s) never registered`) }),
        Effect.orDie
      )
    const processes: Array<Process> = [{ name: "recommender", role: engine }]
    // The first runner migrates `ros` and creates the cluster tables before anything else starts.
    for (let i = 1; i <= runners; i++) {
      const role = yield* startRole(
        "runner",
        { ...common, ROS_RUNNER_PORT: String(yield* freePort) },
        values["runner-node-arg"]
      )
      processes.push({ name: `runner ${i}`, role })
      yield* awaitRunners(i)
    }
    const start = (name: "processor" | "poller") =>
      Effect.gen(function* () {
        // The processor at INFO: its "consuming" line says it is ready.
        const level = name === "processor" ? { LOG_LEVEL: "INFO" } : {}
        const role = yield* startRole(
          name,
          { ...common, ...level, ROS_RUNNER_PORT: String(yield* freePort) },
          name === "poller" ? values["poller-node-arg"] : []
        )
        processes.push({ name, role })
      })
    yield* start("processor")
    if (!pollerAfter) yield* start("poller")
    yield* awaitLogLine(processes.find((p) => p.name === "processor")!.role, "processor consuming")
    // Shards settle over the runners (assignments refresh every 3 s, acquisition polls every second).
    yield* Effect.sleep("6 seconds")

    const uploads = perFile ? urls.map((url) => [url]) : [urls]
    const statuses = yield* UploadStatusRepo
    const requestIds = uploads.map(() => unique("bench-req"))
    const loadBefore = load()
    const cpuBefore = processes.map((p) => cpuOf(p.role.pid))
    const servers = infraServers()
    const serversBefore = servers.map((s) => cpuOf(s.pid))
    const pgMeter = postgresCpuMeter([rosDb, kruizeDb])
    const pgBefore = pgMeter.total()
    const xactsBefore = yield* transactions(sql, [rosDb, kruizeDb])
    for (const requestId of requestIds) {
      yield* statuses.received({ requestId, orgId: ORG }).pipe(Effect.orDie)
    }
    yield* Effect.forEach(
      uploads,
      (files, i) =>
        publishRosEvent(
          topics.uploads,
          rosEventText({
            requestId: requestIds[i]!,
            orgId: ORG,
            sourceId: SOURCE,
            clusterUuid: sampleOptions().clusterId,
            clusterAlias: "bench",
            files
          }),
          "bench-cluster"
        ),
      { discard: true }
    )

    // Progress every 10 s; done once every upload is settled or has reached the stage.
    const started = Date.now()
    let lastReport = started
    const awaitStage = (stage: "experiments_updated" | "recommendations_ready") =>
      Effect.forEach(requestIds, (id) =>
        statuses.track(id, ORG).pipe(Effect.orDie, Effect.map(Option.getOrUndefined))
      ).pipe(
        Effect.tap(() =>
          Date.now() - lastReport < 10_000
            ? Effect.void
            : sql<{ w: number; m: number }>`
              SELECT (SELECT count(*)::int FROM workloads) AS w, (SELECT count(*)::int FROM workload_metrics) AS m`.pipe(
                Effect.tap((rows) =>
                  Effect.sync(() => {
                    lastReport = Date.now()
                    print(
                      `    ${((lastReport - started) / 1000).toFixed(0)} s: ${rows[0]?.w} workloads, ${rows[0]?.m} metric rows (load ${load()})`
                    )
                  })
                ),
                Effect.orDie
              )
        ),
        Effect.filterOrFail((ts): ts is Array<UploadTrack> =>
          ts.every((t) => t !== undefined && (t.status !== "in_progress" || stageOf(t, stage) !== undefined))
        ),
        Effect.retry(Schedule.spaced("250 millis")),
        Effect.timeoutFail({ duration: timeout, onTimeout: () => new Error("the uploads did not settle in time") }),
        Effect.orDie
      )
    /** CPU seconds and transactions since `before`, of the processes it has figures of. */
    const costSince = (before: {
      readonly cpu: ReadonlyArray<number>
      readonly servers: ReadonlyArray<number>
      readonly pg: Map<string, number>
      readonly xacts: Map<string, number>
    }) =>
      Effect.gen(function* () {
        const cpu = processes.map((p) => cpuOf(p.role.pid))
        const serverCpu = servers.map((s) => cpuOf(s.pid))
        const pg = pgMeter.total()
        // The statistics collector takes up to a second to see the backends' last transactions.
        yield* Effect.sleep("1500 millis")
        const xacts = yield* transactions(sql, [rosDb, kruizeDb])
        const since = (now: Map<string, number>, then: Map<string, number>, db: string) =>
          (now.get(db) ?? 0) - (then.get(db) ?? 0)
        const cost: StageCost = {
          processes: processes.map((p, i) => ({ name: p.name, cpu: (cpu[i] ?? 0) - (before.cpu[i] ?? 0) })),
          servers: servers.map((s, i) => ({ name: s.name, cpu: (serverCpu[i] ?? 0) - (before.servers[i] ?? 0) })),
          postgres: { ros: since(pg, before.pg, rosDb), kruize: since(pg, before.pg, kruizeDb) },
          transactions: { ros: since(xacts, before.xacts, rosDb), kruize: since(xacts, before.xacts, kruizeDb) }
        }
        return { cost, now: { cpu, servers: serverCpu, pg, xacts } }
      })
    let tracks = yield* awaitStage(pollerAfter ? "experiments_updated" : "recommendations_ready")
    const loadAfter = load()
    const resultsStage = yield* costSince({ cpu: cpuBefore, servers: serversBefore, pg: pgBefore, xacts: xactsBefore })
    let recommendationStage: RunFigures["recommendationStage"]
    if (pollerAfter) {
      // The poller's CPU counts from its start, its start-up (about a second) included.
      const pollerStarted = Date.now()
      yield* start("poller")
      tracks = yield* awaitStage("recommendations_ready")
      const ms = Date.now() - pollerStarted
      const { cost } = yield* costSince(resultsStage.now)
      recommendationStage = { ...cost, ms }
    }
    pgMeter.stop()
    const peaks = processes.map((p) => peakRssOf(p.role.pid))

    const elapsed = (stage: string) =>
      Math.max(
        ...tracks.map((t) => {
          const received = Date.parse(stageOf(t, "received")?.at ?? "")
          const at = Date.parse(stageOf(t, stage)?.at ?? "")
          return at - received
        })
      )
    const counts = yield* sql<{ w: number; m: number; e: number }>`
      SELECT (SELECT count(*)::int FROM workloads) AS w, (SELECT count(*)::int FROM workload_metrics) AS m,
             (SELECT count(*)::int FROM (SELECT DISTINCT workload_id, interval_end FROM workload_metrics) d) AS e`.pipe(
      Effect.orDie
    )
    const ready = elapsed("recommendations_ready")
    return {
      runners,
      ingestedMs: elapsed("ingested"),
      updatedMs: elapsed("experiments_updated"),
      readyMs: Number.isFinite(ready) ? ready : undefined,
      metricRows: counts[0]?.m ?? 0,
      entries: counts[0]?.e ?? 0,
      workloads: counts[0]?.w ?? 0,
      failed: tracks.filter((t) => t.status === "failed").map((t) => t.error?.message ?? "failed"),
      // Peak RSS over the whole run; CPU of the results stage alone with `--poller after`.
      processes: processes.map((p, i) => ({
        name: p.name,
        peakKib: peaks[i] ?? 0,
        cpu: resultsStage.cost.processes[i]?.cpu ?? 0
      })),
      servers: resultsStage.cost.servers,
      postgres: resultsStage.cost.postgres,
      transactions: resultsStage.cost.transactions,
      loadBefore,
      loadAfter,
      ...(recommendationStage === undefined ? {} : { recommendationStage })
    } satisfies RunFigures
  })

// ---------------------------------------------------------------------------------------------------------------

const perSecond = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString("en-US")
const seconds = (ms: number | undefined) => (ms === undefined ? "-" : `${(ms / 1000).toFixed(1)} s`)

const program = Effect.gen(function* () {
  print(`ingest bench: ${cpus().length} cores, load average ${load()} (1, 5, 15 min)`)
  if (!compiledIsCurrent(fileURLToPath(new URL("..", import.meta.url)), process.env)) {
    // bin/ros-ocp.mjs then runs every role through tsx: about 120 MiB more per process, and more CPU.
    print("  NOTE: dist/ is older than the sources, so the roles run through tsx; `npm run build:server` first")
  }
  const t0 = performance.now()
  const text = usageCsv(sampleOptions({ workloads, days: 1 }), 24)
  const { rows, containers } = shape(text)
  const parts = split(text)
  print(
    `generated ${workloads} workloads: ${rows.toLocaleString("en-US")} CSV rows, ${containers.toLocaleString("en-US")} containers, ` +
      `96 intervals, ${(text.length / 1024 / 1024).toFixed(0)} MiB in ${parts.length} part(s) ` +
      `(${perFile ? "one message per part" : "one message"}), ${((performance.now() - t0) / 1000).toFixed(0)} s`
  )
  const folder = unique("bench")
  const keys = parts.map((_, i) => `${folder}/ros-usage.${i}.csv`)
  const store = yield* ObjectStore
  yield* Effect.addFinalizer(() =>
    Effect.forEach(keys, (key) => store.delete("ros-data", key).pipe(Effect.ignore), { discard: true })
  )
  const urls = yield* Effect.forEach(parts, (part, i) => stageCsv(keys[i]!, part))
  const figures: Array<RunFigures> = []
  for (let round = 1; round <= repeat; round++) {
    for (const runners of runnerCounts) {
      print(`  ${runners} runner(s)${repeat > 1 ? `, run ${round} of ${repeat}` : ""}...`)
      const f = yield* run(runners, urls)
      figures.push(f)
      if (f.failed.length > 0) print(`    upload failed: ${f.failed.join("; ")}`)
      print(
        `    ingested ${seconds(f.ingestedMs)}, experiments updated ${seconds(f.updatedMs)}, recommendations ready ` +
          `${seconds(f.readyMs)}; peak RSS ${f.processes.map((p) => `${p.name} ${mib(p.peakKib)}`).join(", ")}`
      )
    }
  }

  print("")
  print(
    `| runners | ingested | rows/s | experiments updated | rows/s end to end | results/s | recommendations ready | load before → after |`
  )
  print(`| --- | --- | --- | --- | --- | --- | --- | --- |`)
  for (const f of figures) {
    print(
      `| ${f.runners} | ${seconds(f.ingestedMs)} | ${perSecond(rows, f.ingestedMs)} | ${seconds(f.updatedMs)} | ` +
        `${perSecond(rows, f.updatedMs)} | ${perSecond(f.metricRows, f.updatedMs)} | ${seconds(f.readyMs)} | ` +
        `${f.loadBefore} → ${f.loadAfter} |`
    )
  }
  print("")
  print(`| runners | process | peak RSS | CPU s |`)
  print(`| --- | --- | --- | --- |`)
  for (const f of figures) {
    for (const p of f.processes) print(`| ${f.runners} | ${p.name} | ${mib(p.peakKib)} | ${p.cpu.toFixed(1)} |`)
    for (const s of f.servers) print(`| ${f.runners} | ${s.name} | | ${s.cpu.toFixed(1)} |`)
    print(
      `| ${f.runners} | PostgreSQL (ros / kruize) | | ${f.postgres.ros.toFixed(1)} / ${f.postgres.kruize.toFixed(1)} |`
    )
    print(
      `| ${f.runners} | transactions (ros / kruize) | | ${f.transactions.ros.toLocaleString("en-US")} / ` +
        `${f.transactions.kruize.toLocaleString("en-US")} |`
    )
  }
  if (pollerAfter) {
    const stageRow = (f: RunFigures, stage: string, ms: number | undefined, cost: StageCost) =>
      print(
        `| ${f.runners} | ${stage} | ${seconds(ms)} | ` +
          `${[...cost.processes, ...cost.servers]
            // what would print as 0.0 (the poller before its stage, the S3 server) is left out
            .filter((p) => p.cpu >= 0.05)
            .map((p) => `${p.name} ${p.cpu.toFixed(1)}`)
            .join(", ")} | ` +
          `${cost.postgres.ros.toFixed(1)} / ${cost.postgres.kruize.toFixed(1)} | ` +
          `${cost.transactions.ros.toLocaleString("en-US")} / ${cost.transactions.kruize.toLocaleString("en-US")} |`
      )
    print("")
    print("| runners | stage | took | CPU s of each process | PostgreSQL CPU s (ros / kruize) | transactions |")
    print("| --- | --- | --- | --- | --- | --- |")
    for (const f of figures) {
      stageRow(f, "results (no poller)", f.updatedMs, f)
      if (f.recommendationStage !== undefined) {
        stageRow(f, "poller's decisions", f.recommendationStage.ms, f.recommendationStage)
      }
    }
  }
  /** The middle of a sorted list; the lower of the two middles of an even one. */
  const middleOf = <A>(sorted: ReadonlyArray<A>): A | undefined => sorted[Math.floor((sorted.length - 1) / 2)]
  // Each runner count's median run by time to experiments_updated stands for it.
  const medianRuns = runnerCounts.map((runners) => {
    const runs = figures.filter((f) => f.runners === runners).sort((a, b) => a.updatedMs - b.updatedMs)
    return { runners, runs, median: middleOf(runs)! }
  })
  if (repeat > 1) {
    /** `median (min–max)` of what was measured; "-" when a run has no value. */
    const spread = (values: ReadonlyArray<number | undefined>, format: (n: number) => string) => {
      const sorted = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b)
      const [first, middle, last] = [sorted[0], middleOf(sorted), sorted.at(-1)]
      if (first === undefined || middle === undefined || last === undefined) return "-"
      return sorted.length < values.length
        ? `${format(middle)} (${format(first)}–${format(last)}; ${values.length - sorted.length} without)`
        : `${format(middle)} (${format(first)}–${format(last)})`
    }
    const secondsOf = (ms: number) => (ms / 1000).toFixed(1)
    const cpuSeconds = (n: number) => n.toFixed(1)
    print("")
    print(
      "| runners | runs | experiments updated, s: median (range) | rows/s end to end | recommendations ready, s | " +
        "CPU s of each process | CPU s of PostgreSQL |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (const { runners, runs, median } of medianRuns) {
      const processCpu = [...median.processes, ...median.servers].map(
        (p) =>
          `${p.name} ${spread(
            runs.map((f) => [...f.processes, ...f.servers].find((q) => q.name === p.name)?.cpu),
            cpuSeconds
          )}`
      )
      const cells = [
        String(runners),
        String(runs.length),
        spread(
          runs.map((f) => f.updatedMs),
          secondsOf
        ),
        // from the median run's time, so that an even count of runs shows the same run in both columns
        `${perSecond(rows, median.updatedMs)} (${perSecond(rows, runs.at(-1)?.updatedMs ?? median.updatedMs)}–` +
          `${perSecond(rows, runs[0]?.updatedMs ?? median.updatedMs)})`,
        spread(
          runs.map((f) => f.readyMs),
          secondsOf
        ),
        processCpu.join("; "),
        spread(
          runs.map((f) => f.postgres.ros + f.postgres.kruize),
          cpuSeconds
        )
      ]
      print(`| ${cells.join(" | ")} |`)
    }
  }
  const size = `${rows.toLocaleString("en-US")} CSV rows, ${containers.toLocaleString("en-US")} containers × 96 intervals`
  for (const { median: f } of medianRuns) {
    const name = (what: string) => `${what}, ${f.runners} runner${f.runners === 1 ? "" : "s"}`
    const figure = (what: string, value: number, unit: string) =>
      recordFigure("ingest", { name: name(what), value, unit, dataSize: size })
    figure("CSV rows ingested", Math.round(rows / (f.ingestedMs / 1000)), "rows/s")
    figure("CSV rows end to end", Math.round(rows / (f.updatedMs / 1000)), "rows/s")
    figure("results accepted by the engine", Math.round(f.metricRows / (f.updatedMs / 1000)), "results/s")
    for (const p of f.processes) figure(`peak RSS ${p.name}`, Math.round(p.peakKib / 1024), "MiB")
  }
  print("")
  for (const f of figures) {
    print(
      `${f.runners} runner(s): stored ${f.workloads} workloads, ${f.metricRows.toLocaleString("en-US")} container-interval ` +
        `rows (results/s counts these) in ${f.entries.toLocaleString("en-US")} updateResults entries`
    )
  }
  print(`${cpus().length} cores (${cpus()[0]?.model ?? "?"}), load average now ${load()}`)
}).pipe(Effect.scoped, Effect.provide(Layer.mergeAll(Kafka.layer, ObjectStore.layer)))

// runMain: Ctrl-C (SIGINT) or SIGTERM stops the processes and drops the databases before exiting.
NodeRuntime.runMain(program)
