/**
 * `ros-ocp start all`: every role in one process, sharing one pool per database, one Kafka client and one
 * runner of the ROS cluster (the processor and poller send to the entities it hosts). This is what `npm start`
 * and `ros-ocp demo` run.
 */
import { Effect, Layer } from "effect"
import { RosDatabase } from "../services/Database.js"
import { RosClusterRunner } from "../services/RosCluster.js"
import { KafkaSettings, ListenSettings } from "../services/Settings.js"
import { ApiLive } from "./api.js"
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

/** Once everything listens: where each role answers, in one place. */
const announce = Effect.gen(function* () {
  const listen = yield* ListenSettings
  const kafka = yield* KafkaSettings
  const at = (port: number) => `http://${listen.host}:${port}`
  yield* Effect.logInfo(
    [
      "ros-ocp: every role is running",
      `  ingress            ${at(listen.ingressPort)}/api/ingress/v1/upload`,
      `  ROS API, web view  ${at(listen.apiPort)}/`,
      `  sources API        ${at(listen.sourcesPort)}/api/sources/v3.1`,
      `  engine (Kruize)    ${at(listen.recommenderPort)}`,
      `  koku, processor, poller, runner, housekeeper on Kafka ${kafka.brokers.join(",")}`,
      "  Ctrl-C (SIGINT) or SIGTERM stops them cleanly"
    ].join("\n")
  )
})

export const AllRolesLive = Layer.mergeAll(
  SourcesLive,
  IngressLive,
  KokuLive,
  // The engine runs its own cluster. Built apart (a fresh memo map), so the two clusters share none of
  // @effect/cluster's module-level layers (Sharding, storage): shared, the ROS entities would get the
  // engine's no-op message storage.
  Layer.fresh(RecommenderLive),
  RosActors,
  HousekeeperLive,
  ApiLive
).pipe(Layer.tap(() => announce))
