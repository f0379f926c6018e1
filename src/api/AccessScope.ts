/**
 * What a caller may see within its org, from its RBAC permissions for cost-management (ros-ocp-backend.md §5.3,
 * upstream's `aggregate_permissions` and `AddRBACFilter`): permission `app:resourceType:verb`; a resource type `*`
 * grants everything; an `openshift.*` type without resource definitions grants all of that type, otherwise the
 * values of its attribute filters. Clusters are matched by UUID, projects by namespace.
 *
 * Where we differ from upstream on purpose (design.md §7): `openshift.node` alone grants nothing. Upstream collects
 * node permissions, never applies them, and so gives such a caller every cluster and project of the org; ROS rows
 * carry no node, so node permissions are ignored and a caller with nothing else is refused like one with no access.
 */
import { Option } from "effect"
import type { RbacPermission } from "../../schema/api/RbacAccess.js"

/** "*" = no restriction of that kind; a list = only these values. */
export type Grant = "*" | ReadonlyArray<string>

export interface AccessScope {
  readonly clusters: Grant
  readonly projects: Grant
}

export const fullAccess: AccessScope = { clusters: "*", projects: "*" }

/** Resource type → granted values ("*" for all), as upstream aggregates them. */
export const aggregatePermissions = (
  permissions: ReadonlyArray<RbacPermission>
): ReadonlyMap<string, Array<string>> => {
  const granted = new Map<string, Array<string>>()
  for (const { permission, resourceDefinitions } of permissions) {
    const resourceType = permission.split(":")[1] ?? ""
    if (resourceType === "*") {
      granted.set("*", [])
      continue
    }
    if (!resourceType.includes("openshift")) continue
    const values = granted.get(resourceType) ?? []
    granted.set(resourceType, values)
    if (resourceDefinitions === undefined || resourceDefinitions === null || resourceDefinitions.length === 0) {
      values.push("*")
      continue
    }
    for (const definition of resourceDefinitions) {
      const value = definition.attributeFilter?.value
      if (value === undefined || value === null) continue
      if (typeof value === "string") values.push(value)
      else values.push(...value)
    }
  }
  return granted
}

const grantOf = (values: ReadonlyArray<string> | undefined): Grant =>
  values === undefined || values.includes("*") ? "*" : [...new Set(values)]

/** The caller's scope, or none when RBAC grants it no OpenShift access (a 403). */
export const accessScopeOf = (permissions: ReadonlyArray<RbacPermission>): Option.Option<AccessScope> => {
  const granted = aggregatePermissions(permissions)
  if (granted.has("*")) return Option.some(fullAccess)
  const clusters = granted.get("openshift.cluster")
  const projects = granted.get("openshift.project")
  if (clusters === undefined && projects === undefined) return Option.none()
  return Option.some({ clusters: grantOf(clusters), projects: grantOf(projects) })
}
