/**
 * Safe unpacking (PayloadArchive, EntryRules) and payload validation (PayloadCheck), on small tars built in memory
 * and on every archive of samples/hostile: each unsafe or malformed input is refused with the problem named, a
 * bomb stops early, and what is accepted is spooled byte for byte inside the spool directory only.
 */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { gzipSync } from "node:zlib"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Ref, Stream } from "effect"
import { type Header, pack } from "tar-stream"
import { ContainerColumns37, NamespaceColumns } from "../../../samples/SampleData.js"
import { type ArchiveLimits, checkEntry, emptyTally } from "../../../src/koku/EntryRules.js"
import { extractArchive } from "../../../src/koku/PayloadArchive.js"
import { checkPayload } from "../../../src/koku/PayloadCheck.js"
import type { PayloadRejected } from "../../../src/koku/PayloadRejected.js"
import { ObjectStoreUnavailable } from "../../../src/services/ObjectStore.js"
import { readTarGz } from "../samples/TarReader.js"

const limits: ArchiveLimits = {
  maxEntries: 1000,
  maxEntryBytes: 128 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
  maxManifestBytes: 10 * 1024 * 1024
}

const CLUSTER = "136212d4-b6cf-4271-b904-26dcf46a89d1"
const UUID = "3f2a4c1e-8b7d-4e6f-9a1b-2c3d4e5f6a7b"
const containerCsv = `${ContainerColumns37.join(",")}\n`
const namespaceCsv = `${NamespaceColumns.join(",")}\n`

const manifestJson = (ros: ReadonlyArray<string> | null, files: ReadonlyArray<string> | null = null) =>
  JSON.stringify(
    {
      uuid: UUID,
      cluster_id: CLUSTER,
      version: "v",
      date: "2026-08-12T00:03:24Z",
      files,
      resource_optimization_files: ros
    },
    null,
    1
  )

interface Item {
  readonly header: Partial<Header> & { readonly name: string }
  readonly data?: string | Uint8Array
}

/** A tar made by tar-stream, which writes every entry type (devices, FIFOs, directories). */
const tarOf = (items: ReadonlyArray<Item>) =>
  Effect.promise(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        const p = pack()
        const chunks: Array<Buffer> = []
        p.on("data", (chunk) => {
          if (chunk instanceof Buffer) chunks.push(chunk)
        })
        p.on("end", () => resolve(Buffer.concat(chunks)))
        p.on("error", reject)
        for (const item of items) {
          if (item.data === undefined) p.entry(item.header)
          else p.entry(item.header, item.data)
        }
        p.finalize()
      })
  )

const file = (name: string, data: string): Item => ({ header: { name, type: "file" }, data })

/** A chunked stream of `bytes` that counts what was pulled from it. */
const chunked = (bytes: Uint8Array, pulled?: Ref.Ref<number>, size = 4096) =>
  Stream.fromIterable(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size))
  ).pipe(Stream.tap((chunk) => (pulled === undefined ? Effect.void : Ref.update(pulled, (n) => n + chunk.length))))

const withSpool = <A, E>(f: (directory: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "koku-test-"))),
    f,
    (directory) => Effect.promise(() => rm(directory, { recursive: true, force: true }))
  )

/** Unpacks and validates `bytes`, as the stage does before it ships anything. */
const unpack = (
  bytes: Uint8Array,
  options: { readonly acceptSplitPayloads?: boolean; readonly limits?: ArchiveLimits } = {}
) =>
  withSpool((directory) =>
    extractArchive(chunked(bytes), directory, options.limits ?? limits).pipe(
      Effect.flatMap((archive) => checkPayload(archive, { acceptSplitPayloads: options.acceptSplitPayloads ?? false })),
      Effect.flatMap((payload) =>
        Effect.promise(() => readdir(directory)).pipe(Effect.map((spooled) => ({ payload, spooled })))
      )
    )
  )

const rejection = (bytes: Uint8Array, options: Parameters<typeof unpack>[1] = {}) =>
  unpack(bytes, options).pipe(
    Effect.flip,
    Effect.map((e) => {
      if (e._tag !== "PayloadRejected") throw new Error(`expected PayloadRejected, got ${e._tag}`)
      return e as PayloadRejected
    })
  )

const hostile = (name: string) => readFile(new URL(`../../../samples/hostile/${name}`, import.meta.url))
const sample = () => readFile(new URL("../../../samples/cost-mgmt.tar.gz", import.meta.url))

describe("unpacking an upload", () => {
  it.effect("spools the sample's files byte for byte and sorts them into ROS and report files", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(sample)
      const reference = yield* readTarGz(bytes, 64 * 1024 * 1024)
      yield* withSpool((directory) =>
        Effect.gen(function* () {
          const archive = yield* extractArchive(chunked(bytes), directory, limits)
          const payload = yield* checkPayload(archive, { acceptSplitPayloads: false })
          expect(archive.entries).toBe(7)
          expect(payload.rosFiles.map((f) => f.kind)).toEqual(["container", "namespace"])
          expect(payload.reportFiles).toHaveLength(4)
          expect(payload.absent).toEqual([])
          expect(payload.unlisted).toEqual([])
          for (const spooled of [...payload.rosFiles, ...payload.reportFiles]) {
            const original = reference.entries.find((e) => e.header.name === spooled.name)
            const copy = yield* Effect.promise(() => readFile(spooled.path))
            expect(original?.data.equals(copy), spooled.name).toBe(true)
            expect(spooled.path.startsWith(`${directory}/`)).toBe(true)
          }
          // Spool files are named by position, never by the archive's names.
          expect((yield* Effect.promise(() => readdir(directory))).every((n) => /^\d{4}\.entry$/.test(n))).toBe(true)
        })
      )
    })
  )

  it.effect("refuses every hostile sample of an archive-level defect with the problem named", () =>
    Effect.gen(function* () {
      const expected: ReadonlyArray<readonly [string, PayloadRejected["problem"], RegExp]> = [
        ["path-traversal.tar.gz", "unsafe_entry", /"\.\.\/evil\.csv" climbs out/],
        ["absolute-path.tar.gz", "unsafe_entry", /"\/tmp\/evil\.csv" is an absolute path/],
        ["symlink.tar.gz", "unsupported_entry_type", /symbolic link to "\/etc\/passwd"/],
        ["hardlink.tar.gz", "unsupported_entry_type", /hard link to "\/etc\/passwd"/],
        ["not-gzip.tar.gz", "not_gzip", /not the gzip magic/],
        ["uncompressed-tar.tar.gz", "not_gzip", /not the gzip magic/],
        ["truncated-gzip.tar.gz", "truncated_gzip", /ends before the gzip trailer/],
        ["missing-listed-file.tar.gz", "listed_file_missing", /ros-openshift-container/],
        ["manifest-not-json.tar.gz", "manifest_invalid", /JSON/],
        ["absurd-size.tar.gz", "entry_too_large", /declares 1099511627776 bytes/],
        ["entry-count-bomb.tar.gz", "too_many_entries", /more than 1000 entries/],
        ["gzip-bomb.tar.gz", "entry_too_large", /declares 268435456 bytes/],
        ["missing-manifest.tar.gz", "manifest_missing", /no manifest\.json at its root/],
        ["missing-column.tar.gz", "ros_file_invalid", /lacks the container column\(s\) cpu_usage_container_avg/]
      ]
      for (const [name, problem, detail] of expected) {
        const error = yield* rejection(yield* Effect.promise(() => hostile(name)))
        expect(error.problem, name).toBe(problem)
        expect(error.message, name).toMatch(detail)
      }
    })
  )

  it.effect("passes wrong-types through: bad cells are the processor's to drop, row by row", () =>
    Effect.gen(function* () {
      const { payload } = yield* unpack(yield* Effect.promise(() => hostile("wrong-types.tar.gz")))
      expect(payload.rosFiles.map((f) => f.kind)).toEqual(["container"])
    })
  )

  it.effect("ships the present files of a split package only when asked to", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => hostile("missing-listed-file.tar.gz"))
      const { payload } = yield* unpack(bytes, { acceptSplitPayloads: true })
      expect(payload.rosFiles.map((f) => f.kind)).toEqual(["namespace"])
      expect(payload.absent).toHaveLength(1)
      expect(payload.absent[0]).toMatch(/ros-openshift-container/)
    })
  )

  it.effect("stops a gzip bomb at its header, by the entry limit or else by the total limit", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(() => hostile("gzip-bomb.tar.gz"))
      const atHeader = yield* rejection(bytes)
      expect(atHeader.problem).toBe("entry_too_large")

      // With room for a 256 MiB entry, the total budget refuses what the header declares, before it inflates.
      const roomy = { ...limits, maxEntryBytes: 512 * 1024 * 1024, maxTotalBytes: 16 * 1024 * 1024 }
      const metered = yield* withSpool((directory) =>
        extractArchive(chunked(bytes), directory, roomy).pipe(Effect.flip)
      )
      expect(metered._tag).toBe("PayloadRejected")
      expect((metered as PayloadRejected).problem).toBe("archive_too_large")
      expect(metered.message).toMatch(/declare more than 16777216 bytes/)
    })
  )

  it.effect("keeps a failed read of the upload a typed, retryable failure, not a damaged archive", () =>
    Effect.gen(function* () {
      const bytes = yield* Effect.promise(sample)
      const half = chunked(bytes.subarray(0, bytes.length / 2)).pipe(
        Stream.concat(Stream.fail(new ObjectStoreUnavailable({ operation: "GetObject", message: "connection reset" })))
      )
      const error = yield* withSpool((directory) => extractArchive(half, directory, limits).pipe(Effect.flip))
      expect(error._tag).toBe("ObjectStoreUnavailable")
    })
  )

  it.effect("refuses links, devices and FIFOs, nested and duplicate names; accepts directories and ./ names", () =>
    Effect.gen(function* () {
      const manifest = file("manifest.json", manifestJson(["a.csv"]))
      const cases: ReadonlyArray<readonly [ReadonlyArray<Item>, PayloadRejected["problem"], RegExp]> = [
        [
          [{ header: { name: "a.csv", type: "character-device", devmajor: 1, devminor: 3 } }, manifest],
          "unsupported_entry_type",
          /character device/
        ],
        [
          [{ header: { name: "a.csv", type: "block-device", devmajor: 8, devminor: 0 } }, manifest],
          "unsupported_entry_type",
          /block device/
        ],
        [[{ header: { name: "a.csv", type: "fifo" } }, manifest], "unsupported_entry_type", /FIFO/],
        [
          [{ header: { name: "a.csv", type: "symlink", linkname: "../../x" } }, manifest],
          "unsupported_entry_type",
          /symbolic link/
        ],
        [[file("sub/a.csv", containerCsv), manifest], "unsafe_entry", /not at the archive root/],
        [[file("a.csv", containerCsv), file("a.csv", containerCsv), manifest], "unsafe_entry", /appears twice/],
        [[file("x/../../a.csv", containerCsv), manifest], "unsafe_entry", /climbs out/],
        [[file("C:\\a.csv", containerCsv), manifest], "unsafe_entry", /absolute path/]
      ]
      for (const [items, problem, detail] of cases) {
        const error = yield* rejection(gzipSync(yield* tarOf(items)))
        expect(error.problem, items[0]?.header.name).toBe(problem)
        expect(error.message).toMatch(detail)
      }
      const fine = yield* unpack(
        gzipSync(
          yield* tarOf([
            { header: { name: "./", type: "directory" } },
            file("./a.csv", containerCsv),
            file("./manifest.json", manifestJson(["a.csv"]))
          ])
        )
      )
      expect(fine.payload.rosFiles.map((f) => f.name)).toEqual(["a.csv"])
    })
  )

  it.effect("enforces the entry count, entry size, manifest size and total size limits", () =>
    Effect.gen(function* () {
      const manifest = file("manifest.json", manifestJson(["a.csv"]))
      const small = { maxEntries: 3, maxEntryBytes: 1024, maxTotalBytes: 64 * 1024, maxManifestBytes: 300 }
      const many = gzipSync(
        yield* tarOf([file("a.csv", containerCsv.slice(0, 10)), file("b", ""), file("c", ""), manifest])
      )
      expect((yield* rejection(many, { limits: small })).problem).toBe("too_many_entries")
      const big = gzipSync(yield* tarOf([file("a.csv", "x".repeat(1025)), manifest]))
      expect((yield* rejection(big, { limits: small })).problem).toBe("entry_too_large")
      const bigManifest = gzipSync(
        yield* tarOf([file("manifest.json", `${manifestJson(["a.csv"])}${" ".repeat(300)}`)])
      )
      expect((yield* rejection(bigManifest, { limits: small })).message).toMatch(
        /"manifest\.json" declares \d+ bytes; the limit is 300/
      )
      const total = gzipSync(yield* tarOf(Array.from({ length: 3 }, (_, i) => file(`f${i}.csv`, "y".repeat(1000)))))
      expect((yield* rejection(total, { limits: { ...small, maxTotalBytes: 2500 } })).problem).toBe("archive_too_large")
      // Zeros after the end of the archive still count: the stream is metered, not only the declared sizes.
      const tail = Buffer.concat([yield* tarOf([file("a.csv", containerCsv), manifest]), Buffer.alloc(1024 * 1024)])
      expect((yield* rejection(gzipSync(tail), { limits: { ...limits, maxTotalBytes: 512 * 1024 } })).problem).toBe(
        "archive_too_large"
      )
    })
  )

  it.effect("checks that listed ROS files are ROS CSVs of either kind, and empty ones are refused", () =>
    Effect.gen(function* () {
      const ok = yield* unpack(
        gzipSync(
          yield* tarOf([
            file("c.csv", `\uFEFF${ContainerColumns37.join(",")}\r\nrow\r\n`),
            file("n.csv", namespaceCsv),
            file("cost.csv", "anything"),
            file("extra.txt", "not listed"),
            file("manifest.json", manifestJson(["c.csv", "n.csv"], ["cost.csv"]))
          ])
        )
      )
      expect(ok.payload.rosFiles.map((f) => [f.name, f.kind])).toEqual([
        ["c.csv", "container"],
        ["n.csv", "namespace"]
      ])
      expect(ok.payload.reportFiles.map((f) => f.name)).toEqual(["cost.csv"])
      expect(ok.payload.unlisted).toEqual(["extra.txt"])
      const empty = yield* rejection(
        gzipSync(yield* tarOf([file("c.csv", ""), file("manifest.json", manifestJson(["c.csv"]))]))
      )
      expect(empty.message).toMatch(/c\.csv: it is empty/)
      const noRos = yield* unpack(gzipSync(yield* tarOf([file("manifest.json", manifestJson(null))])))
      expect(noRos.payload.rosFiles).toEqual([])
    })
  )

  it("rules each entry before its data is read", () => {
    const verdict = checkEntry({ name: "ok.csv", size: 10, type: "file", linkname: "" }, emptyTally, limits)
    expect(Either.isRight(verdict)).toBe(true)
    const unknown = checkEntry(
      { name: "x", size: 0, type: null as unknown as "file", linkname: "" },
      emptyTally,
      limits
    )
    expect(Either.isLeft(unknown) && unknown.left.problem).toBe("unsupported_entry_type")
  })
})
