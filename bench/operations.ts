/**
 * What one operation of each kind the pipeline repeats per experiment costs on this machine, measured through the
 * libraries the roles use: a volatile entity message on @effect/cluster (one runner, in-memory storage), a
 * PostgreSQL statement through @effect/sql-pg (with the server backend's CPU beside it, on a throw-away database),
 * an HTTP POST of one experiment's updateResults body through @effect/platform (undici client and Node server, both
 * in this process), and the JSON of that body alone. The ingest benchmark's hand-offs are made of these, so this
 * says how much of its CPU is the cost of an operation rather than of the data. Prints figures; asserts nothing.
 *
 *   node --import tsx bench/operations.ts [--count 5000] [--concurrency 8]
 */
import { createServer } from "node:http"
import { parseArgs } from "node:util"
import { Entity, TestRunner } from "@effect/cluster"
import { HttpClient, HttpClientRequest, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { Rpc } from "@effect/rpc"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Schema } from "effect"
import { containerRecord } from "../test/support/kruizeFixtures.js"
import { unusedPort } from "../test/support/ports.js"
import { databaseClient, scratchDatabaseName } from "../test/support/scratchDatabase.js"
import { recordFigure } from "./figures.js"
import { postgresCpuMeter } from "./procStats.js"

const { values } = parseArgs({
  options: {
    count: { type: "string", default: "5000" },
    concurrency: { type: "string", default: "8" }
  }
})
const count = Number(values.count)
const concurrency = Number(values.concurrency)
/** Operations run before the measured ones, so connections and code are warm. */
const warmUp = Math.ceil(count / 10)
const print = (line: string) => process.stdout.write(`${line}\n`)

/** CPU µs of this process per operation, over `count` operations after `warmUp` of them. */
const perOperation = (operation: (i: number) => Effect.Effect<unknown, unknown>) =>
  Effect.gen(function* () {
    const run = (n: number) =>
      Effect.forEach(
        Array.from({ length: n }, (_, i) => i),
        operation,
        { concurrency, discard: true }
      )
    yield* run(warmUp)
    const before = process.cpuUsage()
    const started = performance.now()
    yield* run(count)
    const cpu = process.cpuUsage(before)
    return { cpuMicros: (cpu.user + cpu.system) / count, wallMicros: ((performance.now() - started) * 1000) / count }
  })

const row = (name: string, figures: { readonly cpuMicros: number; readonly wallMicros: number }, extra = "") => {
  recordFigure("operations", { name, value: Math.round(figures.cpuMicros), unit: "µs CPU", dataSize: `${count} ops` })
  print(`| ${name} | ${figures.cpuMicros.toFixed(0)} | ${figures.wallMicros.toFixed(0)} | ${extra} |`)
}

const Echo = Entity.make("Echo", [Rpc.make("Ping", { payload: { n: Schema.Int }, success: Schema.Int })])
const EchoLive = Echo.toLayer(Effect.succeed(Echo.of({ Ping: ({ payload }) => Effect.succeed(payload.n + 1) })))

const entityMessages = Effect.gen(function* () {
  const client = yield* Echo.client
  // as many entities as the ingest benchmark's experiments, each already active
  const entities = 2000
  yield* Effect.forEach(
    Array.from({ length: entities }, (_, i) => i),
    (i) => client(`e-${i}`).Ping({ n: i }),
    { concurrency, discard: true }
  )
  row(
    "volatile entity message, same runner",
    yield* perOperation((i) => client(`e-${i % entities}`).Ping({ n: i })),
    `${entities} entities`
  )
}).pipe(Effect.provide(EchoLive.pipe(Layer.provideMerge(TestRunner.layer))))

const statements = Effect.gen(function* () {
  const database = yield* scratchDatabaseName("bench_operations")
  const meter = postgresCpuMeter([database])
  const figures = yield* Effect.flatMap(PgClient.PgClient, (sql) => perOperation(() => sql`SELECT 1`)).pipe(
    Effect.provide(databaseClient(database, concurrency))
  )
  const backend = meter.total().get(database) ?? 0
  meter.stop()
  // the backends' CPU includes the warm-up and the connections' start
  row(
    "PostgreSQL statement (SELECT 1)",
    figures,
    `server backends: ${((backend * 1e6) / (count + warmUp)).toFixed(0)} µs CPU each`
  )
})

const body = JSON.stringify(Array.from({ length: 24 }, (_, i) => containerRecord(i)))

const httpRequests = Effect.gen(function* () {
  const port = yield* unusedPort
  const server = HttpRouter.empty.pipe(
    HttpRouter.post(
      "/updateResults",
      Effect.succeed(HttpServerResponse.text('{"message":"Results added successfully!"}', { status: 201 }))
    ),
    HttpServer.serve(),
    Layer.provide(NodeHttpServer.layer(createServer, { port, host: "127.0.0.1" }))
  )
  const figures = yield* Effect.flatMap(HttpClient.HttpClient, (http) =>
    perOperation(() =>
      http
        .execute(
          HttpClientRequest.post(`http://127.0.0.1:${port}/updateResults`).pipe(
            HttpClientRequest.bodyText(body, "application/json")
          )
        )
        .pipe(
          Effect.flatMap((response) => response.text),
          Effect.scoped
        )
    )
  ).pipe(Effect.provide(Layer.merge(server, NodeHttpClient.layerUndici)))
  row("HTTP POST of 24 results, client and server", figures, `${(body.length / 1024).toFixed(0)} KiB body`)
})

const json = perOperation(() => Effect.sync(() => JSON.stringify(JSON.parse(body)))).pipe(
  Effect.map((figures) => row("JSON parse + stringify of that body", figures))
)

const program = Effect.gen(function* () {
  print(`operations bench: ${count} of each, ${concurrency} at once; CPU of this process per operation`)
  print("")
  print("| operation | µs CPU | µs wall | note |")
  print("| --- | --- | --- | --- |")
  yield* entityMessages
  yield* statements
  yield* httpRequests
  yield* json
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
