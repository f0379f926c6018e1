/**
 * Deterministic test layer: the platform `HttpClient` answering GETs of presigned usage-CSV URLs from memory, for
 * unit tests of ClusterIngest. Files are keyed by host and path (the presigned query is ignored, as the actor's
 * file key ignores it); an unknown file answers 404 like S3, and a test can make a file answer an HTTP status or
 * fail to connect a number of times. S3 itself is tested elsewhere.
 */
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { Context, Effect, Layer } from "effect"
import { fileKeyOf } from "../../src/processor/UsageFileDownload.js"
import { MemoryJournal } from "./memoryJournal.js"

export type FileAnswer =
  | { readonly _tag: "Body"; readonly text: string }
  | { readonly _tag: "Status"; readonly status: number }
  | { readonly _tag: "Unreachable" }

export interface MemoryFilesService {
  /** serves `text` at the URL's host and path */
  readonly put: (url: string, text: string) => Effect.Effect<void>
  /** the next `times` GETs of the file get `answer` instead of the file */
  readonly answerNext: (url: string, answer: FileAnswer, times?: number) => Effect.Effect<void>
  /** file keys of every GET, in order */
  readonly requests: ReadonlyArray<string>
}

export class MemoryFiles extends Context.Tag("test/MemoryFiles")<MemoryFiles, MemoryFilesService>() {}

const make = Effect.gen(function* () {
  const journal = yield* MemoryJournal
  const files = new Map<string, string>()
  const scripted = new Map<string, Array<FileAnswer>>()
  const requests: Array<string> = []

  const client = HttpClient.make((request, url) =>
    Effect.suspend(() => {
      const key = fileKeyOf(url.toString())
      requests.push(key)
      const stored = files.get(key)
      const answer: FileAnswer =
        scripted.get(key)?.shift() ??
        (stored === undefined ? { _tag: "Status", status: 404 } : { _tag: "Body", text: stored })
      const record = journal.record(
        answer._tag === "Body"
          ? { service: "files", op: "GET", subject: key }
          : {
              service: "files",
              op: "GET",
              subject: key,
              failedWith: answer._tag === "Status" ? String(answer.status) : "Unreachable"
            }
      )
      switch (answer._tag) {
        case "Unreachable":
          return record.pipe(
            Effect.zipRight(
              Effect.fail(
                new HttpClientError.RequestError({ request, reason: "Transport", description: "connection refused" })
              )
            )
          )
        case "Status":
          return record.pipe(
            Effect.as(
              HttpClientResponse.fromWeb(
                request,
                new Response("<Error><Code>NoSuchKey</Code></Error>", { status: answer.status })
              )
            )
          )
        case "Body":
          return record.pipe(Effect.as(HttpClientResponse.fromWeb(request, new Response(answer.text, { status: 200 }))))
      }
    })
  )

  const control: MemoryFilesService = {
    put: (url, text) => Effect.sync(() => void files.set(fileKeyOf(url), text)),
    answerNext: (url, answer, times = 1) =>
      Effect.sync(() => {
        const key = fileKeyOf(url)
        const queue = scripted.get(key) ?? []
        for (let i = 0; i < times; i++) queue.push(answer)
        scripted.set(key, queue)
      }),
    requests
  }
  return Context.make(HttpClient.HttpClient, client).pipe(Context.add(MemoryFiles, control))
})

/** `HttpClient` serving files from memory, with its `MemoryFiles` control; needs the shared `MemoryJournal`. */
export const layerMemoryFiles: Layer.Layer<HttpClient.HttpClient | MemoryFiles, never, MemoryJournal> =
  Layer.effectContext(make)
