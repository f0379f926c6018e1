/**
 * Follows an upload through the track endpoint and shows its stages as they complete: on a terminal, one line
 * per stage redrawn in place; otherwise one plain line per change, so a log stays readable.
 */
import { HttpClient, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Console, Duration, Effect, Schedule } from "effect"
import {
  type UploadTrack,
  UploadTrack as UploadTrackSchema,
  uploadStages
} from "../../../schema/uploads/UploadStatus.js"

const LABELS: Record<string, string> = {
  received: "received by ingress",
  stored: "stored in S3",
  announced: "announced on Kafka",
  koku_processed: "ROS files extracted (koku stage)",
  ingested: "usage ingested (processor)",
  experiments_updated: "results sent to the engine",
  recommendations_ready: "recommendations stored (poller)"
}

/** One line per stage: its mark, its name, and what its latest event says. */
export const stageLines = (track: UploadTrack): ReadonlyArray<string> =>
  uploadStages.map((stage) => {
    const events = track.events.filter((e) => e.stage === stage)
    const last = events.at(-1)
    const failed = events.find((e) => e.outcome === "failed")
    const mark = failed !== undefined ? "✗" : last?.outcome === "done" ? "✓" : last === undefined ? "·" : "–"
    const detail =
      failed !== undefined
        ? `: ${String(failed.detail.error ?? track.error?.message ?? "failed")}`
        : last === undefined
          ? ""
          : summary(last.detail)
    return `  ${mark} ${LABELS[stage] ?? stage}${detail}`
  })

const summary = (detail: Readonly<Record<string, unknown>>) => {
  const parts = Object.entries(detail)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => `${k.replaceAll("_", " ")} ${String(v)}`)
  return parts.length === 0 ? "" : ` (${parts.join(", ")})`
}

const finished = (track: UploadTrack) =>
  track.status === "failed" || track.events.some((e) => e.stage === "recommendations_ready" && e.outcome === "done")

/** Polls until the upload is done or failed (at most `limit`), drawing its progress; returns the last track. */
export const followUpload = (trackUrl: string, identity: string, limit: Duration.DurationInput = "5 minutes") =>
  Effect.gen(function* () {
    const client = yield* HttpClient.HttpClient
    const tty = process.stdout.isTTY === true
    let drawn: ReadonlyArray<string> = []
    const draw = (lines: ReadonlyArray<string>) =>
      Effect.sync(() => {
        if (tty) {
          if (drawn.length > 0) process.stdout.write(`\x1b[${drawn.length}A`)
          process.stdout.write(lines.map((l) => `\x1b[2K${l}\n`).join(""))
        } else {
          for (const line of lines) if (!drawn.includes(line)) process.stdout.write(`${line}\n`)
        }
        drawn = lines
      })
    const poll = client
      .execute(HttpClientRequest.get(trackUrl).pipe(HttpClientRequest.setHeader("x-rh-identity", identity)))
      .pipe(
        Effect.flatMap(HttpClientResponse.schemaBodyJson(UploadTrackSchema)),
        Effect.scoped,
        Effect.tap((track) => draw(stageLines(track))),
        Effect.flatMap((track) => (finished(track) ? Effect.succeed(track) : Effect.fail("pending" as const)))
      )
    return yield* poll.pipe(
      Effect.retry({ schedule: Schedule.spaced("500 millis"), while: (e) => e === "pending" || typeof e === "object" }),
      Effect.timeoutFail({
        duration: limit,
        onTimeout: () => new Error(`the upload did not finish within ${Duration.format(Duration.decode(limit))}`)
      }),
      Effect.tapError(() => Console.log(""))
    )
  })
