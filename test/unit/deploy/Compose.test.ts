/**
 * compose.yaml cannot run on this machine (no container engine), so its consistency with the code is checked
 * here: a service for every role `ros-ocp start` knows, two runner replicas with a capped heap, host ports on 127.0.0.1 only and
 * equal to the local setup's, and only settings the code actually reads.
 */
import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { parse } from "yaml"
import { roles } from "../../../src/cli/roles.js"

interface Service {
  readonly command?: ReadonlyArray<string>
  readonly environment?: Readonly<Record<string, string | number>>
  readonly ports?: ReadonlyArray<string>
  readonly deploy?: { readonly replicas?: number }
  readonly depends_on?: Readonly<Record<string, { readonly condition: string }>>
}

const compose = parse(readFileSync("compose.yaml", "utf8"), { merge: true }) as {
  readonly services: Readonly<Record<string, Service>>
}
const services = compose.services
const settingsSource = readFileSync("src/services/Settings.ts", "utf8")

const roleOf = (service: Service) => service.command?.join(" ").match(/start (\w+)/)?.[1]

describe("compose.yaml", () => {
  it("runs every role of `ros-ocp start` as its own service", () => {
    const started = new Set(Object.values(services).map(roleOf))
    for (const role of roles.filter((r) => r.name !== "all")) expect(started).toContain(role.name)
  })

  it("runs two runner replicas that announce a reachable address", () => {
    const runner = Object.values(services).find((s) => roleOf(s) === "runner")
    expect(runner?.deploy?.replicas).toBe(2)
    // `$$` is compose's escape: the container's shell sees $HOSTNAME, its own name on the network.
    expect(runner?.command?.join(" ")).toContain('RUNNER_HOST="$$HOSTNAME"')
  })

  it("caps a runner's heap, 1024 MB unless RUNNER_MAX_HEAP_MB says otherwise, with 32 MB semi-spaces", () => {
    const runner = Object.values(services).find((s) => roleOf(s) === "runner")
    // `${…:-…}` is interpolated by compose on the host, before the container's shell runs.
    expect(runner?.command?.join(" ")).toMatch(
      /exec node --max-semi-space-size=32 --max-old-space-size=\$\{RUNNER_MAX_HEAP_MB:-1024\} bin\//
    )
  })

  it("publishes ports on 127.0.0.1 only, the same as the local setup", () => {
    const published = Object.values(services).flatMap((s) => s.ports ?? [])
    for (const port of published) expect(port).toMatch(/^127\.0\.0\.1:/)
    expect(published.map((p) => p.split(":")[1]).sort()).toEqual(
      ["3000", "5432", "8001", "8002", "8080", "9000", "29092"].sort()
    )
  })

  it("starts the roles only after the migrations and the provisioning have completed", () => {
    const api = services.api
    expect(api?.depends_on?.migrate?.condition).toBe("service_completed_successfully")
    expect(api?.depends_on?.provision?.condition).toBe("service_completed_successfully")
  })

  it("sets only variables the code reads", () => {
    const app = Object.values(services).filter((s) => roleOf(s) !== undefined)
    const names = new Set(app.flatMap((s) => Object.keys(s.environment ?? {})))
    const readElsewhere = new Set(["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"])
    for (const name of names) {
      if (readElsewhere.has(name)) continue
      expect(settingsSource, `${name} is not a setting`).toContain(`"${name}"`)
    }
  })
})
