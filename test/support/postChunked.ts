/**
 * A POST whose body goes in `parts` chunks with no content-length (chunked transfer encoding), so the server learns
 * its size only while reading it.
 */
import { request } from "node:http"
import { Effect } from "effect"

export interface ChunkedAnswer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | ReadonlyArray<string> | undefined>>
  readonly text: string
}

export const postChunked = (url: string, body: string, parts: number, headers: Readonly<Record<string, string>> = {}) =>
  Effect.async<ChunkedAnswer, Error>((resume) => {
    const req = request(url, { method: "POST", headers: { "content-type": "application/json", ...headers } }, (res) => {
      let text = ""
      res.setEncoding("utf8")
      res.on("data", (chunk: string) => {
        text += chunk
      })
      res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, headers: res.headers, text })))
    })
    // A server that answers before the whole body is sent may close while the rest is written: the answer counts.
    req.on("error", (error) => resume(Effect.fail(error)))
    const size = Math.ceil(body.length / parts)
    for (let i = 0; i < body.length; i += size) req.write(body.slice(i, i + size))
    req.end()
  })
