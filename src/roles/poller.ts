/**
 * The `poller` role: rosocp.kruize.recommendations → Experiment.Refresh. Alone it joins the ROS cluster as a
 * client; in `start all` it shares the process's runner.
 */
import { Layer } from "effect"
import { RecommendationConsumer } from "../poller/RecommendationConsumer.js"
import { RosDatabase } from "../services/Database.js"
import { Kafka } from "../services/Kafka.js"
import { RosClusterClient } from "../services/RosCluster.js"

/** Needs the cluster (Sharding). */
export const PollerConsumer = RecommendationConsumer.pipe(Layer.provide(Kafka.layer))

/** `ros-ocp start poller` */
export const PollerLive = PollerConsumer.pipe(Layer.provide(RosClusterClient), Layer.provide(RosDatabase))
