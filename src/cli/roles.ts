/**
 * The roles `ros-ocp start` knows, in the order `start all` lists them. A role's `run` launches its
 * layer and returns only when the process is told to stop.
 */
import { Effect, Layer } from "effect"
import { IngressLive } from "../roles/ingress.js"
import { KokuLive } from "../roles/koku.js"
import { PollerConsumer, PollerLive } from "../roles/poller.js"
import { ProcessorConsumer, ProcessorLive } from "../roles/processor.js"
import { RecommenderLive } from "../roles/recommender.js"
import { RunnerEntities, RunnerLive } from "../roles/runner.js"
import { SourcesLive } from "../roles/sources.js"
import { RosDatabase } from "../services/Database.js"
import { RosClusterRunner } from "../services/RosCluster.js"

export interface Role {
  readonly name: string
  readonly description: string
  readonly run: Effect.Effect<void, unknown>
}

const pending = (name: string, description: string, issue: string): Role => ({
  name,
  description,
  run: Effect.fail(new Error(`role ${name} is not available yet: it arrives with the ${issue} issue`))
})

export const roles: ReadonlyArray<Role> = [
  {
    name: "all",
    // The housekeeper and the API join with their issues.
    description: "every available role in one process",
    run: Layer.launch(
      Layer.mergeAll(
        SourcesLive,
        IngressLive,
        KokuLive,
        RecommenderLive,
        // One runner for the process: the processor and poller send to the entities it hosts.
        Layer.mergeAll(ProcessorConsumer, PollerConsumer, RunnerEntities).pipe(
          Layer.provide(RosClusterRunner),
          Layer.provide(RosDatabase)
        )
      )
    )
  },
  {
    name: "ingress",
    description: "upload endpoint on :3000",
    run: Layer.launch(IngressLive)
  },
  {
    name: "koku",
    description: "koku stage: manifest, ROS CSVs to ros-data, hccm.ros.events",
    run: Layer.launch(KokuLive)
  },
  {
    name: "sources",
    description: "Sources API on :8002",
    run: Layer.launch(SourcesLive)
  },
  {
    name: "processor",
    description: "hccm.ros.events consumer feeding ClusterIngest",
    run: Layer.launch(ProcessorLive)
  },
  {
    name: "poller",
    description: "rosocp.kruize.recommendations consumer feeding Experiment",
    run: Layer.launch(PollerLive)
  },
  pending("housekeeper", "source deletions and partition retention", "actors"),
  {
    name: "runner",
    description: "hosts the sharded ClusterIngest and Experiment entities",
    run: Layer.launch(RunnerLive)
  },
  pending("api", "ROS REST API on :8001", "API"),
  {
    name: "recommender",
    description: "Kruize-compatible engine on :8080",
    run: Layer.launch(RecommenderLive)
  }
]
