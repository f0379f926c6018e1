/**
 * What one operation of each kind the pipeline repeats per experiment costs on this machine, measured through the
 * libraries the roles use: a volatile entity message on @effect/cluster (one runner, in-memory storage), a
 * PostgreSQL statement through @effect/sql-pg (with the server backend's CPU beside it, on a throw-away database),
 * an HTTP POST of one experiment's updateResults body through @effect/platform (undici client and Node server, both
 * in this process, the server reading the body as the engine does), a Kafka message through the roles' producer
 * (with the broker's CPU beside it, on a throw-away topic), and the JSON of that body alone. The ingest benchmark's
 * hand-offs are made of these, so this says how much of its CPU is the cost of an operation rather than of the data. The statement, the POST and the Kafka message are
 * measured again on the plain libraries (node-postgres, node:http, kafkajs) with promises and no Effect: what the
 * same operation costs at the least on this machine, so the difference is what the Effect stack adds to it.
 * Prints figures; asserts nothing.
 *
 *   node --import tsx bench/operations.ts [--count 5000] [--concurrency 8]
 */
import { Agent, createServer, request } from "node:http"
import { parseArgs } from "node:util"
import { Entity, TestRunner } from "@effect/cluster"
import { HttpClient, HttpClientRequest, HttpRouter, HttpServer, HttpServerResponse } from "@effect/platform"
import { NodeHttpClient, NodeHttpServer } from "@effect/platform-node"
import { Rpc } from "@effect/rpc"
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted, Schema } from "effect"
import { Kafka as KafkaJs, logLevel } from "kafkajs"
import pg from "pg"
import { Kafka } from "../src/services/Kafka.js"
import { requestText } from "../src/services/RequestBody.js"
import { DatabaseSettings, KafkaSettings } from "../src/services/Settings.js"
import { containerRecord } from "../test/support/kruizeFixtures.js"
import { unusedPort } from "../test/support/ports.js"
import { databaseClient, scratchDatabaseName } from "../test/support/scratchDatabase.js"
import { recordFigure } from "./figures.js"
import { cpuOf, infraServers, postgresCpuMeter } from "./procStats.js"

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

/** CPU µs of this process per operation: `run(n)` runs n operations; `count` are measured after `warmUp` of them. */
const measured = (run: (n: number) => Effect.Effect<unknown, unknown>) =>
  Effect.gen(function* () {
    yield* run(warmUp)
    const before = process.cpuUsage()
    const started = performance.now()
    yield* run(count)
    const cpu = process.cpuUsage(before)
    return { cpuMicros: (cpu.user + cpu.system) / count, wallMicros: ((performance.now() - started) * 1000) / count }
  })

/** Effect operations, `concurrency` at a time. */
const perOperation = (operation: (i: number) => Effect.Effect<unknown, unknown>) =>
  measured((n) =>
    Effect.forEach(
      Array.from({ length: n }, (_, i) => i),
      operation,
      { concurrency, discard: true }
    )
  )

/** Operations of a plain library: promises, `concurrency` at a time, one Effect around the whole run. */
const plainPerOperation = (operation: (i: number) => Promise<unknown>) =>
  measured((n) =>
    Effect.promise(async () => {
      let next = 0
      const worker = async () => {
        while (next < n) await operation(next++)
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    })
  )

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
  // the backends' CPU includes the warm-up and the connections' start
  const backendNote = (cpuSeconds: number) =>
    `server backends: ${((cpuSeconds * 1e6) / (count + warmUp)).toFixed(0)} µs CPU each`
  row("PostgreSQL statement (SELECT 1)", figures, backendNote(backend))
  const settings = yield* DatabaseSettings
  const pool = new pg.Pool({
    host: settings.host,
    port: settings.port,
    user: settings.user,
    password: Redacted.value(settings.password),
    database,
    max: concurrency
  })
  const plain = yield* plainPerOperation(() => pool.query("SELECT 1"))
  yield* Effect.promise(() => pool.end())
  row("  the same, node-postgres alone", plain, backendNote((meter.total().get(database) ?? 0) - backend))
  meter.stop()
})

const body = JSON.stringify(Array.from({ length: 24 }, (_, i) => containerRecord(i)))

const ACCEPTED = '{"message":"Results added successfully!"}'
const accepted = HttpServerResponse.text(ACCEPTED, { status: 201 })

/** Client and server in this process; the server reads the body as the engine does. */
const httpRequests = Effect.gen(function* () {
  const port = yield* unusedPort
  const server = HttpRouter.empty.pipe(
    HttpRouter.post("/updateResults", Effect.as(requestText(1 << 26), accepted)),
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
  row("  the same, node:http alone", yield* plainHttpPosts, "keep-alive agent")
})

const plainHttpPosts = Effect.acquireUseRelease(
  Effect.async<ReturnType<typeof createServer>>((resume) => {
    const server = createServer((req, res) => {
      req.resume()
      req.on("end", () => {
        res.writeHead(201, { "content-type": "application/json" })
        res.end(ACCEPTED)
      })
    })
    server.listen(0, "127.0.0.1", () => resume(Effect.succeed(server)))
  }),
  (server) => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
    const post = () =>
      new Promise<string>((resolve, reject) => {
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path: "/updateResults",
            method: "POST",
            agent,
            headers: { "content-type": "application/json" }
          },
          (res) => {
            let text = ""
            res.setEncoding("utf8")
            res.on("data", (chunk: string) => {
              text += chunk
            })
            res.on("end", () => resolve(text))
            res.on("error", reject)
          }
        )
        req.on("error", reject)
        req.end(body)
      })
    return plainPerOperation(post).pipe(Effect.ensuring(Effect.sync(() => agent.destroy())))
  },
  (server) =>
    Effect.async<void>((resume) => {
      server.close(() => resume(Effect.void))
    })
)

/** A recommendations-topic message of the size the runner sends per experiment. */
const recommendationMessage = (i: number) => ({
  key: `1234567|1|0c5f3b7e-0000-4000-8000-00000000000${i % 10}|ns-${i % 7}|deployment|app-${i}`,
  value: JSON.stringify({
    Request_id: "3bd1cbc8-0c5f-4e80-b2a7-6b3e5a3c7f10",
    Metadata: {
      Org_id: "1234567",
      Workload_id: i + 1,
      Experiment_name: `1234567|1|0c5f3b7e-0000-4000-8000-00000000000${i % 10}|ns-${i % 7}|deployment|app-${i}`,
      Max_endtime_report: "2026-06-01T23:45:00Z",
      ExperimentType: "container"
    }
  })
})

const brokerCpu = () => {
  const broker = infraServers().find((s) => s.name === "Kafka broker")
  return broker === undefined ? undefined : cpuOf(broker.pid)
}

const brokerNote = (before: number | undefined) => {
  const after = brokerCpu()
  return before === undefined || after === undefined
    ? "broker not started by infra/up"
    : `broker: ${(((after - before) * 1e6) / (count + warmUp)).toFixed(0)} µs CPU each (it counts in 10 ms ticks)`
}

const kafkaMessages = Effect.gen(function* () {
  const settings = yield* KafkaSettings
  const topic = `bench-operations-${Date.now().toString(36)}`
  const kafka = new KafkaJs({ clientId: "bench-operations", brokers: [...settings.brokers], logLevel: logLevel.WARN })
  const admin = kafka.admin()
  yield* Effect.acquireRelease(
    Effect.promise(async () => {
      await admin.connect()
      await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })
    }),
    () =>
      Effect.promise(async () => {
        await admin.deleteTopics({ topics: [topic] })
        await admin.disconnect()
      })
  )
  const viaService = brokerCpu()
  const figures = yield* Effect.flatMap(Kafka, (k) =>
    perOperation((i) => k.send([{ topic, ...recommendationMessage(i) }]))
  )
  row("Kafka message through the roles' producer", figures, brokerNote(viaService))
  const producer = kafka.producer()
  yield* Effect.promise(() => producer.connect())
  const plainStart = brokerCpu()
  const plain = yield* plainPerOperation((i) =>
    producer.send({ topic, acks: -1, messages: [recommendationMessage(i)] })
  )
  yield* Effect.promise(() => producer.disconnect())
  row("  the same, kafkajs alone (a request per message)", plain, brokerNote(plainStart))
}).pipe(Effect.provide(Kafka.layer))

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
  yield* kafkaMessages
  yield* json
})

Effect.runPromise(Effect.scoped(program)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  }
)
