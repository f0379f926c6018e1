import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Schema, Stream } from "effect"
import { CreateExperimentRequest } from "../../../schema/ros/CreateExperiment.js"
import { ExperimentUsage } from "../../../schema/ros/ExperimentUsage.js"
import { UsageReport } from "../../../schema/ros/UsageReport.js"
import { readUsageCsv } from "../../../src/processor/csv/AggregateUsageCsv.js"
import { createExperimentRequest } from "../../../src/processor/csv/CreateExperimentPayload.js"
import {
  aggregate,
  bytes,
  containerCsv,
  containerReport,
  containerRow,
  interval,
  namespaceCsv,
  namespaceReport,
  namespaceRow,
  scope
} from "./UsageCsvFixtures.js"

const PREFIX = `${scope.orgId}|${scope.sourceId}|${scope.clusterUuid}`

describe("the output is plain data matching its schema (fit for an entity message)", () => {
  it.effect("container and namespace reports survive JSON and decode to themselves", () =>
    Effect.gen(function* () {
      const reports = [
        yield* aggregate(containerCsv([containerRow(), containerRow({ container_name: "b", ...interval(1) })])),
        yield* aggregate(namespaceCsv([namespaceRow(), namespaceRow({ namespace: "n2" })]))
      ]
      for (const report of reports) {
        const wire = JSON.parse(JSON.stringify(Schema.encodeSync(UsageReport)(report)))
        expect(Schema.decodeUnknownSync(UsageReport)(wire)).toEqual(report)
      }
    })
  )
})

describe("readUsageCsv: experiments built as they are pulled", () => {
  it.effect("one experiment at a time, re-runnable, same values as the collected report", () =>
    Effect.gen(function* () {
      const text = containerCsv([
        containerRow({ workload: "a" }),
        containerRow({ workload: "b" }),
        containerRow({ workload: "c" })
      ])
      const usage = yield* readUsageCsv(bytes(text), { scope })
      if (usage._tag !== "ContainerUsage") return expect.unreachable()
      expect(usage.rows.accepted).toBe(3)
      const chunks = yield* Stream.runCollect(Stream.chunks(usage.experiments))
      expect(Chunk.toReadonlyArray(chunks).map((c) => c.length)).toEqual([1, 1, 1])
      const first = yield* Stream.runCollect(Stream.take(usage.experiments, 1))
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(usage.experiments))
      expect(Chunk.toReadonlyArray(first)).toEqual(all.slice(0, 1))
      const report = yield* containerReport(text)
      expect(all).toEqual(report.experiments)
      expect(all.every((e) => Schema.is(ExperimentUsage)(e))).toBe(true)
    })
  )
})

describe("createExperiment bodies (ros-ocp-backend.md §3.3, §3.4)", () => {
  it.effect("container: one kubernetes object, each container once with its first image", () =>
    Effect.gen(function* () {
      const report = yield* containerReport(
        containerCsv([
          containerRow({ image_name: "img:1" }),
          containerRow({ image_name: "img:2", pod: "p2" }),
          containerRow({ container_name: "sidecar", image_name: "envoy" })
        ])
      )
      const body = createExperimentRequest(report.experiments[0]!)
      expect(JSON.stringify(body)).toBe(
        JSON.stringify([
          {
            version: "1.0",
            experiment_name: `${PREFIX}|shop|deployment|web`,
            cluster_name: `${scope.orgId};${scope.clusterUuid}`,
            performance_profile: "resource-optimization-openshift",
            mode: "monitor",
            target_cluster: "remote",
            kubernetes_objects: [
              {
                type: "deployment",
                name: "web",
                namespace: "shop",
                containers: [
                  { container_image_name: "img:1", container_name: "app", recommendations: {} },
                  { container_image_name: "envoy", container_name: "sidecar", recommendations: {} }
                ]
              }
            ],
            trial_settings: { measurement_duration: "15min" },
            recommendation_settings: { threshold: "0.1" }
          }
        ])
      )
      expect(Schema.is(CreateExperimentRequest)(body)).toBe(true)
    })
  )

  it.effect("namespace: experiment_type namespace and a namespaces object", () =>
    Effect.gen(function* () {
      const report = yield* namespaceReport(namespaceCsv([namespaceRow()]))
      const body = createExperimentRequest(report.experiments[0]!)
      expect(body).toEqual([
        {
          version: "1.0",
          experiment_name: `${PREFIX}|namespace|project-ros-a1`,
          cluster_name: `${scope.orgId};${scope.clusterUuid}`,
          performance_profile: "resource-optimization-openshift",
          mode: "monitor",
          target_cluster: "remote",
          experiment_type: "namespace",
          kubernetes_objects: [{ namespaces: { namespace: "project-ros-a1", recommendations: {} } }],
          trial_settings: { measurement_duration: "15min" },
          recommendation_settings: { threshold: "0.1" }
        }
      ])
      expect(Schema.is(CreateExperimentRequest)(body)).toBe(true)
    })
  )
})
