/**
 * A stand-in for the RBAC service on a loopback port: answers `GET /api/rbac/v1/access/` with the permissions of
 * the caller's username (read from the x-rh-identity it receives), paged when asked, broken when asked.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import { Effect, Either } from "effect"
import type { RbacPermission } from "../../../schema/api/RbacAccess.js"
import { decodeIdentityHeader } from "../../../schema/identity/Identity.js"
import { unusedPort } from "../../support/ports.js"

export interface FakeRbac {
  readonly port: number
  /** Paths and queries the API asked for, in order. */
  readonly requests: Array<string>
}

const permission = (name: string, values?: ReadonlyArray<string>): RbacPermission => ({
  permission: name,
  resourceDefinitions:
    values === undefined ? [] : [{ attributeFilter: { key: name.split(":")[1] ?? "", operation: "in", value: values } }]
})

/** Pages of permissions per username. */
export const rbacUsers = (
  uuidA1: string,
  uuidA2: string
): Record<string, ReadonlyArray<ReadonlyArray<RbacPermission>>> => ({
  admin: [[permission("cost-management:*:*")]],
  "cluster-a1": [[permission("cost-management:openshift.cluster:read", [uuidA1])]],
  "project-ops": [[permission("cost-management:openshift.project:read", ["ops"])]],
  both: [
    [
      permission("cost-management:openshift.cluster:read", [uuidA2]),
      permission("cost-management:openshift.project:read", ["shop"])
    ]
  ],
  "node-only": [[permission("cost-management:openshift.node:*")]],
  "aws-only": [[permission("cost-management:aws.account:read")]],
  paged: [
    [permission("cost-management:openshift.cluster:read", [uuidA1])],
    [permission("cost-management:openshift.project:read", ["shop"])]
  ]
})

const answer = (response: ServerResponse, status: number, body: string) => {
  response.writeHead(status, { "content-type": "application/json" })
  response.end(body)
}

export const fakeRbac = (users: Record<string, ReadonlyArray<ReadonlyArray<RbacPermission>>>) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const port = yield* unusedPort
      const requests: Array<string> = []
      const server = createServer((request: IncomingMessage, response: ServerResponse) => {
        const url = new URL(request.url ?? "/", "http://rbac")
        requests.push(`${url.pathname}${url.search}`)
        const identity = decodeIdentityHeader(request.headers["x-rh-identity"] as string | undefined)
        const user = Either.isRight(identity) ? (identity.right.username ?? "") : ""
        if (url.pathname !== "/api/rbac/v1/access/" || url.searchParams.get("application") !== "cost-management") {
          return answer(response, 404, "{}")
        }
        if (user === "broken") return answer(response, 500, '{"errors":[]}')
        if (user === "garbage") return answer(response, 200, "<html>not json</html>")
        const pages = users[user] ?? [[]]
        const page = Number(url.searchParams.get("page") ?? "0")
        const next =
          page + 1 < pages.length ? `/api/rbac/v1/access/?application=cost-management&limit=100&page=${page + 1}` : null
        answer(
          response,
          200,
          JSON.stringify({ meta: { count: pages.flat().length }, links: { next }, data: pages[page] ?? [] })
        )
      })
      yield* Effect.async<void>((resume) => {
        server.listen(port, "127.0.0.1", () => resume(Effect.void))
      })
      return { port, requests, server }
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ port, requests }): FakeRbac => ({ port, requests })))
