/**
 * A usage CSV's bytes, streamed from its presigned URL (spec ros-ocp-backend §2.1) straight into the CSV
 * pipeline, never buffered whole. A URL that does not answer is `UsageFileUnavailable` (worth retrying a
 * few times); a 4xx (expired or wrong URL) or a file above PROCESSOR_MAX_CSV_BYTES is `UsageFileRefused`.
 */
import { HttpClient, HttpClientRequest } from "@effect/platform"
import { Effect, Schema, Stream } from "effect"

export class UsageFileUnavailable extends Schema.TaggedError<UsageFileUnavailable>()("UsageFileUnavailable", {
  file: Schema.String,
  message: Schema.String
}) {}

export class UsageFileRefused extends Schema.TaggedError<UsageFileRefused>()("UsageFileRefused", {
  file: Schema.String,
  message: Schema.String
}) {}

/** The URL without its query: presigned signatures are secrets and change on every message. */
export const fileKeyOf = (url: string) => {
  try {
    const parsed = new URL(url)
    return `${parsed.host}${parsed.pathname}`
  } catch {
    return url.split("?")[0] ?? url
  }
}

/** Opens the download; the stream it returns must be consumed within the surrounding scope. */
export const downloadUsageFile = (url: string, maxBytes: number) =>
  Effect.gen(function* () {
    const file = fileKeyOf(url)
    const client = yield* HttpClient.HttpClient
    const request = yield* Effect.try({
      try: () => HttpClientRequest.get(new URL(url)),
      catch: () => new UsageFileRefused({ file, message: `not a URL: ${JSON.stringify(url.slice(0, 200))}` })
    })
    const response = yield* client
      .execute(request)
      .pipe(Effect.mapError((e) => new UsageFileUnavailable({ file, message: e.message })))
    if (response.status >= 500) {
      return yield* new UsageFileUnavailable({ file, message: `HTTP ${response.status}` })
    }
    if (response.status !== 200) {
      return yield* new UsageFileRefused({ file, message: `HTTP ${response.status} (expired or unknown URL?)` })
    }
    const declared = Number(response.headers["content-length"] ?? Number.NaN)
    if (declared > maxBytes) {
      return yield* new UsageFileRefused({ file, message: `${declared} bytes, above the limit of ${maxBytes}` })
    }
    let seen = 0
    return response.stream.pipe(
      Stream.mapError((e) => new UsageFileUnavailable({ file, message: e.message })),
      Stream.mapEffect((chunk) => {
        seen += chunk.byteLength
        return seen > maxBytes
          ? Effect.fail(new UsageFileRefused({ file, message: `more than ${maxBytes} bytes` }))
          : Effect.succeed(chunk)
      })
    )
  })
