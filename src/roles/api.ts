/**
 * The `api` role: the ROS REST API and the web view on API_PORT (8001), reading the `ros` database that the
 * processor and poller write, and asking the RBAC service about callers when RBAC_ENABLE is set.
 */
import { Layer } from "effect"
import { ApiServer } from "../api/ApiServer.js"
import { RbacClient } from "../api/RbacClient.js"
import { RecommendationService } from "../api/RecommendationService.js"
import { RosDatabase } from "../services/Database.js"
import { HttpClientLive } from "../services/Http.js"

export const ApiLive = ApiServer.pipe(
  Layer.provide(Layer.mergeAll(RecommendationService.Default, RbacClient.Default)),
  Layer.provide(HttpClientLive),
  Layer.provide(RosDatabase)
)
