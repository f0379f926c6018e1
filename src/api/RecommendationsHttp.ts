/**
 * Handlers of the `recommendations` group (upstream's routes): each one hands the caller and the request to
 * RecommendationService. The legacy bare path and `/container` share their handlers, as upstream's do.
 */
import { HttpApiBuilder, type HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import type { ContainerListParameters } from "../../schema/api/ListParameters.js"
import { CurrentCaller } from "./CallerAuth.js"
import { RecommendationService } from "./RecommendationService.js"
import { requestTarget } from "./RequestTarget.js"
import { RosApi } from "./RosApi.js"
import type { UnitParams } from "./UnitOptions.js"

export const RecommendationsHttp = HttpApiBuilder.group(RosApi, "recommendations", (handlers) =>
  Effect.gen(function* () {
    const service = yield* RecommendationService
    const listContainers = (request: {
      readonly urlParams: ContainerListParameters
      readonly request: HttpServerRequest.HttpServerRequest
    }) =>
      Effect.flatMap(CurrentCaller, (caller) =>
        service.listContainers(caller, request.urlParams, requestTarget(request.request))
      )
    const getContainer = (request: { readonly path: { readonly id: string }; readonly urlParams: UnitParams }) =>
      Effect.flatMap(CurrentCaller, (caller) => service.getContainer(caller, request.path.id, request.urlParams))
    return handlers
      .handle("listLegacy", listContainers)
      .handle("getLegacy", getContainer)
      .handle("listContainers", listContainers)
      .handle("getContainer", getContainer)
      .handle("listNamespaces", ({ urlParams, request }) =>
        Effect.flatMap(CurrentCaller, (caller) => service.listNamespaces(caller, urlParams, requestTarget(request)))
      )
      .handle("getNamespace", ({ path, urlParams }) =>
        Effect.flatMap(CurrentCaller, (caller) => service.getNamespace(caller, path.id, urlParams))
      )
  })
)
