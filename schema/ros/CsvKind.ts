/**
 * The two kinds of resource-optimization CSV (ros-ocp-backend.md §1.4): per-container usage (37 columns) and
 * per-namespace usage (25 columns). Each yields its own kind of Kruize experiment.
 */
import { Schema } from "effect"

export const CsvKind = Schema.Literal("container", "namespace")
export type CsvKind = typeof CsvKind.Type
