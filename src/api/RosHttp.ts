/** Handlers of the `ros` group: workloads, and the container recommendations under the ROS prefix. */
import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import { CurrentCaller } from "./CallerAuth.js"
import { RecommendationService } from "./RecommendationService.js"
import { requestTarget } from "./RequestTarget.js"
import { RosApi } from "./RosApi.js"

export const RosHttp = HttpApiBuilder.group(RosApi, "ros", (handlers) =>
  Effect.gen(function* () {
    const service = yield* RecommendationService
    return handlers
      .handle("listWorkloads", ({ urlParams, request }) =>
        Effect.flatMap(CurrentCaller, (caller) => service.listWorkloads(caller, urlParams, requestTarget(request)))
      )
      .handle("listRecommendations", ({ urlParams, request }) =>
        Effect.flatMap(CurrentCaller, (caller) => service.listContainers(caller, urlParams, requestTarget(request)))
      )
      .handle("getRecommendation", ({ path, urlParams }) =>
        Effect.flatMap(CurrentCaller, (caller) => service.getContainer(caller, path.id, urlParams))
      )
  })
)
