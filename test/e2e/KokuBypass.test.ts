/**
 * The koku bypass of upstream's data-flow documentation (README "Manual data-flow test", step 2), with nothing
 * faked: every role runs (as `ros-ocp start all`) on the real Kafka, S3 and PostgreSQL; the 37-column sample CSV is
 * copied into ros-data with the `infra/s3` tool and the hccm.ros.events message is published by hand with
 * `infra/kafka-console-producer`, both spawned as a user runs them. The result is read back through the public
 * interfaces: the ROS API, the engine's API, and the rosocp.kruize.recommendations topic (with
 * `infra/kafka-console-consumer`).
 *
 * The CSV holds 12 hours (2026-08-03 00:00–12:00), which is enough for the short term (Kruize needs 2 points of
 * 15 minutes) but not for the medium (2 days) or long (8 days) terms.
 */
import { execFile } from "node:child_process"
import { randomUUID } from "node:crypto"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule, Schema } from "effect"
import { RecommendationMessageJson } from "../../schema/ros/RecommendationMessage.js"
import { Kafka } from "../../src/services/Kafka.js"
import { getJson, seedIdentity, startStack } from "../support/stackHarness.js"

const REPO = fileURLToPath(new URL("../../", import.meta.url))
const CSV = fileURLToPath(new URL("../../samples/ros-ocp-usage.csv", import.meta.url))

// The seed's message metadata (test-ros-ocp-dataflow.sh, older version).
const ORG = "12345"
const SOURCE = "test-source-id"
const CLUSTER = "1b77b73f-1d3e-43c6-9f55-bcd9fb6d1a0c"
const ALIAS = "test-cluster"
const WINDOW = "start_date=2026-08-01"

// The workloads of samples/ros-ocp-usage.csv after upstream's row filter (a job and the rows without a workload
// are dropped): namespace, type, name, containers.
const WORKLOADS: ReadonlyArray<readonly [string, string, string, ReadonlyArray<string>]> = [
  ["analytics", "deployment", "jupyter", ["git-sync", "notebook"]],
  ["analytics", "statefulset", "kafka", ["kafka"]],
  ["platform-tools", "daemonset", "node-exporter", ["kube-rbac-proxy", "node-exporter"]],
  ["platform-tools", "deploymentconfig", "eap-app", ["eap-app"]],
  ["shop-batch", "deployment", "queue-worker", ["worker"]],
  ["shop-batch", "replicaset", "legacy-cache", ["memcached"]],
  ["shop-prod", "deployment", "checkout-api", ["checkout"]],
  ["shop-prod", "deployment", "frontend", ["nginx", "oauth-proxy"]],
  ["shop-prod", "statefulset", "postgres", ["metrics-exporter", "postgres"]]
]
// spec ros-ocp-backend §3.1: org|source|cluster_uuid|namespace|type|name
const EXPERIMENTS = WORKLOADS.map(([ns, type, name]) => `${ORG}|${SOURCE}|${CLUSTER}|${ns}|${type}|${name}`).sort()
const CONTAINERS = WORKLOADS.flatMap(([ns, , name, containers]) => containers.map((c) => `${ns}/${name}/${c}`)).sort()

interface Ran {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs one of the infra/ tools as a user does, with `input` on stdin; killed after `timeoutMs`. */
const runTool = (tool: string, args: ReadonlyArray<string>, input = "", timeoutMs = 60_000) =>
  Effect.async<Ran>((resume) => {
    const child = execFile(
      `${REPO}infra/${tool}`,
      args,
      { cwd: REPO, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1
        resume(Effect.succeed({ code, stdout, stderr }))
      }
    )
    child.stdin?.end(input)
    return Effect.sync(() => {
      child.kill("SIGTERM")
    })
  })

const bootstrap = (): ReadonlyArray<string> => {
  const servers = process.env.KAFKA_BOOTSTRAP_SERVERS?.trim()
  return servers ? ["--bootstrap-server", servers.split(/[\s,]+/).join(",")] : []
}

interface ListedExperiment {
  readonly experiment_name: string
  readonly cluster_name: string
  readonly kubernetes_objects: ReadonlyArray<{
    readonly type: string
    readonly name: string
    readonly namespace: string
    // a map by container name here (spec kruize §2.4)
    readonly containers?: Record<string, { readonly container_name: string }>
  }>
}

interface ListBody {
  readonly meta: { readonly count: number }
  readonly data: ReadonlyArray<{
    readonly cluster_uuid: string
    readonly cluster_alias: string
    readonly project: string
    readonly workload: string
    readonly workload_type: string
    readonly container: string
    readonly source_id?: string
    readonly recommendations: {
      readonly recommendation_terms: Record<string, { readonly recommendation_engines?: unknown } | undefined>
    }
  }>
}

describe("end to end: the seed's koku bypass", () => {
  it.scopedLive(
    "a CSV copied into ros-data and an hccm.ros.events message published by hand end as recommendations",
    () =>
      Effect.gen(function* () {
        const stack = yield* startStack()
        const identity = seedIdentity(ORG)

        // 1. The CSV into ros-data, under the name koku gives it, with infra/s3.
        const key = `${randomUUID()}_openshift_usage_report.0.csv`
        const bucket = process.env.REQUESTED_ROS_BUCKET?.trim() || "ros-data"
        const copied = yield* runTool("s3", ["cp", CSV, `s3://${bucket}/${key}`])
        yield* Effect.addFinalizer(() => runTool("s3", ["rm", `s3://${bucket}/${key}`]))
        expect(copied.stderr).toBe("")
        expect(copied.code).toBe(0)
        expect(copied.stdout).toContain(`s3://${bucket}/${key}`)
        const endpoint = (process.env.S3_ENDPOINT?.trim() || "http://127.0.0.1:9000").replace(/\/+$/, "")
        const url = `${endpoint}/${bucket}/${key}`
        // The bucket is public-read, as the seed's MinIO: the processor fetches the plain URL.
        const anonymous = yield* Effect.promise(() => fetch(url, { method: "HEAD" }))
        expect(anonymous.status).toBe(200)

        // 2. The message koku would send, published by hand with the console producer (one line on stdin).
        const requestId = randomUUID()
        const message = JSON.stringify({
          request_id: requestId,
          b64_identity: identity,
          metadata: { account: ORG, org_id: ORG, source_id: SOURCE, cluster_uuid: CLUSTER, cluster_alias: ALIAS },
          files: [url]
        })
        const produced = yield* runTool(
          "kafka-console-producer",
          [...bootstrap(), "--topic", stack.topics.uploads],
          `${message}\n`
        )
        expect(produced.code, produced.stderr).toBe(0)

        // 3. The ROS API: a short-term recommendation for every container of the CSV (bounded wait).
        const api = `${stack.apiUrl}/api/cost-management/v1/recommendations/openshift`
        const hasShortTerm = (item: ListBody["data"][number]) =>
          item.recommendations.recommendation_terms.short_term?.recommendation_engines !== undefined
        const fetchList = getJson(`${api}/container?${WINDOW}&limit=-1`, identity).pipe(
          Effect.map((r) => r.body as ListBody)
        )
        yield* fetchList.pipe(
          Effect.filterOrFail((l) => l.meta.count >= CONTAINERS.length && l.data.every(hasShortTerm)),
          Effect.retry(Schedule.spaced("1 second").pipe(Schedule.upTo("90 seconds"))),
          Effect.ignore
        )
        const list = yield* fetchList
        expect(list.data.map((i) => `${i.project}/${i.workload}/${i.container}`).sort()).toEqual(CONTAINERS)
        for (const item of list.data) {
          expect(item.cluster_uuid).toBe(CLUSTER)
          expect(item.cluster_alias).toBe(ALIAS)
          expect(item.source_id).toBe(SOURCE)
          expect(hasShortTerm(item)).toBe(true)
          // 12 hours are not enough for the medium and long terms.
          expect(item.recommendations.recommendation_terms.medium_term?.recommendation_engines).toBeUndefined()
          expect(item.recommendations.recommendation_terms.long_term?.recommendation_engines).toBeUndefined()
        }
        // Another org sees nothing of it.
        const other = (yield* getJson(`${api}/container?${WINDOW}`, seedIdentity("9999999"))).body as ListBody
        expect(other.meta.count).toBe(0)

        // 4. The engine: one experiment per workload, named per spec §3.1, with the CSV's containers.
        const listed = (yield* getJson(`${stack.engineUrl}/listExperiments`)).body as ReadonlyArray<ListedExperiment>
        expect(listed.map((e) => e.experiment_name).sort()).toEqual(EXPERIMENTS)
        for (const e of listed) {
          expect(e.cluster_name).toBe(`${ORG};${CLUSTER}`)
          const object = e.kubernetes_objects[0]
          const workload = WORKLOADS.find(
            ([ns, type, name]) => `${ORG}|${SOURCE}|${CLUSTER}|${ns}|${type}|${name}` === e.experiment_name
          )
          expect(
            Object.values(object?.containers ?? {})
              .map((c) => c.container_name)
              .sort()
          ).toEqual(workload?.[3])
        }

        // 5. Kafka, read with the console consumer: one message per workload, in the Go wire format.
        const consumed = yield* runTool(
          "kafka-console-consumer",
          [...bootstrap(), "--topic", stack.topics.recommendations, "--from-beginning", "--timeout-ms", "10000"],
          "",
          60_000
        )
        expect(consumed.code, consumed.stderr).toBe(0)
        const lines = consumed.stdout.split("\n").filter((l) => l.trim() !== "")
        expect(lines.length).toBe(WORKLOADS.length)
        const decoded = lines.map((l) => Schema.decodeUnknownSync(RecommendationMessageJson)(l))
        expect(decoded.map((m) => m.Metadata.Experiment_name).sort()).toEqual(EXPERIMENTS)
        for (const [i, m] of decoded.entries()) {
          expect(m.Request_id).toBe(requestId)
          expect(m.Metadata.Org_id).toBe(ORG)
          expect(m.Metadata.ExperimentType).toBe("container")
          expect(new Date(m.Metadata.Max_endtime_report.epochMillis).toISOString()).toBe("2026-08-03T12:00:00.000Z")
          // Go's field names verbatim (no JSON tags).
          const raw = JSON.parse(lines[i]!) as { Metadata: object }
          expect(Object.keys(raw).sort()).toEqual(["Metadata", "Request_id"])
          expect(Object.keys(raw.Metadata).sort()).toEqual(
            ["ExperimentType", "Experiment_name", "Max_endtime_report", "Org_id", "Workload_id"].sort()
          )
        }
      }).pipe(Effect.provide(Kafka.layer)),
    240_000
  )
})
