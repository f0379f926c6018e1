/**
 * The engine's own cluster: EngineExperiment entities sharded over every runner that serves the engine.
 * Its RPCs are volatile (an HTTP request waits for the answer and PostgreSQL holds the state), so no
 * message storage is kept; runners coordinate shard ownership through SqlRunnerStorage in the `kruize`
 * database, apart from the ROS cluster.
 */
import { MessageStorage, RunnerAddress, ShardingConfig, SqlRunnerStorage } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { Effect, Layer, Option } from "effect"
import { ClusterSettings } from "../services/Settings.js"

export const EngineClusterLive = Layer.unwrapEffect(
  Effect.map(ClusterSettings, (settings) => {
    const shardingConfig = {
      runnerAddress: Option.some(RunnerAddress.make(settings.runnerHost, settings.engineRunnerPort)),
      shardsPerGroup: settings.shardsPerGroup,
      // An HTTP request waits on the entity; a runner that died must hand its shards over quickly.
      runnerHealthCheckInterval: "5 seconds",
      shardLockExpiration: "15 seconds",
      // Messages to an entity on this runner skip the encode/decode round trip; remote ones are still
      // serialized by the transport.
      simulateRemoteSerialization: false
    } as const
    return NodeClusterSocket.layer({ storage: "byo", shardingConfig }).pipe(
      Layer.provide(MessageStorage.layerNoop),
      Layer.provide(SqlRunnerStorage.layerWith({ prefix: "engine" })),
      Layer.provide(ShardingConfig.layer(shardingConfig))
    )
  })
)
