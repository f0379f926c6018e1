/**
 * Reading a request's body within a limit, and what happens to a body that is not read to its end (past the limit,
 * a refused upload, an identity refused before the body). The platform's `request.text` does not fit: past its
 * limit it destroys the socket, so a client sending a large body got a hang-up instead of the answer (ingress lost
 * the connection for any JSON body over 64 KiB; the engine and the Sources API for a chunked one past theirs).
 *
 * An unread body is dropped while the answer goes out, so the connection stays usable for the client's next
 * request. Node does that by itself only for a body nobody started reading; a body that was being parsed stays
 * paused and the connection hangs. A client that keeps sending past a bound loses its connection instead, once it
 * has been answered: closing at once could lose the answer to the reset, and reading without end would let a client
 * hold the connection.
 */
import { HttpServerRequest } from "@effect/platform"
import { NodeHttpServerRequest } from "@effect/platform-node"
import { Effect, Schema } from "effect"

/** The body is larger than the limit, by its declared length or while it was read. */
export class RequestBodyTooLarge extends Schema.TaggedError<RequestBodyTooLarge>()("RequestBodyTooLarge", {
  maxBytes: Schema.Number
}) {}

/** The connection failed while the body was read. */
export class RequestBodyUnreadable extends Schema.TaggedError<RequestBodyUnreadable>()("RequestBodyUnreadable", {
  message: Schema.String
}) {}

/** Beyond a body's own limit, what `requestText` drops before it cuts a client that goes on sending. */
const DROP_AT_LEAST = 8 * 1024 * 1024

/** Messages whose rest is being dropped already, so a second call does not count it twice. */
const dropping = new WeakSet<object>()

const dropRest = (request: HttpServerRequest.HttpServerRequest, maxBytes: number): void => {
  const incoming = NodeHttpServerRequest.toIncomingMessage(request)
  if (incoming.complete || incoming.destroyed || dropping.has(incoming)) return
  dropping.add(incoming)
  const response = NodeHttpServerRequest.toServerResponse(request)
  const cut = () => incoming.socket.destroy()
  let dropped = 0
  const drop = (chunk: Buffer | string) => {
    dropped += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length
    if (dropped <= maxBytes) return
    incoming.off("data", drop)
    incoming.pause()
    if (response.writableFinished) cut()
    else response.once("finish", cut)
  }
  incoming.unpipe()
  incoming.on("data", drop)
  incoming.resume()
}

/** Drops what is left of the request's body (see above), up to `maxBytes` more. */
export const discardUnreadBody = (request: HttpServerRequest.HttpServerRequest, maxBytes: number) =>
  Effect.sync(() => dropRest(request, maxBytes))

/**
 * The request's body as UTF-8 text, failing with `RequestBodyTooLarge` when its declared length or what arrives
 * passes `maxBytes`; the rest is then dropped (see above, up to `maxBytes` or 8 MiB more, whichever is larger), so
 * the caller's answer reaches the client.
 */
export const requestText = (maxBytes: number) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
    Effect.async<string, RequestBodyTooLarge | RequestBodyUnreadable>((resume) => {
      const dropUpTo = Math.max(maxBytes, DROP_AT_LEAST)
      if (Number(request.headers["content-length"] ?? "0") > maxBytes) {
        dropRest(request, dropUpTo)
        resume(Effect.fail(new RequestBodyTooLarge({ maxBytes })))
        return
      }
      const message = NodeHttpServerRequest.toIncomingMessage(request)
      let text = ""
      let bytes = 0
      const detach = () => {
        message.off("data", onData)
        message.off("end", onEnd)
        message.off("error", onError)
      }
      function onData(chunk: string) {
        bytes += Buffer.byteLength(chunk)
        if (bytes <= maxBytes) {
          text += chunk
          return
        }
        detach()
        dropRest(request, dropUpTo)
        resume(Effect.fail(new RequestBodyTooLarge({ maxBytes })))
      }
      function onEnd() {
        detach()
        resume(Effect.succeed(text))
      }
      function onError(error: Error) {
        detach()
        resume(Effect.fail(new RequestBodyUnreadable({ message: error.message })))
      }
      message.setEncoding("utf8")
      message.on("data", onData)
      message.once("end", onEnd)
      message.once("error", onError)
      return Effect.sync(detach)
    })
  )
