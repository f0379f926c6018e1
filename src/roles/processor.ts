/**
 * The `processor` role: hccm.ros.events → ClusterIngest. Alone it joins the ROS cluster as a client and
 * the runners do the work; in `start all` it shares the process's runner.
 */
import { Layer } from "effect"
import { RosEventConsumer } from "../processor/RosEventConsumer.js"
import { RosDatabase } from "../services/Database.js"
import { Kafka } from "../services/Kafka.js"
import { RosClusterClient } from "../services/RosCluster.js"

/** Needs the cluster (Sharding). */
export const ProcessorConsumer = RosEventConsumer.pipe(Layer.provide(Kafka.layer))

/** `ros-ocp start processor` */
export const ProcessorLive = ProcessorConsumer.pipe(Layer.provide(RosClusterClient), Layer.provide(RosDatabase))
