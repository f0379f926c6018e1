/**
 * bin/ros-ocp.mjs runs dist/ only while it is current: an edit after the build, a missing build or ROS_OCP_TSX=1
 * mean the TypeScript runs through tsx instead, so nobody runs code older than what they see. And the container
 * image builds the server and ships dist/.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterEach, describe, expect, it } from "@effect/vitest"
import { compiledIsCurrent as isCurrent } from "../../../bin/compiled.mjs"

const roots: Array<string> = []

/** A checkout with one source file under src/cli and one under actors, each with the given time (s). */
const checkout = (times: { readonly cli: number; readonly actors: number; readonly built?: number }) => {
  const root = mkdtempSync(join(tmpdir(), "ros-ocp-bin-"))
  roots.push(root)
  const file = (path: string, seconds: number) => {
    mkdirSync(join(root, path, ".."), { recursive: true })
    writeFileSync(join(root, path), "")
    utimesSync(join(root, path), seconds, seconds)
  }
  file("src/cli/main.ts", times.cli)
  file("actors/Experiment.ts", times.actors)
  file("src/api/notes.md", 9_999)
  writeFileSync(join(root, "tsconfig.build.json"), JSON.stringify({ include: ["schema", "actors", "src", "samples"] }))
  if (times.built !== undefined) file("dist/.built", times.built)
  return root
}

afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true })
})

describe("bin/ros-ocp.mjs: compiled or TypeScript", () => {
  it("runs dist/ when its stamp is newer than every TypeScript source", () => {
    expect(isCurrent(checkout({ cli: 1_000, actors: 1_100, built: 2_000 }), {})).toBe(true)
  })

  it("runs the TypeScript when any source, in any folder, changed after the build", () => {
    expect(isCurrent(checkout({ cli: 1_000, actors: 2_500, built: 2_000 }), {})).toBe(false)
    expect(isCurrent(checkout({ cli: 2_500, actors: 1_000, built: 2_000 }), {})).toBe(false)
  })

  it("runs the TypeScript without a build, or when ROS_OCP_TSX=1 asks for it", () => {
    expect(isCurrent(checkout({ cli: 1_000, actors: 1_000 }), {})).toBe(false)
    expect(isCurrent(checkout({ cli: 1_000, actors: 1_000, built: 2_000 }), { ROS_OCP_TSX: "1" })).toBe(false)
  })

  it("the image builds the server and ships dist/ next to the web view", () => {
    const dockerfile = readFileSync("Dockerfile", "utf8")
    expect(dockerfile).toMatch(/RUN npm run build\n/)
    expect(dockerfile).toContain("COPY --from=build --chown=node:node /app/dist ./dist")
    const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>
    expect(scripts["build:server"]).toMatch(/tsc -p tsconfig.build.json && touch dist\/.built$/)
  })
})
