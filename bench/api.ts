/**
 * ROS REST API benchmark against the real PostgreSQL of infra/up (a throw-away database, dropped at the end).
 * The API runs as its own process, as in production, so the load tool (autocannon, on 127.0.0.1) does not share
 * its event loop. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/api.ts [--orgs 4] [--sets 10000] [--connections 50] [--seconds 10] [--csv-rows 10000]
 *     [--runs list,filtered,varied,workloads,csv]
 *
 * 1. Seeds `sets` container recommendation sets spread evenly over `orgs` orgs (plus project recommendations), then
 *    ANALYZEs, as a database in use would be.
 * 2. Lists at `connections` concurrent clients for `seconds` each: unfiltered (first page), and filtered + sorted +
 *    paged; p50 / p99 latency and requests per second.
 * 3. CSV export of `csv-rows` rows (RECORD_LIMIT_CSV set to the sets it takes), sequentially and at 4 clients.
 *
 * `serve` as first argument runs the API role alone (what step 1 starts as the child process); API_NODE_ARGS gives
 * it Node options (e.g. `--cpu-prof --cpu-prof-dir=<folder>`).
 */
import { type ChildProcess, spawn } from "node:child_process"
import { loadavg } from "node:os"
import { parseArgs } from "node:util"
import { NodeRuntime } from "@effect/platform-node"
import autocannon from "autocannon"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { makeIdentityHeader } from "../schema/identity/Identity.js"
import { ApiLive } from "../src/roles/api.js"
import { unusedPort } from "../test/support/ports.js"
import { fleet, seedRos } from "../test/support/rosSeed.js"
import { onDatabase, scratchDatabaseName } from "../test/support/scratchDatabase.js"
import { recordFigure } from "./figures.js"

if (process.argv[2] === "serve") {
  Layer.launch(ApiLive).pipe(Logger.withMinimumLogLevel(LogLevel.Warning), NodeRuntime.runMain)
} else {
  const { values } = parseArgs({
    options: {
      orgs: { type: "string", default: "4" },
      sets: { type: "string", default: "10000" },
      connections: { type: "string", default: "50" },
      seconds: { type: "string", default: "10" },
      "csv-rows": { type: "string", default: "10000" },
      /** Which measurements to run: list, filtered, varied, workloads, csv. */
      runs: { type: "string", default: "list,filtered,varied,workloads,csv" }
    }
  })
  const orgCount = Number(values.orgs)
  const sets = Number(values.sets)
  const connections = Number(values.connections)
  const seconds = Number(values.seconds)
  const csvRows = Number(values["csv-rows"])
  const runs = new Set(values.runs.split(",").map((r) => r.trim()))
  // Every container has all three terms: a recommendation set is exactly six CSV rows.
  const csvRecords = Math.ceil(csvRows / 6)

  const load = () => {
    const [one, five] = loadavg()
    return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min)`
  }

  const startApi = (database: string, port: number) =>
    Effect.acquireRelease(
      Effect.sync(() =>
        spawn(
          process.execPath,
          [
            ...(process.env.API_NODE_ARGS?.split(" ").filter((a) => a !== "") ?? []),
            "--import",
            "tsx",
            "bench/api.ts",
            "serve"
          ],
          {
            env: {
              ...process.env,
              DB_NAME: database,
              API_PORT: String(port),
              RECORD_LIMIT_CSV: String(csvRecords)
            },
            stdio: ["ignore", "inherit", "inherit"]
          }
        )
      ),
      // Wait for the exit: the database is dropped next, under the role's open connections otherwise.
      (child: ChildProcess) =>
        Effect.async<void>((resume) => {
          if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
          child.once("exit", () => resume(Effect.void))
          child.kill("SIGTERM")
        })
    )

  interface Run {
    readonly title: string
    /** Recorded for `npm run bench` when set (the warm-up is not). */
    readonly figure?: string
    readonly path: string
    /** The path of the n-th request, when each request asks for something else (`path` is then the first). */
    readonly pathOf?: (n: number) => string
    readonly org: string
    readonly connections: number
    readonly seconds: number
  }

  const nextPath = (pathOf: (n: number) => string) => {
    let n = 0
    return (request: autocannon.Request) => ({ ...request, path: pathOf(n++) })
  }

  const run = (url: string, r: Run) =>
    Effect.promise(() =>
      autocannon({
        url: `${url}${r.path}`,
        connections: r.connections,
        duration: r.seconds,
        headers: { "x-rh-identity": makeIdentityHeader({ orgId: r.org }) },
        ...(r.pathOf === undefined ? {} : { requests: [{ setupRequest: nextPath(r.pathOf) }] })
      })
    ).pipe(
      Effect.tap((result) =>
        Effect.sync(() => {
          const bytes = result.throughput.average
          process.stdout.write(
            `${r.title.padEnd(44)} p50 ${String(result.latency.p50).padStart(5)} ms  p99 ${String(result.latency.p99).padStart(5)} ms  ` +
              `${Math.round(result.requests.average)} req/s  ${(bytes / 1e6).toFixed(1)} MB/s  ` +
              `(${result.requests.total} requests, ${result.non2xx} non-2xx, ${result.errors} errors; ${load()})\n`
          )
          if (r.figure !== undefined) {
            const dataSize = `${sets.toLocaleString("en-US")} sets, ${orgCount} orgs, ${r.connections} clients`
            recordFigure("api", { name: `${r.figure} p50`, value: result.latency.p50, unit: "ms", dataSize })
            recordFigure("api", { name: `${r.figure} p99`, value: result.latency.p99, unit: "ms", dataSize })
            recordFigure("api", {
              name: `${r.figure} throughput`,
              value: Math.round(result.requests.average),
              unit: "req/s",
              dataSize
            })
          }
        })
      )
    )

  const program = Effect.gen(function* () {
    const database = yield* scratchDatabaseName("bench_api")
    const port = yield* unusedPort
    const url = `http://127.0.0.1:${port}`
    yield* startApi(database, port)
    yield* Effect.tryPromise(async () => {
      for (let i = 0; i < 600; i++) {
        const ok = await fetch(`${url}/status`).then(
          (r) => r.ok,
          () => false
        )
        if (ok) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      throw new Error("the API did not start within a minute")
    })
    const orgIds = Array.from({ length: orgCount }, (_, i) => `bench-org-${i + 1}`)
    // 5 clusters × 10 namespaces × W workloads × 2 containers per org.
    const workloadsPerNamespace = Math.max(1, Math.round(sets / orgCount / 5 / 10 / 2))
    const orgs = fleet({
      orgIds,
      clustersPerOrg: 5,
      namespacesPerCluster: 10,
      workloadsPerNamespace,
      containersPerWorkload: 2,
      endTime: new Date(),
      spreadHours: 48,
      allTerms: true
    })
    const seedStarted = Date.now()
    const ids = yield* onDatabase(
      database,
      (sql) =>
        Effect.gen(function* () {
          const seeded = yield* seedRos(orgs)
          // A production database has planner statistics; a freshly seeded one has none until autovacuum runs.
          yield* sql`ANALYZE`
          return seeded
        }),
      2
    )
    process.stdout.write(
      `seeded ${ids.containers.size} recommendation sets (${orgCount} orgs, ${ids.projects.size} project sets) ` +
        `in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s; ${load()}\n`
    )
    const org = orgIds[0] ?? "bench-org-1"
    const list = "/api/cost-management/v1/recommendations/openshift"
    // Warm-up: JIT, connection pool, PostgreSQL caches.
    yield* run(url, { title: "(warm-up)", path: list, org, connections, seconds: 2 })
    if (runs.has("list")) {
      yield* run(url, { title: "list, unfiltered, first page", figure: "list", path: list, org, connections, seconds })
    }
    if (runs.has("filtered")) {
      yield* run(url, {
        title: "list, filtered + sorted + paged",
        figure: "filtered list",
        path: `${list}?project=project-1&workload_type=deployment&exclude[container]=container-1&order_by=cpu_variation_short_cost&order_how=asc&limit=10&offset=10`,
        org,
        connections,
        seconds
      })
    }
    if (runs.has("varied")) {
      // Every request another page: 50 projects × 12 orders × 3 page sizes × 5 offsets, so within a run almost
      // every answer is made from the database rather than given back from what the API kept.
      const orders = [
        "cpu_variation_short_cost",
        "memory_variation_short_cost",
        "project",
        "workload",
        "container",
        "last_reported"
      ]
      yield* run(url, {
        title: "list, filtered + sorted + paged, varied",
        figure: "filtered list, every request another page",
        path: `${list}?project=project-1&limit=10`,
        pathOf: (n) =>
          `${list}?project=project-${1 + (n % 50)}&workload_type=deployment&exclude[container]=container-1` +
          `&order_by=${orders[Math.floor(n / 50) % orders.length]}&order_how=${Math.floor(n / 300) % 2 === 0 ? "asc" : "desc"}` +
          `&limit=${10 + (Math.floor(n / 600) % 3)}&offset=${10 * (Math.floor(n / 1800) % 5)}`,
        org,
        connections,
        seconds
      })
    }
    if (runs.has("workloads")) {
      yield* run(url, {
        title: "ros/v1/workloads, filtered + paged",
        figure: "workloads",
        path: "/api/ros/v1/workloads?cluster=cluster-bench-org-1-2&limit=10&offset=10",
        org,
        connections,
        seconds
      })
    }
    if (!runs.has("csv")) return
    const probe = yield* Effect.promise(() =>
      fetch(`${url}${list}?format=csv`, { headers: { "x-rh-identity": makeIdentityHeader({ orgId: org }) } }).then(
        (r) => r.text()
      )
    )
    const rows = probe.split("\n").filter((line) => line !== "").length - 1
    process.stdout.write(`CSV export: ${rows} rows, ${(probe.length / 1e6).toFixed(1)} MB per request\n`)
    for (const clients of [1, 4]) {
      yield* run(url, {
        title: `CSV export of ${rows} rows, ${clients} client${clients === 1 ? "" : "s"}`,
        figure: `CSV export of ${rows.toLocaleString("en-US")} rows`,
        path: `${list}?format=csv`,
        org,
        connections: clients,
        seconds
      })
    }
  })

  Effect.runPromise(Effect.scoped(program)).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`)
      process.exit(1)
    }
  )
}
