/**
 * Loopback ports for servers a test starts itself.
 *
 * The ports come from below the kernel's ephemeral range. A port the kernel hands out for `listen(0)` lies
 * inside that range, and once released it can become the local end of any outgoing connection on the machine
 * (a pool's connection to PostgreSQL, a fetch): a server that stops and starts again on "its" port, as the
 * restart tests do, then meets EADDRINUSE. Below the range only another listener can take it.
 */
import { readFileSync } from "node:fs"
import { createServer } from "node:net"
import { Effect } from "effect"

const lowest = 10_000

/** The first port of the ephemeral range (Linux's default when the kernel does not say). */
const ephemeralStart = (() => {
  try {
    const first = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0])
    return Number.isInteger(first) && first > lowest + 1_000 ? first : 32_768
  } catch {
    return 32_768
  }
})()

const candidate = () => lowest + Math.floor(Math.random() * (ephemeralStart - lowest))

/** Whether nothing listens on `port` at this moment: bound by us, then released. */
const free = (port: number) =>
  Effect.async<boolean>((resume) => {
    const server = createServer()
    server.once("error", () => resume(Effect.succeed(false)))
    server.listen(port, "127.0.0.1", () => server.close(() => resume(Effect.succeed(true))))
  })

/** A loopback port nothing listens on, outside the range outgoing connections draw from. */
export const unusedPort: Effect.Effect<number> = Effect.gen(function* () {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = candidate()
    if (yield* free(port)) return port
  }
  return yield* Effect.dieMessage(`no free loopback port between ${lowest} and ${ephemeralStart - 1}`)
})
