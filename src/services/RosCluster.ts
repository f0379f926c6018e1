/**
 * The ROS cluster: ClusterIngest and Experiment entities sharded over the `runner` processes, with persisted
 * messages (SqlMessageStorage) and shard ownership (SqlRunnerStorage) in the `ros` database. Roles that only
 * send messages (processor, poller) join as clients; a runner also hosts shards. In `start all` both are the
 * one runner of the process.
 */
import { RunnerAddress } from "@effect/cluster"
import { NodeClusterSocket } from "@effect/platform-node"
import { Effect, Layer, Option } from "effect"
import { ClusterSettings } from "./Settings.js"

const shardingConfigOf = (
  settings: typeof ClusterSettings extends import("effect").Config.Config<infer A> ? A : never
) =>
  ({
    runnerAddress: Option.some(RunnerAddress.make(settings.runnerHost, settings.rosRunnerPort)),
    shardsPerGroup: settings.shardsPerGroup,
    // A dead runner's shards (and its unfinished persisted messages) move within about 20 s.
    runnerHealthCheckInterval: "5 seconds",
    shardLockExpiration: "15 seconds",
    // Messages sent by a client-only process reach the owner by polling storage; keep the wait short.
    entityMessagePollInterval: "1 second",
    // Experiments often wait on the engine for a long time; a shard move should not cut them off instantly.
    entityTerminationTimeout: "20 seconds",
    // A volatile message to an entity of this runner (a file's hand-off to its Experiment) is passed as it is;
    // one to another runner is still serialized by the transport.
    simulateRemoteSerialization: false
  }) as const

/** A runner: hosts shards of the ROS entities and sends messages. */
export const RosClusterRunner = Layer.unwrapEffect(
  Effect.map(ClusterSettings, (settings) =>
    NodeClusterSocket.layer({ storage: "sql", shardingConfig: shardingConfigOf(settings) })
  )
)

/** A client: sends (persisted) messages to the runners, hosts nothing. */
export const RosClusterClient = Layer.unwrapEffect(
  Effect.map(ClusterSettings, (settings) =>
    NodeClusterSocket.layer({ clientOnly: true, storage: "sql", shardingConfig: shardingConfigOf(settings) })
  )
)
