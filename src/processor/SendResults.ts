/**
 * One file's intervals for one experiment, to the engine (spec ros-ocp-backend §3.3–3.7): the performance
 * profile is ensured, the experiment created ("already exists" is success), the results sent in chunks of ≤ 100
 * in order, and finally the poller told through rosocp.kruize.recommendations. The workload and its usage rows
 * are already stored (ClusterIngest writes them for a whole batch of experiments at once).
 *
 * Every step is idempotent, so the whole is simply run again after a passing failure: the engine answers
 * duplicates with "already exists", which counts as sent.
 */
import { Effect, Metric, Schema } from "effect"
import type { ExperimentUsage } from "../../schema/ros/ExperimentUsage.js"
import { RecommendationMessageJson } from "../../schema/ros/RecommendationMessage.js"
import { EngineClient, type RefusedResult, type UpdateResultsEntry } from "../services/EngineClient.js"
import { Kafka } from "../services/Kafka.js"
import { createExperimentRequest } from "./csv/CreateExperimentPayload.js"

export const refusedResults = Metric.counter("rosocp_refused_results_total", {
  description: "updateResults entries the engine refused for a reason other than a duplicate"
})

export interface SendResultsInput {
  readonly requestId: string
  readonly orgId: string
  readonly workloadId: number
  readonly usage: ExperimentUsage
  readonly chunkSize: number
  readonly recommendationTopic: string
  /** The engine created the experiment for an earlier message: createExperiment is skipped unless it lost it. */
  readonly created: boolean
}

/** The engine's answer to results of an experiment it does not have (Kruize's wording, ours too). */
const EXPERIMENT_NOT_FOUND = "experiment_name does not exist"

const chunksOf = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const chunks: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

/** Returns the entries the engine refused (other than duplicates). */
export const sendResults = (input: SendResultsInput) =>
  Effect.gen(function* () {
    const engine = yield* EngineClient
    const kafka = yield* Kafka
    const { usage } = input

    const create = engine.ensureProfile.pipe(Effect.zipRight(engine.createExperiment(createExperimentRequest(usage))))
    if (!input.created) yield* create
    const kind = usage._tag === "ContainerExperimentUsage" ? "container" : "namespace"
    const workloadId = input.workloadId

    const refused: Array<RefusedResult> = []
    const results: ReadonlyArray<UpdateResultsEntry> = usage.results
    for (const chunk of chunksOf(results, input.chunkSize)) {
      let answer = yield* engine.updateResults(chunk)
      if (input.created && answer.some((r) => r.message.includes(EXPERIMENT_NOT_FOUND))) {
        // Deleted in the engine since (the housekeeper, or a lost engine database): made again, as upstream would.
        yield* create
        answer = yield* engine.updateResults(chunk)
      }
      refused.push(...answer)
    }
    if (refused.length > 0) {
      yield* Metric.incrementBy(refusedResults, refused.length)
      yield* Effect.logWarning(`the engine refused ${refused.length} result(s)`, refused.slice(0, 3))
    }

    const message = yield* Schema.encode(RecommendationMessageJson)({
      Request_id: input.requestId,
      Metadata: {
        Org_id: input.orgId,
        Workload_id: workloadId,
        Experiment_name: usage.experimentName,
        Max_endtime_report: yield* Schema.decode(Schema.DateTimeUtc)(usage.maxIntervalEnd),
        ExperimentType: kind
      }
    }).pipe(Effect.orDie)
    yield* kafka.send([{ topic: input.recommendationTopic, key: usage.experimentName, value: message }])
    return refused
  }).pipe(
    Effect.withSpan("sendResults", {
      attributes: { experiment: input.usage.experimentName },
      captureStackTrace: false
    }),
    Effect.annotateLogs({ experiment: input.usage.experimentName, requestId: input.requestId })
  )
