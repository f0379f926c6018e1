/**
 * The poller's work for one rosocp.kruize.recommendations message (spec ros-ocp-backend §3.8), run inside the
 * workload's Experiment: decide whether a refresh is due, ask the engine for the recommendation at the exact
 * Max_endtime_report, keep only valid ones (111000 and a data entry for that time), and store them with their
 * history in one transaction. Returns what happened, for the upload status.
 */
import { Effect, Either, Metric, Option, Schema } from "effect"
import type { RefreshPayload } from "../../actors/Experiment.js"
import { EngineClient } from "../services/EngineClient.js"
import type { RecommendationOutcome } from "../uploads/UploadProgress.js"
import { checkContainerAnswer, checkNamespaceAnswer, type RecommendationAnswerError } from "./RecommendationAnswer.js"
import { recommendationEntry } from "./RecommendationEntry.js"
import { RecommendationRepo } from "./RecommendationRepo.js"
import { refreshDue } from "./RefreshDue.js"

export const invalidRecommendations = Metric.counter("rosocp_invalid_recommendation_total", {
  description: "engine answers without a valid recommendation for the reported time"
})
export const missingPartitions = Metric.counter("rosocp_partition__missing_error_total", {
  description: "history rows that found no partition (one was created and the row stored)"
})
export const storedRecommendations = Metric.counter("rosocp_recommendations_stored_total", {
  description: "recommendation sets stored"
})

/** The engine answered without the experiment's objects yet (upstream leaves the message uncommitted): retried. */
export class RecommendationNotReady extends Schema.TaggedError<RecommendationNotReady>()("RecommendationNotReady", {
  reason: Schema.String
}) {}

export const refreshRecommendation = (experimentName: string, payload: RefreshPayload, pollIntervalHours: number) =>
  Effect.gen(function* () {
    const repo = yield* RecommendationRepo
    const engine = yield* EngineClient
    const maxEnd = new Date(payload.maxEndtimeReport)
    const state = yield* repo.workloadState(payload.workloadId, payload.experimentType)
    if (Option.isNone(state)) {
      // The housekeeper deleted the cluster meanwhile (upstream PR #217): nothing to store.
      yield* Effect.logInfo("workload no longer exists; recommendation skipped")
      return "skipped" as RecommendationOutcome
    }
    const decision = refreshDue(maxEnd, state.value, pollIntervalHours)
    if (decision === "not_due") return "not_due" as RecommendationOutcome
    if (decision === "zero_time") {
      yield* Effect.logWarning("the stored recommendation has a zero monitoring_end_time; not refreshed")
      return "skipped" as RecommendationOutcome
    }

    const answer = yield* engine.updateRecommendations(experimentName, payload.maxEndtimeReport)
    // Upstream counts only a missing data entry for the reported time as an invalid recommendation.
    const invalid = (reasons: ReadonlyArray<{ readonly reason: string; readonly name: string }>) =>
      Effect.gen(function* () {
        const counted = reasons.filter((r) => r.reason === "no_data_at_max_endtime").length
        if (counted > 0) yield* Metric.incrementBy(invalidRecommendations, counted)
        yield* Effect.logWarning(`no valid recommendation: ${reasons.map((r) => `${r.name}: ${r.reason}`).join(", ")}`)
        return "invalid" as RecommendationOutcome
      })
    const stored = (report: { readonly stored: number; readonly missingPartitions: number }) =>
      Effect.gen(function* () {
        yield* Metric.incrementBy(storedRecommendations, report.stored)
        if (report.missingPartitions > 0) yield* Metric.incrementBy(missingPartitions, report.missingPartitions)
        return "stored" as RecommendationOutcome
      })
    const unusable = (error: RecommendationAnswerError) =>
      error._tag === "RecommendationAnswerIncomplete"
        ? Effect.fail(new RecommendationNotReady({ reason: error.reason }))
        : invalid([{ name: experimentName, reason: error._tag }])

    if (payload.experimentType === "container") {
      const check = checkContainerAnswer(answer, maxEnd)
      if (Either.isLeft(check)) return yield* unusable(check.left)
      const refused = check.right.invalid.map((c) => ({ name: c.containerName, reason: c.reason }))
      if (check.right.valid.length === 0) return yield* invalid(refused)
      if (refused.length > 0) yield* invalid(refused)
      return yield* stored(
        yield* repo.storeContainer({
          orgId: payload.orgId,
          workloadId: payload.workloadId,
          containers: check.right.valid.map((c) => ({
            containerName: c.containerName,
            entries: c.data.map(recommendationEntry)
          }))
        })
      )
    }
    const check = checkNamespaceAnswer(answer, maxEnd)
    if (Either.isLeft(check)) return yield* unusable(check.left)
    if (check.right._tag === "Invalid") {
      return yield* invalid([{ name: check.right.namespaceName, reason: check.right.reason }])
    }
    return yield* stored(
      yield* repo.storeNamespace({
        orgId: payload.orgId,
        workloadId: payload.workloadId,
        namespaceName: check.right.namespaceName,
        entries: check.right.data.map(recommendationEntry)
      })
    )
  }).pipe(
    Effect.catchTag("RecommendationWorkloadGone", () => Effect.succeed("skipped" as RecommendationOutcome)),
    Effect.withSpan("refreshRecommendation", { attributes: { experiment: experimentName }, captureStackTrace: false })
  )
