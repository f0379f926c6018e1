/**
 * The `ros-ocp` command line: one binary for every role (design.md §5).
 */
import { Args, Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Layer, Logger } from "effect"
import { uploadCommand } from "../ingress/UploadClient.js"
import { LogSettings } from "../services/Settings.js"
import { demoCommand } from "./demo/Demo.js"
import { describeFailure } from "./describeFailure.js"
import { migrateCommand } from "./migrate.js"
import { roles } from "./roles.js"

const role = Args.choice(
  roles.map((r) => [r.name, r] as const),
  { name: "role" }
).pipe(Args.withDescription(roles.map((r) => `${r.name}: ${r.description}`).join("; ")), Args.withDefault(roles[0]!))

const start = Command.make("start", { role }, ({ role }) => role.run).pipe(
  Command.withDescription("Start one role, or `all` of them in this process (the default).")
)

const demo = Command.make("demo", {}, () => demoCommand).pipe(
  Command.withDescription("Bring the stack up, upload the sample and print the recommendations.")
)

const file = Args.file({ name: "tarball", exists: "yes" })
const upload = Command.make("upload", { file }, ({ file }) => uploadCommand(file)).pipe(
  Command.withDescription("Upload a cost-management tarball to ingress.")
)

const rosOcp = Command.make("ros-ocp").pipe(
  Command.withDescription("Resource Optimization Service for OpenShift"),
  Command.withSubcommands([start, migrateCommand, demo, upload])
)

const cli = Command.run(rosOcp, { name: "ros-ocp", version: "0.1.0" })

const LoggingLive = Layer.unwrapEffect(LogSettings.pipe(Effect.map((s) => Logger.minimumLogLevel(s.level))))

Effect.suspend(() => cli(process.argv)).pipe(
  Effect.provide(Layer.mergeAll(NodeContext.layer, LoggingLive)),
  // After provide, so a bad setting read while building the layers is reported the same way.
  Effect.tapErrorCause((cause) => {
    const line = describeFailure(cause)
    return line === "" ? Effect.void : Console.error(`ros-ocp: ${line}`)
  }),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
