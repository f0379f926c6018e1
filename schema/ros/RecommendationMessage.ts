/**
 * `rosocp.kruize.recommendations` (spec ros-ocp-backend §1.5): Go's `RecommendationKafkaMsg` has no JSON tags,
 * so the wire keys are the Go field names. Written with exactly those keys; read case-insensitively, with every
 * metadata field required as upstream's validator does (a Workload_id of 0 fails).
 */
import { DateTime, ParseResult, Schema } from "effect"
import { goKeys } from "./GoJsonKeys.js"

/** Go's time.Time in JSON (RFC 3339, fraction only when non-zero, trailing zeros cut), always UTC here. */
export const GoTimeUtc = Schema.transformOrFail(Schema.String, Schema.DateTimeUtcFromSelf, {
  strict: true,
  decode: (text, _, ast) =>
    ParseResult.decodeUnknown(Schema.DateTimeUtc)(text).pipe(
      ParseResult.mapError(
        () => new ParseResult.Type(ast, text, `expected an RFC 3339 time, got ${JSON.stringify(text)}`)
      )
    ),
  encode: (time) =>
    ParseResult.succeed(
      DateTime.formatIso(time)
        .replace(/\.?0*Z$/, "Z")
        .replace(/\.(\d*?)0*Z$/, ".$1Z")
    )
})

export const ExperimentType = Schema.Literal("container", "namespace")
export type ExperimentType = typeof ExperimentType.Type

const Required = Schema.String.pipe(Schema.minLength(1))

export const RecommendationMessageMetadata = goKeys(
  Schema.Struct({
    Org_id: Required,
    Workload_id: Schema.Int.pipe(Schema.positive()),
    Experiment_name: Required,
    Max_endtime_report: GoTimeUtc,
    ExperimentType
  })
)

export const RecommendationMessage = goKeys(
  Schema.Struct({
    Request_id: Schema.String,
    Metadata: RecommendationMessageMetadata
  })
).annotations({ identifier: "RecommendationMessage" })
export type RecommendationMessage = typeof RecommendationMessage.Type

export const RecommendationMessageJson = Schema.parseJson(RecommendationMessage)
