/**
 * The roles `ros-ocp start` knows, in the order `start all` lists them. A role's `run` launches its
 * layer and returns only when the process is told to stop.
 */
import { type Effect, Layer } from "effect"
import { AllRolesLive } from "../roles/all.js"
import { ApiLive } from "../roles/api.js"
import { HousekeeperLive } from "../roles/housekeeper.js"
import { IngressLive } from "../roles/ingress.js"
import { KokuLive } from "../roles/koku.js"
import { PollerLive } from "../roles/poller.js"
import { ProcessorLive } from "../roles/processor.js"
import { RecommenderLive } from "../roles/recommender.js"
import { RunnerLive } from "../roles/runner.js"
import { SourcesLive } from "../roles/sources.js"

export interface Role {
  readonly name: string
  readonly description: string
  readonly run: Effect.Effect<void, unknown>
}

export const roles: ReadonlyArray<Role> = [
  {
    name: "all",
    description: "every role in one process",
    run: Layer.launch(AllRolesLive)
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
  {
    name: "housekeeper",
    description: "source deletions and partition retention",
    run: Layer.launch(HousekeeperLive)
  },
  {
    name: "runner",
    description: "hosts the sharded ClusterIngest and Experiment entities",
    run: Layer.launch(RunnerLive)
  },
  {
    name: "api",
    description: "ROS REST API and web view on :8001",
    run: Layer.launch(ApiLive)
  },
  {
    name: "recommender",
    description: "Kruize-compatible engine on :8080",
    run: Layer.launch(RecommenderLive)
  }
]
