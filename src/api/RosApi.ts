/**
 * The contract of the ROS REST API (ros-ocp-backend.md §5.1): paths, parameters, answers and errors of every
 * endpoint, from which HttpApi routes requests and generates the OpenAPI document. Nothing here runs a query.
 *
 * - `operations`: GET /status and GET /metrics, open to anyone.
 * - `recommendations`: upstream's routes under /api/cost-management/v1/recommendations/openshift (the legacy bare
 *   path and `/container` answer the same), behind the identity middleware.
 * - `ros`: the routes upstream's data-flow document names, /api/ros/v1/workloads and /api/ros/v1/recommendations.
 *
 * Container lists also answer CSV (`format=csv` or `Accept: text/csv`); the handler streams it, and the document
 * lists `text/csv` beside JSON.
 */
import { HttpApi, HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import {
  FormatNotAcceptable,
  InvalidParameter,
  RecommendationNotFound,
  ServiceUnavailable
} from "../../schema/api/ApiFailure.js"
import { ContainerRecommendation, ContainerRecommendationList } from "../../schema/api/ContainerRecommendation.js"
import {
  ContainerListParameters,
  NamespaceListParameters,
  RecommendationIdPath,
  UnitParameters,
  WorkloadListParameters
} from "../../schema/api/ListParameters.js"
import { NamespaceRecommendation, NamespaceRecommendationList } from "../../schema/api/NamespaceRecommendation.js"
import { WorkloadSummaryList } from "../../schema/api/WorkloadSummary.js"
import { CallerAuth } from "./CallerAuth.js"
import { CSV_COLUMNS } from "./CsvExport.js"

export const OPENSHIFT_PREFIX = "/api/cost-management/v1/recommendations/openshift"
export const ROS_PREFIX = "/api/ros/v1"
/** Where upstream serves its static document; ours is generated from this contract. */
export const OPENAPI_PATH = `${OPENSHIFT_PREFIX}/openapi.json`

export const ApiStatus = Schema.Struct({ "api-server": Schema.String })

const PrometheusText = Schema.String.pipe(
  HttpApiSchema.withEncoding({ kind: "Text", contentType: "text/plain; version=0.0.4; charset=utf-8" })
)

/** Adds the CSV form of the 200 answer to a container list's operation in the OpenAPI document. */
const alsoCsv = OpenApi.annotations({
  transform: (operation) => {
    const responses = operation.responses as Record<string, { content?: Record<string, unknown> }> | undefined
    const ok = responses?.["200"]
    if (ok !== undefined) {
      ok.content = {
        ...ok.content,
        "text/csv": {
          schema: {
            type: "string",
            description: `One row per term and engine of each recommendation; columns: ${CSV_COLUMNS.join(", ")}`
          }
        }
      }
    }
    return operation
  }
})

const containerList = <const Name extends string>(name: Name, path: `/${string}`, summary: string) =>
  HttpApiEndpoint.get(name, path)
    .setUrlParams(ContainerListParameters)
    .addSuccess(ContainerRecommendationList)
    .annotateContext(OpenApi.annotations({ summary }))
    .annotateContext(alsoCsv)

const containerDetail = <const Name extends string>(name: Name, path: `/${string}`, summary: string) =>
  HttpApiEndpoint.get(name, path)
    .setPath(RecommendationIdPath)
    .setUrlParams(UnitParameters)
    .addSuccess(ContainerRecommendation)
    .annotateContext(OpenApi.annotations({ summary }))

export class OperationsGroup extends HttpApiGroup.make("operations")
  .add(
    HttpApiEndpoint.get("status", "/status")
      .addSuccess(ApiStatus)
      .annotateContext(OpenApi.annotations({ summary: 'Liveness: {"api-server":"working"}' }))
  )
  .add(
    HttpApiEndpoint.get("metrics", "/metrics")
      .addSuccess(PrometheusText)
      .annotateContext(OpenApi.annotations({ summary: "Prometheus metrics of this process" }))
  ) {}

export class RecommendationsGroup extends HttpApiGroup.make("recommendations")
  .add(containerList("listLegacy", OPENSHIFT_PREFIX, "Container recommendations (the path before /container)"))
  .add(containerDetail("getLegacy", `${OPENSHIFT_PREFIX}/:id`, "One container recommendation (legacy path)"))
  .add(containerList("listContainers", `${OPENSHIFT_PREFIX}/container`, "Container recommendations"))
  .add(
    containerDetail(
      "getContainer",
      `${OPENSHIFT_PREFIX}/container/:id`,
      "One container recommendation, box plots included"
    )
  )
  .add(
    HttpApiEndpoint.get("listNamespaces", `${OPENSHIFT_PREFIX}/namespace`)
      .setUrlParams(NamespaceListParameters)
      .addSuccess(NamespaceRecommendationList)
      .addError(FormatNotAcceptable)
      .annotateContext(OpenApi.annotations({ summary: "Project (namespace) recommendations" }))
  )
  .add(
    HttpApiEndpoint.get("getNamespace", `${OPENSHIFT_PREFIX}/namespace/:id`)
      .setPath(RecommendationIdPath)
      .setUrlParams(UnitParameters)
      .addSuccess(NamespaceRecommendation)
      .annotateContext(OpenApi.annotations({ summary: "One project recommendation, box plots included" }))
  )
  .addError(InvalidParameter)
  .addError(RecommendationNotFound)
  .addError(ServiceUnavailable)
  .middleware(CallerAuth)
  .annotateContext(
    OpenApi.annotations({
      title: "Resource Optimization",
      description: "OpenShift right-sizing recommendations of the caller's org (x-rh-identity org_id)"
    })
  ) {}

export class RosGroup extends HttpApiGroup.make("ros")
  .add(
    HttpApiEndpoint.get("listWorkloads", `${ROS_PREFIX}/workloads`)
      .setUrlParams(WorkloadListParameters)
      .addSuccess(WorkloadSummaryList)
      .annotateContext(
        OpenApi.annotations({ summary: "Workloads with their containers, last upload and latest recommendations" })
      )
  )
  .add(containerList("listRecommendations", `${ROS_PREFIX}/recommendations`, "Container recommendations"))
  .add(containerDetail("getRecommendation", `${ROS_PREFIX}/recommendations/:id`, "One container recommendation"))
  .addError(InvalidParameter)
  .addError(RecommendationNotFound)
  .addError(ServiceUnavailable)
  .middleware(CallerAuth)
  .annotateContext(
    OpenApi.annotations({ title: "ROS", description: "The ROS routes of upstream's data-flow document" })
  ) {}

export class RosApi extends HttpApi.make("ros-ocp")
  .add(OperationsGroup)
  .add(RecommendationsGroup)
  .add(RosGroup)
  .annotateContext(
    OpenApi.annotations({
      title: "ros-ocp Resource Optimization API",
      version: "1.0.0",
      description:
        "Resource Optimization Service for OpenShift: container and project right-sizing recommendations " +
        "(upstream ros-ocp-backend's REST API, v1)."
    })
  ) {}
