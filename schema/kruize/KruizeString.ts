/**
 * Strings in request bodies, bounded so an oversized field is a 400 with a clear message rather than a row the
 * database refuses later. The bounds are far above anything a client sends (Kubernetes names ≤ 253 characters,
 * ROS experiment names ≤ ~600, PromQL queries of the shipped profiles < 1 KB).
 */
import { Schema } from "effect"

const bounded = (max: number, identifier: string) =>
  Schema.String.pipe(
    Schema.filter((s) => s.length <= max || `longer than ${max} characters`),
    Schema.annotations({ identifier })
  )

/** Names, versions, identifiers, units. */
export const KruizeString = bounded(4096, "KruizeString")

/** Free text such as profile queries and objective-function expressions. */
export const KruizeText = bounded(65_536, "KruizeText")
