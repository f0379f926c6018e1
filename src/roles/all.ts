/**
 * `ros-ocp start all`: every role in one process, sharing one pool per database, one Kafka client and one
 * runner of the ROS cluster (the processor and poller send to the entities it hosts). This is what `npm start`
 * and `ros-ocp demo` run.
 */
import { Layer } from "effect"
import { RosDatabase } from "../services/Database.js"
import { RosClusterRunner } from "../services/RosCluster.js"
import { HousekeeperLive } from "./housekeeper.js"
import { IngressLive } from "./ingress.js"
import { KokuLive } from "./koku.js"
import { PollerConsumer } from "./poller.js"
import { ProcessorConsumer } from "./processor.js"
import { RecommenderLive } from "./recommender.js"
import { RunnerEntities } from "./runner.js"
import { SourcesLive } from "./sources.js"

const RosActors = Layer.mergeAll(ProcessorConsumer, PollerConsumer, RunnerEntities).pipe(
  Layer.provide(RosClusterRunner),
  Layer.provide(RosDatabase)
)

export const AllRolesLive = Layer.mergeAll(
  SourcesLive,
  IngressLive,
  KokuLive,
  // The engine runs its own cluster. Built apart (a fresh memo map), so the two clusters share none of
  // @effect/cluster's module-level layers (Sharding, storage): shared, the ROS entities would get the
  // engine's no-op message storage.
  Layer.fresh(RecommenderLive),
  RosActors,
  HousekeeperLive
)
