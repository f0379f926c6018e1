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

/** The role with the given EngineExperiment behaviour (tests give it a small window budget). */
export const recommenderWith = (experiments: typeof EngineExperimentLive) =>
  Layer.unwrapEffect(
    Effect.map(KruizeRoutes, (router) => serveRouter("recommender", (listen) => listen.recommenderPort, router))
  ).pipe(
    Layer.provide(experiments),
    Layer.provide(EngineClusterLive),
    Layer.provide(EngineRepo.Default),
    Layer.provide(KruizeDatabase)
  )

export const RecommenderLive = recommenderWith(EngineExperimentLive)
