/**
 * `ros-ocp start all` started for real in this process, as `npm start` runs it, but on throw-away databases,
 * free loopback ports, and topics and consumer groups of its own, so it never reads anyone else's messages.
 * Every role reaches the others the way a deployment wires them: by URL and through Kafka.
 */
import { ConfigProvider, Effect, Encoding, Exit, Scope } from "effect"
import { AllRolesLive } from "../../src/roles/all.js"
import { Kafka } from "../../src/services/Kafka.js"
import { startWith, unique } from "./pipelineHarness.js"
import { unusedPort } from "./ports.js"
import { scratchDatabaseName } from "./scratchDatabase.js"

export interface StackTopics {
  readonly announce: string
  readonly uploads: string
  readonly recommendations: string
  readonly sourcesEvents: string
}

export interface Stack {
  readonly ingressUrl: string
  readonly apiUrl: string
  readonly sourcesUrl: string
  readonly engineUrl: string
  readonly topics: StackTopics
  readonly databases: { readonly ros: string; readonly kruize: string; readonly sources: string }
}

/** Starts every role; they stop when the surrounding scope closes. */
export const startStack = (extra: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const databases = {
      ros: yield* scratchDatabaseName("e2e_ros"),
      kruize: yield* scratchDatabaseName("e2e_kruize"),
      sources: yield* scratchDatabaseName("e2e_sources")
    }
    const topics: StackTopics = {
      announce: unique("e2e-announce"),
      uploads: unique("e2e-uploads"),
      recommendations: unique("e2e-recommendations"),
      sourcesEvents: unique("e2e-sources-events")
    }
    yield* (yield* Kafka).ensureTopics(Object.values(topics).map((topic) => ({ topic, partitions: 3 })))
    const port = {
      ingress: yield* unusedPort,
      api: yield* unusedPort,
      sources: yield* unusedPort,
      engine: yield* unusedPort
    }
    const url = (p: number) => `http://127.0.0.1:${p}`
    const stack: Stack = {
      ingressUrl: url(port.ingress),
      apiUrl: url(port.api),
      sourcesUrl: url(port.sources),
      engineUrl: url(port.engine),
      topics,
      databases
    }
    const provider = ConfigProvider.fromMap(
      new Map([
        ["DB_NAME", databases.ros],
        ["KRUIZE_DB_NAME", databases.kruize],
        ["SOURCES_DB_NAME", databases.sources],
        ["INGRESS_WEBPORT", String(port.ingress)],
        ["API_PORT", String(port.api)],
        ["SOURCES_PORT", String(port.sources)],
        ["KRUIZE_PORT", String(port.engine)],
        ["ROS_RUNNER_PORT", String(yield* unusedPort)],
        ["ENGINE_RUNNER_PORT", String(yield* unusedPort)],
        ["SHARDS_PER_GROUP", "30"],
        ["KRUIZE_URL", stack.engineUrl],
        ["SOURCES_API_BASE_URL", stack.sourcesUrl],
        ["INGRESS_URL", stack.ingressUrl],
        ["INGRESS_KAFKAANNOUNCETOPIC", topics.announce],
        ["UPLOAD_TOPIC", topics.uploads],
        ["RECOMMENDATION_TOPIC", topics.recommendations],
        ["SOURCES_EVENT_TOPIC", topics.sourcesEvents],
        ["KAFKA_CONSUMER_GROUP_ID", unique("e2e-processor")],
        ["POLLER_CONSUMER_GROUP_ID", unique("e2e-poller")],
        ["HOUSEKEEPER_CONSUMER_GROUP_ID", unique("e2e-housekeeper")],
        ["KOKU_CONSUMER_GROUP_ID", unique("e2e-koku")],
        ...Object.entries(extra)
      ])
    ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
    const scope = yield* startWith(AllRolesLive, provider)
    yield* Effect.addFinalizer(() => Scope.close(scope, Exit.void))
    return stack
  })

/** The seed's identity header: no `type`, the org only under `internal` (ros-ocp-backend §8). */
export const seedIdentity = (orgId: string, account = "12345") =>
  Encoding.encodeBase64(JSON.stringify({ identity: { account_number: account, internal: { org_id: orgId } } }))

/** A GET with the identity; the status and the parsed JSON body. */
export const getJson = (url: string, identity?: string) =>
  Effect.promise(async () => {
    const response = await fetch(url, { headers: identity === undefined ? {} : { "x-rh-identity": identity } })
    const text = await response.text()
    let body: unknown = text
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body }
  })
