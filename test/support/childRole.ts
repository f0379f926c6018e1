/**
 * A role of ros-ocp started as its own process (`node bin/ros-ocp.mjs start <role>`), as a user or compose
 * starts it, with settings over the environment's. The process is killed when the scope closes; `kill`
 * ends it at once (SIGKILL), as a crash would. Its output goes to a log file under the system temp folder.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createWriteStream } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { type Duration, Effect } from "effect"

export interface ChildRole {
  readonly pid: number
  readonly log: string
  readonly kill: Effect.Effect<void>
  readonly exited: Effect.Effect<boolean>
}

const stop = (child: ChildProcess, signal: NodeJS.Signals) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill(signal)
  })

export interface StartOptions {
  /** Node options before the script, e.g. `--cpu-prof`. */
  readonly nodeArgs?: ReadonlyArray<string>
  /** How long SIGTERM may take before SIGKILL (default 10 s). */
  readonly stopWithin?: Duration.DurationInput
}

export const startRole = (role: string, env: Record<string, string>, options: StartOptions = {}) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const log = join(tmpdir(), `ros-ocp-${role}-${Date.now().toString(36)}.log`)
      const out = createWriteStream(log)
      const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "bin/ros-ocp.mjs", "start", role], {
        cwd: process.cwd(),
        env: { ...process.env, LOG_LEVEL: "INFO", ...env },
        stdio: ["ignore", "pipe", "pipe"]
      })
      child.stdout?.pipe(out)
      child.stderr?.pipe(out)
      return { child, log }
    }),
    ({ child }) =>
      stop(child, "SIGTERM").pipe(
        Effect.timeout(options.stopWithin ?? "10 seconds"),
        Effect.orElse(() => stop(child, "SIGKILL"))
      )
  ).pipe(
    Effect.map(
      ({ child, log }): ChildRole => ({
        pid: child.pid ?? -1,
        log,
        kill: stop(child, "SIGKILL"),
        exited: Effect.sync(() => child.exitCode !== null || child.signalCode !== null)
      })
    )
  )
