/**
 * The `runner` role: hosts shards of the ROS entities (ClusterIngest, Experiment) with everything their
 * handlers use. `ros-ocp start runner` twice shares the shards between the two processes.
 */
import { Effect, Layer } from "effect"
import { ClusterIngestLive } from "../../actors/ClusterIngestLive.js"
import { ExperimentLive } from "../../actors/ExperimentLive.js"
import { RecommendationRepo } from "../poller/RecommendationRepo.js"
import { WorkloadRepo } from "../processor/WorkloadRepo.js"
import { RosDatabase } from "../services/Database.js"
import { EngineClientLive } from "../services/EngineClient.js"
import { HeapGrowthLive } from "../services/HeapGrowth.js"
import { HttpClientLive } from "../services/Http.js"
import { Kafka } from "../services/Kafka.js"
import { RosClusterRunner } from "../services/RosCluster.js"
import { KafkaSettings, PipelineSettings } from "../services/Settings.js"
import { UploadProgress } from "../uploads/UploadProgress.js"
import { UploadStatusRepo } from "../uploads/UploadStatusRepo.js"

const Entities = Layer.unwrapEffect(
  Effect.all([PipelineSettings, KafkaSettings]).pipe(
    Effect.map(([pipeline, kafka]) =>
      Layer.mergeAll(
        ClusterIngestLive({
          maxCsvBytes: pipeline.maxCsvBytes,
          namespaceEnabled: !pipeline.disableNamespaceRecommendations,
          concurrentHandOffs: pipeline.concurrentHandOffs,
          concurrentFiles: pipeline.concurrentFiles,
          retryFor: pipeline.engineRetryFor
        }),
        ExperimentLive({
          chunkSize: pipeline.bulkChunkSize,
          recommendationTopic: kafka.recommendationTopic,
          pollIntervalHours: pipeline.pollIntervalHours,
          retryFor: pipeline.engineRetryFor
        })
      )
    )
  )
)

/** The entities with their services; still needs the cluster (Sharding) and the `ros` database. */
export const RunnerEntities = Entities.pipe(
  Layer.provide(Layer.mergeAll(WorkloadRepo.Default, UploadProgress.Default, RecommendationRepo.Default)),
  Layer.provide(Layer.mergeAll(UploadStatusRepo.Default, EngineClientLive)),
  Layer.provide(Layer.mergeAll(Kafka.layer, HttpClientLive))
)

/** `ros-ocp start runner` */
export const RunnerLive = Layer.merge(
  HeapGrowthLive,
  RunnerEntities.pipe(Layer.provide(RosClusterRunner), Layer.provide(RosDatabase))
)
