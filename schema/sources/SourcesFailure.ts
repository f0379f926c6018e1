/**
 * What the Sources API answers a caller it cannot serve, as typed errors the routes turn into sources-api-go
 * error documents: 400 for a request that fails validation (naming the field), 404 for a resource the
 * tenant does not have (upstream's "<resource> not found" text, which koku matches on).
 */
import { Schema } from "effect"

export const ResourceKind = Schema.Literal("source", "application", "source type", "application type")
export type ResourceKind = typeof ResourceKind.Type

export class ResourceNotFound extends Schema.TaggedError<ResourceNotFound>()("ResourceNotFound", {
  resource: ResourceKind
}) {
  override get message(): string {
    return `${this.resource} not found`
  }
}

export class ValidationFailed extends Schema.TaggedError<ValidationFailed>()("ValidationFailed", {
  /** The body field or parameter at fault. */
  field: Schema.String,
  reason: Schema.String
}) {
  override get message(): string {
    return `Validation failed: ${this.reason}`
  }
}
