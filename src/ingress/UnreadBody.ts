/**
 * What happens to the rest of a request body ingress stopped reading (a file over its limit, a refused part type,
 * an identity refused before the body): the answer goes out at once, and the rest of the body is read and dropped
 * so the connection stays usable for the client's next request. Node does that by itself only for a body nobody
 * started reading; a body that was being parsed stays paused and the connection hangs. A client that keeps sending
 * past `maxBytes` more loses its connection instead, once it has been answered.
 */
import type { HttpServerRequest } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect } from "effect"

export const discardUnreadBody = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  Effect.sync(() => {
    const incoming = NodeHttpServerRequest.toIncomingMessage(request)
    if (incoming.complete || incoming.destroyed) return
    const response = NodeHttpServerRequest.toServerResponse(request)
    const cut = () => incoming.socket.destroy()
    let dropped = 0
    const drop = (chunk: Buffer) => {
      dropped += chunk.length
      if (dropped <= maxBytes) return
      incoming.off("data", drop)
      incoming.pause()
      if (response.writableFinished) cut()
      else response.once("finish", cut)
    }
    incoming.unpipe()
    incoming.on("data", drop)
    incoming.resume()
  })
