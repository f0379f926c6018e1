/**
 * One timed HTTP request on a kept-alive loopback connection, with node:http: the latency figures measure the
 * server, not the client's fetch machinery (undici adds ~0.5 ms per request here) or the parsing of the answer.
 * The clock stops when the last byte of the answer has arrived.
 */
import { Agent, request } from "node:http"
import { Effect } from "effect"

const agent = new Agent({ keepAlive: true })

export interface TimedAnswer {
  readonly status: number
  readonly text: string
  readonly ms: number
}

export const timedRequest = (url: string, method: string, path: string) =>
  Effect.async<TimedAnswer, Error>((resume) => {
    const started = performance.now()
    const req = request(`${url}${path}`, { method, agent }, (response) => {
      const chunks: Array<Buffer> = []
      response.on("data", (chunk: Buffer) => chunks.push(chunk))
      response.on("end", () => {
        const ms = performance.now() - started
        resume(Effect.succeed({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), ms }))
      })
      response.on("error", (e) => resume(Effect.fail(e)))
    })
    req.on("error", (e) => resume(Effect.fail(e)))
    req.end()
  })
