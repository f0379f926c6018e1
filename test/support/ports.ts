/**
 * Loopback ports for servers a test starts itself.
 */
import { createServer } from "node:net"
import { Effect } from "effect"

/** A loopback port nothing listens on: bound by us, then released. */
export const unusedPort = Effect.async<number>((resume) => {
  const server = createServer()
  server.listen(0, "127.0.0.1", () => {
    const address = server.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    server.close(() => resume(Effect.succeed(port)))
  })
})
