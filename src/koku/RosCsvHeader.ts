/**
 * The header line of a ROS CSV, read from the spooled file, and what kind of ROS file it makes it. The koku stage
 * ships only files whose header holds every column ROS requires of one kind (ros-ocp-backend's 37 container
 * columns, which the 49-column v4.2 layout includes, or the 25 namespace columns), so a file the processor would
 * refuse whole is refused with the upload, where the user sees why. Cell values are the processor's business:
 * it drops bad rows and keeps the others.
 */
import { open } from "node:fs/promises"
import { Effect, Either } from "effect"
import { containerColumns, namespaceColumns } from "../../schema/ros/UsageCsvColumns.js"
import { SpoolFailed } from "./PayloadArchive.js"

/** No operator header comes near this (49 short column names). */
export const MAX_HEADER_BYTES = 64 * 1024

export type RosFileKind = "container" | "namespace"

/** The header's column names: up to the first line break, a UTF-8 BOM dropped, quotes around names removed. */
export const headerColumns = (line: string): ReadonlyArray<string> =>
  line
    .replace(/^\uFEFF/, "")
    .replace(/\r$/, "")
    .split(",")
    .map((cell) => cell.trim().replace(/^"(.*)"$/, "$1"))

const missingOf = (required: ReadonlyArray<string>, present: ReadonlySet<string>) =>
  required.filter((column) => !present.has(column))

/** The kind of ROS file a header makes, or why it makes none (naming the columns of the closer kind it lacks). */
export const classifyHeader = (columns: ReadonlyArray<string>): Either.Either<RosFileKind, string> => {
  const present = new Set(columns)
  const container = missingOf(containerColumns, present)
  if (container.length === 0) return Either.right("container")
  const namespace = missingOf(namespaceColumns, present)
  if (namespace.length === 0) return Either.right("namespace")
  const [kind, missing] = container.length <= namespace.length ? ["container", container] : ["namespace", namespace]
  return Either.left(`its header lacks the ${kind} column(s) ${missing.join(", ")}`)
}

/** The first line of the file at `path` (its whole text when it has a single line); none when it is too long. */
export const readHeaderLine = (path: string): Effect.Effect<Either.Either<string, string>, SpoolFailed> =>
  Effect.acquireUseRelease(
    Effect.tryPromise({
      try: () => open(path, "r"),
      catch: (e) => new SpoolFailed({ operation: "open", path, message: String(e) })
    }),
    (file) =>
      Effect.tryPromise({
        try: () => file.read(Buffer.alloc(MAX_HEADER_BYTES + 1), 0, MAX_HEADER_BYTES + 1, 0),
        catch: (e) => new SpoolFailed({ operation: "read", path, message: String(e) })
      }).pipe(
        Effect.map(({ bytesRead, buffer }) => {
          const head = buffer.subarray(0, bytesRead)
          const end = head.indexOf(0x0a)
          if (end === -1 && bytesRead > MAX_HEADER_BYTES) {
            return Either.left(`its first line is longer than ${MAX_HEADER_BYTES} bytes`)
          }
          if (bytesRead === 0) return Either.left("it is empty")
          return Either.right(head.subarray(0, end === -1 ? bytesRead : end).toString("utf8"))
        })
      ),
    (file) => Effect.promise(() => file.close())
  )
