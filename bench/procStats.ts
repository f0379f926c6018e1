/**
 * What a process cost, read from /proc (Linux): CPU seconds, peak resident set, and the CPU of the PostgreSQL
 * backends serving a database. The machine is shared, so the benchmarks print what the work itself cost beside
 * the wall-clock figures. Every reader answers 0 where /proc is missing or the process is gone.
 */
import { readdirSync, readFileSync } from "node:fs"
import { isAbsolute, join } from "node:path"

const clockTicks = 100

/** User + system CPU seconds of a process. */
export const cpuOf = (pid: number | string): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? []
    return (Number(fields[11]) + Number(fields[12])) / clockTicks
  } catch {
    return 0
  }
}

/** Peak resident set (VmHWM), KiB. */
export const peakRssOf = (pid: number): number => {
  try {
    const line = readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmHWM:"))
    return Number(line?.replace(/\D+/g, "") ?? 0)
  } catch {
    return 0
  }
}

/** CPU seconds of each PostgreSQL backend serving one of `databases`, by pid, now. */
const backendCpu = (
  databases: ReadonlyArray<string>
): Map<string, { readonly database: string; readonly cpu: number }> => {
  const out = new Map<string, { readonly database: string; readonly cpu: number }>()
  let pids: Array<string> = []
  try {
    pids = readdirSync("/proc").filter((pid) => /^\d+$/.test(pid))
  } catch {
    return out
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8")
      const database = databases.find((d) => cmdline.includes(` ${d} `))
      if (database !== undefined) out.set(pid, { database, cpu: cpuOf(pid) })
    } catch {
      // gone meanwhile
    }
  }
  return out
}

/**
 * The CPU seconds of the PostgreSQL backends serving `databases`, sampled every second from now on, so a backend
 * that closes (an idle pool connection, a finished job) still counts with what it had used at its last sample.
 * `total()` samples once more and gives the sum per database; `stop()` ends the sampling.
 */
export const postgresCpuMeter = (databases: ReadonlyArray<string>) => {
  const seen = new Map<string, { readonly database: string; readonly cpu: number }>()
  const sample = () => {
    for (const [pid, backend] of backendCpu(databases)) seen.set(pid, backend)
  }
  sample()
  const timer = setInterval(sample, 1000)
  timer.unref()
  return {
    total: (): Map<string, number> => {
      sample()
      const byDatabase = new Map<string, number>(databases.map((d) => [d, 0]))
      for (const { database, cpu } of seen.values()) byDatabase.set(database, (byDatabase.get(database) ?? 0) + cpu)
      return byDatabase
    },
    stop: () => clearInterval(timer)
  }
}

/**
 * The Kafka broker and the S3 server that `infra/up` started, by their pid files under ROS_STATE_DIR (default
 * `.state`, relative to the working directory as infra/ reads it). They share the cores with the roles, so a
 * benchmark counts their CPU too. None when they run elsewhere (compose, other hosts) or are not running.
 */
export const infraServers = (
  stateDir: string = process.env.ROS_STATE_DIR ?? ".state"
): ReadonlyArray<{ readonly name: string; readonly pid: number }> => {
  const runDir = join(isAbsolute(stateDir) ? stateDir : join(process.cwd(), stateDir), "run")
  const servers: Array<{ readonly name: string; readonly pid: number }> = []
  for (const [name, file] of [
    ["Kafka broker", "kafka.pid"],
    ["S3 server", "s3.pid"]
  ] as const) {
    try {
      const pid = Number(readFileSync(join(runDir, file), "utf8").trim())
      if (Number.isInteger(pid) && pid > 0 && cpuOf(pid) > 0) servers.push({ name, pid })
    } catch {
      // not started by infra/up
    }
  }
  return servers
}
