/**
 * What a process cost, read from /proc (Linux): CPU seconds, peak resident set, and the CPU of the PostgreSQL
 * backends serving a database. The machine is shared, so the benchmarks print what the work itself cost beside
 * the wall-clock figures. Every reader answers 0 where /proc is missing or the process is gone.
 */
import { readdirSync, readFileSync } from "node:fs"

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

/** CPU seconds of the PostgreSQL backends serving `databases` (backends that closed meanwhile are not counted). */
export const postgresCpu = (databases: ReadonlyArray<string>): Map<string, number> => {
  const byDatabase = new Map<string, number>(databases.map((d) => [d, 0]))
  let pids: Array<string> = []
  try {
    pids = readdirSync("/proc").filter((pid) => /^\d+$/.test(pid))
  } catch {
    return byDatabase
  }
  for (const pid of pids) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8")
      for (const d of databases)
        if (cmdline.includes(` ${d} `)) byDatabase.set(d, (byDatabase.get(d) ?? 0) + cpuOf(pid))
    } catch {
      // gone meanwhile
    }
  }
  return byDatabase
}
