/**
 * The second half of validating an upload, once its archive has been unpacked without breaking a rule: the
 * manifest must decode (spec B.3), the files it lists must be in the archive, and each listed ROS file must be a
 * ROS CSV. What comes out is everything the shipper needs, so it never looks at the archive again.
 *
 * A listed file that is absent is refused by default: a manifest that promises files the archive lacks is either
 * damaged or a split package (B.2), and shipping part of it would be partial output. With `acceptSplitPayloads`
 * the present files are shipped, as koku does, and the absent ones are reported.
 */
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import { type PayloadManifest, PayloadManifestJson } from "../../schema/koku/PayloadManifest.js"
import type { SpooledArchive, SpooledFile, SpoolFailed } from "./PayloadArchive.js"
import { PayloadRejected } from "./PayloadRejected.js"
import { classifyHeader, headerColumns, type RosFileKind, readHeaderLine } from "./RosCsvHeader.js"

export interface RosPayloadFile extends SpooledFile {
  readonly kind: RosFileKind
}

export interface CheckedPayload {
  readonly manifest: PayloadManifest
  /** The listed ROS files, in manifest order. */
  readonly rosFiles: ReadonlyArray<RosPayloadFile>
  /** The listed cost report files (`files`), in manifest order. */
  readonly reportFiles: ReadonlyArray<SpooledFile>
  /** Listed but not in the archive (only with `acceptSplitPayloads`). */
  readonly absent: ReadonlyArray<string>
  /** In the archive but not listed: ignored, as koku ignores them. */
  readonly unlisted: ReadonlyArray<string>
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

const describeIssues = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`))
    .join("; ")

export const decodeManifest = (bytes: Uint8Array): Either.Either<PayloadManifest, PayloadRejected> =>
  Either.try({
    try: () => utf8.decode(bytes),
    catch: () => new PayloadRejected({ problem: "manifest_invalid", detail: "it is not UTF-8 text" })
  }).pipe(
    Either.flatMap((text) =>
      Schema.decodeUnknownEither(PayloadManifestJson, { errors: "all" })(text).pipe(
        Either.mapLeft((e) => new PayloadRejected({ problem: "manifest_invalid", detail: describeIssues(e) }))
      )
    )
  )

const unique = (names: ReadonlyArray<string>) => [...new Set(names)]

export const checkPayload = (
  archive: SpooledArchive,
  options: { readonly acceptSplitPayloads: boolean }
): Effect.Effect<CheckedPayload, PayloadRejected | SpoolFailed> =>
  Effect.gen(function* () {
    const bytes = yield* Option.match(archive.manifest, {
      onNone: () => Effect.fail(new PayloadRejected({ problem: "manifest_missing", detail: "" })),
      onSome: (b) => Effect.succeed(b)
    })
    const manifest = yield* decodeManifest(bytes)

    const rosNames = unique(manifest.resource_optimization_files)
    // A name in both lists is a ROS file (koku ships it to ROS before it looks at the cost files).
    const reportNames = unique(manifest.files).filter((name) => !rosNames.includes(name))
    const listed = [...rosNames, ...reportNames]
    const absent = listed.filter((name) => !archive.files.has(name))
    if (absent.length > 0 && !options.acceptSplitPayloads) {
      return yield* new PayloadRejected({ problem: "listed_file_missing", detail: absent.join(", ") })
    }
    const present = (names: ReadonlyArray<string>) =>
      names.flatMap((name) => {
        const file = archive.files.get(name)
        return file === undefined ? [] : [file]
      })

    const rosFiles = yield* Effect.forEach(present(rosNames), (file) =>
      readHeaderLine(file.path).pipe(
        Effect.flatMap((line) =>
          Either.flatMap(line, (text) => classifyHeader(headerColumns(text))).pipe(
            Either.match({
              onLeft: (why) =>
                Effect.fail(new PayloadRejected({ problem: "ros_file_invalid", detail: `${file.name}: ${why}` })),
              onRight: (kind) => Effect.succeed<RosPayloadFile>({ ...file, kind })
            })
          )
        )
      )
    )
    const listedSet = new Set(listed)
    return {
      manifest,
      rosFiles,
      reportFiles: present(reportNames),
      absent,
      unlisted: [...archive.files.keys()].filter((name) => !listedSet.has(name))
    }
  })
