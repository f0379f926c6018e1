/**
 * `DELETE /createExperiment` (kruize.md §2.3): body `[{"experiment_name": "<name>"}]`, other fields ignored. The
 * `rm` query parameter is not looked at: deleting works with and without `rm=true` (design.md §7), which is what
 * ROS's housekeeper needs. Success is 201 `KruizeMessages.experimentDeleted`; the store cascades to results and
 * recommendations.
 */
import { Either } from "effect"
import { DeleteExperimentRequest } from "../../../schema/kruize/Experiment.js"
import { badRequest, ExperimentNotFound, type KruizeRequestError } from "../../../schema/kruize/KruizeError.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import { decodeJsonBody } from "./JsonBody.js"
import { requestBodyError } from "./RequestBodyError.js"

export interface DeleteExperimentView {
  readonly experimentExists: (name: string) => boolean
}

/** The name in the body, before any store lookup. A missing name is an unknown experiment, as in Kruize. */
export const parseDeleteExperiment = (body: string): Either.Either<string, KruizeRequestError | ExperimentNotFound> =>
  Either.gen(function* () {
    const entries = yield* Either.mapLeft(decodeJsonBody(DeleteExperimentRequest, body), requestBodyError)
    if (entries.length > 1) return yield* Either.left(badRequest(KruizeMessages.bulkEntries))
    const name = entries[0]?.experiment_name
    if (name === undefined) {
      return yield* Either.left(new ExperimentNotFound({ experimentName: "", endpoint: "deleteExperiment" }))
    }
    return name
  })

/** The name of an existing experiment to delete. */
export const validateDeleteExperiment = (
  body: string,
  view: DeleteExperimentView
): Either.Either<string, KruizeRequestError | ExperimentNotFound> =>
  Either.flatMap(parseDeleteExperiment(body), (name) =>
    view.experimentExists(name)
      ? Either.right(name)
      : Either.left(new ExperimentNotFound({ experimentName: name, endpoint: "deleteExperiment" }))
  )
