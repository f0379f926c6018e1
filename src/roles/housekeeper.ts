/**
 * The `housekeeper` role: upstream's two housekeeper commands in one process. The sources cleaner (a destroyed
 * cost-management application ⇒ the org's clusters of that source lose their engine experiments and their rows)
 * and the partition retention job, with the Kafka, `ros` database, HTTP (engine, Sources API) layers they run on.
 * Several housekeepers may run: the consumer group shares the events, an advisory lock the partition job.
 */
import { Layer } from "effect"
import { PartitionRepo } from "../housekeeper/PartitionRepo.js"
import { PartitionRetention } from "../housekeeper/PartitionRetention.js"
import { SourceClustersRepo } from "../housekeeper/SourceClustersRepo.js"
import { SourcesCleaner } from "../housekeeper/SourcesCleaner.js"
import { RosDatabase } from "../services/Database.js"
import { EngineClientLive } from "../services/EngineClient.js"
import { HttpClientLive } from "../services/Http.js"
import { Kafka } from "../services/Kafka.js"

export const HousekeeperLive = Layer.mergeAll(SourcesCleaner, PartitionRetention).pipe(
  Layer.provide(Layer.mergeAll(SourceClustersRepo.Default, PartitionRepo.Default, EngineClientLive)),
  Layer.provide(Layer.mergeAll(Kafka.layer, RosDatabase, HttpClientLive))
)
