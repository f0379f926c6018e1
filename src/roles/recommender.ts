/**
 * The `recommender` role: the Kruize-compatible engine on KRUIZE_PORT (8080), its EngineExperiment
 * entities, its cluster and its database.
 */
import { Effect, Layer } from "effect"
import { EngineExperimentLive } from "../../actors/EngineExperimentLive.js"
import { EngineClusterLive } from "../recommender/EngineCluster.js"
import { EngineRepo } from "../recommender/EngineRepo.js"
import { KruizeRoutes } from "../recommender/KruizeRoutes.js"
import { KruizeDatabase } from "../services/Database.js"
import { serveRouter } from "../services/HttpServe.js"

export const RecommenderLive = Layer.unwrapEffect(
  Effect.map(KruizeRoutes, (router) => serveRouter("recommender", (listen) => listen.recommenderPort, router))
).pipe(
  Layer.provide(EngineExperimentLive),
  Layer.provide(EngineClusterLive),
  Layer.provide(EngineRepo.Default),
  Layer.provide(KruizeDatabase)
)
