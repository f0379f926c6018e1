/**
 * The automatic equivalent of upstream's test-ros-ocp-dataflow.sh, with nothing faked: every role runs (as
 * `ros-ocp start all`) on the real Kafka, S3 and PostgreSQL; the sample cluster is registered in the Sources
 * API, samples/cost-mgmt.tar.gz is uploaded with the seed's curl, each stage is awaited through the track
 * endpoint, and the result is read back through the public interfaces: the ROS API, the engine's API and the
 * rosocp.kruize.recommendations topic.
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Queue, Schedule, Schema } from "effect"
import { sampleOptions } from "../../samples/SampleData.js"
import { RecommendationMessageJson } from "../../schema/ros/RecommendationMessage.js"
import { uploadStages } from "../../schema/uploads/UploadStatus.js"
import { Kafka } from "../../src/services/Kafka.js"
import { ObjectStore } from "../../src/services/ObjectStore.js"
import { curlUpload } from "../support/ingressHarness.js"
import { createCostSource } from "../support/kokuHarness.js"
import { unique } from "../support/pipelineHarness.js"
import { getJson, seedIdentity, startStack } from "../support/stackHarness.js"

const ORG = "3340851"
const SAMPLE = fileURLToPath(new URL("../../samples/cost-mgmt.tar.gz", import.meta.url))
// The checked-in sample starts 2026-08-03: outside the API's default window (the current month).
const WINDOW = "start_date=2026-08-01"

interface TrackBody {
  readonly status: string
  readonly events: ReadonlyArray<{ readonly stage: string; readonly outcome: string }>
}

interface ListBody {
  readonly meta: { readonly count: number }
  readonly data: ReadonlyArray<{
    readonly container?: string
    readonly project: string
    readonly recommendations: {
      readonly recommendation_terms: Record<string, { readonly recommendation_engines?: unknown }>
    }
  }>
}

interface ListedExperiment {
  readonly experiment_name: string
  /** listExperiments gives containers as a map by name (kruize.md §2.4) */
  readonly kubernetes_objects: ReadonlyArray<{ readonly containers?: Readonly<Record<string, unknown>> }>
}

/** `org|source|cluster|namespace|<ns>` has five parts, a container experiment's name six (spec §3.1). */
const isNamespaceExperiment = (e: ListedExperiment) => e.experiment_name.split("|").length === 5

describe("end to end: the seed's data flow", () => {
  it.scopedLive(
    "an upload through ingress ends as recommendations in the ROS API, the engine and Kafka",
    () =>
      Effect.gen(function* () {
        const stack = yield* startStack()
        const identity = seedIdentity(ORG)
        const recommendations = yield* Queue.unbounded<string>()
        yield* (yield* Kafka).consume({
          groupId: unique("e2e-reader"),
          topics: [stack.topics.recommendations],
          value: Schema.String,
          handle: (text) => Queue.offer(recommendations, text)
        })

        yield* createCostSource(stack.sourcesUrl, identity, sampleOptions().clusterId, "e2e sample cluster")
        const requestId = unique("e2e")
        const answer = yield* curlUpload(stack.ingressUrl, SAMPLE, identity, requestId)
        expect(answer.status).toBe(202)

        // Every stage, in order, through the track endpoint.
        const track = yield* getJson(`${stack.ingressUrl}/api/ingress/v1/track/${requestId}`, identity).pipe(
          Effect.map((r) => r.body as TrackBody),
          Effect.filterOrFail((t) => t.status === "done" || t.status === "failed"),
          Effect.retry(Schedule.spaced("500 millis").pipe(Schedule.upTo("150 seconds"))),
          Effect.orDie
        )
        expect(track.status).toBe("done")
        const done = track.events.filter((e) => e.outcome === "done").map((e) => e.stage)
        expect(done).toEqual(uploadStages)

        // The engine: one experiment per workload and per namespace.
        const listed = yield* getJson(`${stack.engineUrl}/listExperiments?rm=true`)
        const experiments = listed.body as ReadonlyArray<ListedExperiment>
        const containers = experiments.filter((e) => !isNamespaceExperiment(e))
        const namespaces = experiments.filter(isNamespaceExperiment)
        expect(containers.length).toBeGreaterThan(0)
        expect(namespaces.length).toBeGreaterThan(0)
        for (const e of experiments) expect(e.experiment_name.startsWith(`${ORG}|`)).toBe(true)
        const containerCount = containers.reduce(
          (n, e) => n + Object.keys(e.kubernetes_objects[0]?.containers ?? {}).length,
          0
        )

        // The ROS API: a recommendation per container with the short and medium terms (9 days of data).
        const api = `${stack.apiUrl}/api/cost-management/v1/recommendations/openshift`
        const list = (yield* getJson(`${api}/container?${WINDOW}&limit=-1`, identity)).body as ListBody
        expect(list.meta.count).toBe(containerCount)
        for (const item of list.data) {
          expect(item.recommendations.recommendation_terms.short_term?.recommendation_engines).toBeDefined()
          expect(item.recommendations.recommendation_terms.medium_term?.recommendation_engines).toBeDefined()
        }
        const projects = (yield* getJson(`${api}/namespace?${WINDOW}&limit=-1`, identity)).body as ListBody
        expect(projects.meta.count).toBe(namespaces.length)
        // Another org sees nothing of it.
        const other = (yield* getJson(`${api}/container?${WINDOW}`, seedIdentity("9999999"))).body as ListBody
        expect(other.meta.count).toBe(0)

        // Kafka: one recommendations message per experiment of this upload, in upstream's wire format.
        const messages = yield* Effect.forEach(experiments, () =>
          Queue.take(recommendations).pipe(Effect.timeout("30 seconds"), Effect.orDie)
        )
        const decoded = messages.map((m) => Schema.decodeUnknownSync(RecommendationMessageJson)(m))
        expect(new Set(decoded.map((m) => m.Metadata.Experiment_name))).toEqual(
          new Set(experiments.map((e) => e.experiment_name))
        )
        for (const m of decoded) expect(m.Request_id).toBe(requestId)
      }).pipe(Effect.provide(Layer.mergeAll(Kafka.layer, ObjectStore.layer))),
    240_000
  )
})
