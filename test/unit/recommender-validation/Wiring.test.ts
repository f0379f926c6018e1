import { describe, expect, it } from "@effect/vitest"
import { Effect, Either } from "effect"
import { errorBody } from "../../../schema/kruize/KruizeError.js"
import {
  completeCreateExperiment,
  parseCreateExperiment
} from "../../../src/recommender/validation/CreateExperimentValidation.js"
import { parseDeleteExperiment } from "../../../src/recommender/validation/DeleteExperimentValidation.js"
import { validateUpdateRecommendations } from "../../../src/recommender/validation/UpdateRecommendationsParams.js"
import {
  decodeUpdateResults,
  experimentNamesOf,
  updateResultsResponse,
  validateResultRecords
} from "../../../src/recommender/validation/UpdateResultsValidation.js"
import {
  containerExperimentJson,
  containerExperimentName,
  containerRecord,
  left,
  memoryStore,
  namespaceExperimentName,
  namespaceRecord,
  right
} from "../../support/kruizeFixtures.js"

describe("two-phase use by a store-backed caller", () => {
  it("updateResults: decode, learn the experiment names, then validate against a view built for them", () => {
    const records = right(
      decodeUpdateResults(
        JSON.stringify([containerRecord(0), namespaceRecord(0), containerRecord(1), { version: "1" }])
      )
    )
    expect(experimentNamesOf(records)).toStrictEqual([containerExperimentName, namespaceExperimentName])
    const outcome = validateResultRecords(records, memoryStore())
    expect(outcome.accepted.map((a) => a.index)).toStrictEqual([0, 1, 2])
    expect(updateResultsResponse(outcome).body.message).toBe("Out of a total of 4 records, 1 failed to save")
  })

  it("createExperiment: the name is known before the store is asked; the store decides 409", () => {
    const draft = right(parseCreateExperiment(JSON.stringify([containerExperimentJson()])))
    expect(draft.experimentName).toBe(containerExperimentName)
    const taken = left(
      completeCreateExperiment(draft, { experimentExists: () => true, performanceProfileExists: () => true })
    )
    expect(taken._tag).toBe("ExperimentAlreadyExists")
    const created = right(
      completeCreateExperiment(draft, { experimentExists: () => false, performanceProfileExists: () => true })
    )
    expect(created.performanceProfile).toBe("resource-optimization-openshift")
    expect("hasSlo" in created).toBe(false)
  })

  it("createExperiment: static problems need no store", () => {
    expect(left(parseCreateExperiment(JSON.stringify([containerExperimentJson({ mode: "auto" })]))).httpcode).toBe(400)
  })

  it("deleteExperiment: the name first", () => {
    expect(right(parseDeleteExperiment('[{"experiment_name": "x"}]'))).toBe("x")
    expect(left(parseDeleteExperiment("[{}]"))._tag).toBe("ExperimentNotFound")
  })

  it.effect("results are Eithers, so they can be yielded in Effect code and caught by tag", () =>
    Effect.gen(function* () {
      const view = { experimentExists: () => false }
      const status = yield* validateUpdateRecommendations(
        [
          ["experiment_name", "x"],
          ["interval_end_time", "2026-06-01T00:00:00.000Z"]
        ],
        view
      ).pipe(
        Effect.as(201),
        Effect.catchTag("ExperimentNotFound", (e) => Effect.succeed(errorBody(e).httpcode))
      )
      expect(status).toBe(400)
      const parsed = yield* Effect.either(decodeUpdateResults("[]"))
      expect(Either.isRight(parsed)).toBe(true)
    })
  )
})
