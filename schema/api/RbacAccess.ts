/**
 * The RBAC service's answer to `GET /api/rbac/v1/access/?application=cost-management` (ros-ocp-backend.md §5.3):
 * one page of permissions (`app:resourceType:verb`) with the resource definitions that narrow them, and the link to
 * the next page. Other members are ignored.
 */
import { Schema } from "effect"

export const AttributeFilter = Schema.Struct({
  key: Schema.optional(Schema.String),
  operation: Schema.optional(Schema.String),
  /** One value, or a list (operation `in`). */
  value: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Array(Schema.String))))
})
export type AttributeFilter = typeof AttributeFilter.Type

export const ResourceDefinition = Schema.Struct({
  attributeFilter: Schema.optional(Schema.NullOr(AttributeFilter))
})

export const RbacPermission = Schema.Struct({
  permission: Schema.String,
  resourceDefinitions: Schema.optional(Schema.NullOr(Schema.Array(ResourceDefinition)))
})
export type RbacPermission = typeof RbacPermission.Type

export const RbacAccessPage = Schema.Struct({
  data: Schema.Array(RbacPermission),
  links: Schema.optional(Schema.NullOr(Schema.Struct({ next: Schema.optional(Schema.NullOr(Schema.String)) })))
})
export type RbacAccessPage = typeof RbacAccessPage.Type
