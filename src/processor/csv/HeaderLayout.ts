/**
 * Reading a usage CSV's header: which kind of file it is and where each required column sits.
 *
 * Upstream decides the kind from the file URL alone (`DetermineCSVType`: the URL contains "namespace") and then
 * demands that kind's columns. Here the URL only breaks ties: a header holding every column of exactly one kind
 * is that kind, whatever the URL says, since the header is the file's own statement of what it is. The URL (or
 * nothing, meaning "container", upstream's default) decides when the header holds both full sets, and when it
 * holds neither it decides which kind's missing columns to report; without a hint, the kind missing fewer.
 *
 * Column order is free and extra columns are ignored (PR #465). A name appearing twice resolves to its first
 * occurrence.
 */
import { Either } from "effect"
import type { CsvKind } from "../../../schema/ros/CsvKind.js"
import {
  type ContainerColumn,
  containerColumns,
  type NamespaceColumn,
  namespaceColumns
} from "../../../schema/ros/UsageCsvColumns.js"
import { MissingColumns } from "../../../schema/ros/UsageCsvError.js"

export type ColumnIndex<C extends string> = { readonly [K in C]: number }

export type HeaderLayout =
  | { readonly kind: "container"; readonly index: ColumnIndex<ContainerColumn> }
  | { readonly kind: "namespace"; readonly index: ColumnIndex<NamespaceColumn> }

/** Upstream's routing rule (`utils.DetermineCSVType`), for the `kind` hint of {@link resolveHeader}. */
export const csvKindFromUrl = (url: string): CsvKind => (url.includes("namespace") ? "namespace" : "container")

const positions = (header: ReadonlyArray<string>): ReadonlyMap<string, number> => {
  const byName = new Map<string, number>()
  header.forEach((name, i) => {
    if (!byName.has(name)) byName.set(name, i)
  })
  return byName
}

const indexOf = <C extends string>(
  required: ReadonlyArray<C>,
  byName: ReadonlyMap<string, number>
): Either.Either<ColumnIndex<C>, ReadonlyArray<C>> => {
  const index: Partial<Record<C, number>> = {}
  const missing: Array<C> = []
  for (const column of required) {
    const at = byName.get(column)
    if (at === undefined) missing.push(column)
    else index[column] = at
  }
  return missing.length === 0 ? Either.right(index as ColumnIndex<C>) : Either.left(missing)
}

/** The layout of a header, or the required columns it lacks (for the kind chosen as described above). */
export const resolveHeader = (
  header: ReadonlyArray<string>,
  hint?: CsvKind
): Either.Either<HeaderLayout, MissingColumns> => {
  const byName = positions(header)
  const container = indexOf(containerColumns, byName)
  const namespace = indexOf(namespaceColumns, byName)
  const asContainer = (index: ColumnIndex<ContainerColumn>): HeaderLayout => ({ kind: "container", index })
  const asNamespace = (index: ColumnIndex<NamespaceColumn>): HeaderLayout => ({ kind: "namespace", index })
  if (Either.isRight(container) && Either.isRight(namespace)) {
    return Either.right(hint === "namespace" ? asNamespace(namespace.right) : asContainer(container.right))
  }
  if (Either.isRight(container)) return Either.right(asContainer(container.right))
  if (Either.isRight(namespace)) return Either.right(asNamespace(namespace.right))
  const kind = hint ?? (namespace.left.length < container.left.length ? "namespace" : "container")
  return Either.left(new MissingColumns({ kind, missing: kind === "namespace" ? namespace.left : container.left }))
}
