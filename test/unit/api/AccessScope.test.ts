/**
 * RBAC permissions to a caller's scope (§5.3), with design.md §7's fix: `openshift.node` alone grants nothing.
 */
import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import type { RbacPermission } from "../../../schema/api/RbacAccess.js"
import { accessScopeOf, aggregatePermissions, fullAccess } from "../../../src/api/AccessScope.js"

const permission = (name: string, ...values: Array<string | ReadonlyArray<string>>): RbacPermission => ({
  permission: name,
  resourceDefinitions: values.map((value) => ({ attributeFilter: { key: "x", operation: "in", value } }))
})

describe("accessScopeOf", () => {
  it("a wildcard resource type, or an openshift type without definitions, grants everything of it", () => {
    expect(accessScopeOf([permission("cost-management:*:*")])).toEqual(Option.some(fullAccess))
    expect(accessScopeOf([permission("cost-management:openshift.cluster:*")])).toEqual(
      Option.some({ clusters: "*", projects: "*" })
    )
  })

  it("collects attribute filter values, strings and lists, over several permissions", () => {
    const scope = accessScopeOf([
      permission("cost-management:openshift.cluster:read", "uuid-1"),
      permission("cost-management:openshift.cluster:read", ["uuid-2", "uuid-1"]),
      permission("cost-management:openshift.project:read", "shop")
    ])
    expect(scope).toEqual(Option.some({ clusters: ["uuid-1", "uuid-2"], projects: ["shop"] }))
  })

  it("one kind given restricts only that kind; a '*' value lifts the restriction", () => {
    expect(accessScopeOf([permission("cost-management:openshift.project:read", "shop")])).toEqual(
      Option.some({ clusters: "*", projects: ["shop"] })
    )
    expect(
      accessScopeOf([
        permission("cost-management:openshift.project:read", "shop", "*"),
        permission("cost-management:openshift.cluster:read", "uuid-1")
      ])
    ).toEqual(Option.some({ clusters: ["uuid-1"], projects: "*" }))
  })

  it("no OpenShift permission, or openshift.node alone, grants nothing (a 403)", () => {
    expect(accessScopeOf([])).toEqual(Option.none())
    expect(accessScopeOf([permission("cost-management:aws.account:*")])).toEqual(Option.none())
    expect(accessScopeOf([permission("cost-management:openshift.node:*")])).toEqual(Option.none())
    expect(accessScopeOf([permission("cost-management:openshift.node:read", "node-1")])).toEqual(Option.none())
    // Upstream would collect it all the same (and then ignore it):
    expect(aggregatePermissions([permission("cost-management:openshift.node:*")]).get("openshift.node")).toEqual(["*"])
  })
})
