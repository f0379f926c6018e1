/**
 * The rules every tar entry of an upload must pass before a byte of it is read (pure, so they are tested on their
 * own). An operator payload is flat: regular files at the archive root, `manifest.json` among them. Anything else
 * is refused rather than skipped, because a well-formed upload never holds it and a hostile one relies on a
 * consumer that extracts it: absolute paths, `..`, links (which could point anywhere on the host), devices and
 * FIFOs, duplicate names (which of the two would be "the" file?), or sizes past the limits.
 */
import { Either } from "effect"
import type { Header } from "tar-stream"
import { fileNameProblem } from "../../schema/koku/PayloadManifest.js"
import { PayloadRejected } from "./PayloadRejected.js"

export const MANIFEST_NAME = "manifest.json"

export interface ArchiveLimits {
  readonly maxEntries: number
  readonly maxEntryBytes: number
  /** Bytes the whole uncompressed tar stream may have. */
  readonly maxTotalBytes: number
  readonly maxManifestBytes: number
}

/** What has been seen of the archive so far. */
export interface ArchiveTally {
  readonly entries: number
  /** Sum of the sizes the headers declared. */
  readonly declaredBytes: number
  readonly names: ReadonlySet<string>
}

export const emptyTally: ArchiveTally = { entries: 0, declaredBytes: 0, names: new Set() }

/** What to do with an entry that passed. */
export type EntryPlan =
  | { readonly _tag: "Manifest"; readonly size: number }
  | { readonly _tag: "File"; readonly name: string; readonly size: number }
  | { readonly _tag: "Directory" }

const reject = (problem: PayloadRejected["problem"], detail: string) =>
  Either.left(new PayloadRejected({ problem, detail }))

const quoted = (s: string) => JSON.stringify(s)

/** `./a.csv` → `a.csv`, as `tar -C dir .` writes names; the root itself becomes "". */
export const normalizeEntryName = (name: string): string => name.replace(/^(?:\.\/+)+/, "").replace(/\/+$/, "")

const isAbsolute = (name: string) => name.startsWith("/") || name.startsWith("\\") || /^[A-Za-z]:/.test(name)

const climbsOut = (name: string) => name.split(/[/\\]+/).some((part) => part === "..")

const linkKinds: Readonly<Record<string, string>> = {
  symlink: "a symbolic link",
  link: "a hard link",
  "character-device": "a character device",
  "block-device": "a block device",
  fifo: "a FIFO"
}

/** The verdict on the next entry, given what came before it, and the tally that includes it. */
export const checkEntry = (
  header: Pick<Header, "name" | "size" | "type" | "linkname">,
  tally: ArchiveTally,
  limits: ArchiveLimits
): Either.Either<readonly [EntryPlan, ArchiveTally], PayloadRejected> => {
  const entries = tally.entries + 1
  if (entries > limits.maxEntries) {
    return reject("too_many_entries", `more than ${limits.maxEntries} entries`)
  }
  const raw = header.name
  if (isAbsolute(raw)) return reject("unsafe_entry", `${quoted(raw)} is an absolute path`)
  if (climbsOut(raw)) return reject("unsafe_entry", `${quoted(raw)} climbs out of the archive with ".."`)
  const name = normalizeEntryName(raw)
  // The typings promise a known type; tar-stream yields null for a type flag it does not know.
  const type: string = (header.type as string | null) ?? "unknown"
  if (type === "directory") {
    return Either.right([{ _tag: "Directory" }, { ...tally, entries }] as const)
  }
  if (type !== "file" && type !== "contiguous-file") {
    const kind = linkKinds[type] ?? `of type ${quoted(type)}`
    const link = header.linkname as string | null
    const target = link ? ` to ${quoted(link)}` : ""
    return reject("unsupported_entry_type", `${quoted(raw)} is ${kind}${target}`)
  }
  const problem = fileNameProblem(name)
  if (problem !== undefined) {
    return reject(
      "unsafe_entry",
      `${quoted(raw)} ${problem === "is not a single path component" ? "is not at the archive root" : problem}`
    )
  }
  if (tally.names.has(name)) return reject("unsafe_entry", `${quoted(name)} appears twice`)
  const size = header.size ?? 0
  if (!Number.isSafeInteger(size) || size < 0) return reject("corrupt_tar", `${quoted(name)} has an invalid size`)
  const isManifest = name === MANIFEST_NAME
  const cap = isManifest ? limits.maxManifestBytes : limits.maxEntryBytes
  if (size > cap) {
    return reject("entry_too_large", `${quoted(name)} declares ${size} bytes; the limit is ${cap}`)
  }
  const declaredBytes = tally.declaredBytes + size
  if (declaredBytes > limits.maxTotalBytes) {
    return reject("archive_too_large", `the entries declare more than ${limits.maxTotalBytes} bytes`)
  }
  const names = new Set(tally.names).add(name)
  const plan: EntryPlan = isManifest ? { _tag: "Manifest", size } : { _tag: "File", name, size }
  return Either.right([plan, { entries, declaredBytes, names }] as const)
}
