import { execFile } from "node:child_process"
import { promisify, stripVTControlCharacters } from "node:util"
import { describe, expect, it } from "@effect/vitest"

const run = (args: ReadonlyArray<string>) =>
  promisify(execFile)(process.execPath, ["bin/ros-ocp.mjs", ...args], { env: { ...process.env, NO_COLOR: "1" } }).then(
    (r) => ({ code: 0, out: r.stdout + r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr })
  )

const plain = (s: string) => stripVTControlCharacters(s)

describe("ros-ocp CLI", () => {
  it("lists every subcommand and role in --help", async () => {
    const { code, out } = await run(["--help"])
    expect(code).toBe(0)
    for (const command of ["start", "migrate", "demo", "upload"]) expect(plain(out)).toContain(`- ${command}`)
    for (const role of [
      "all",
      "ingress",
      "koku",
      "sources",
      "processor",
      "poller",
      "housekeeper",
      "runner",
      "api",
      "recommender"
    ]) {
      expect(plain(out)).toContain(role)
    }
  })

  it("rejects an unknown role with a non-zero exit", async () => {
    const { code, out } = await run(["start", "nonsense"])
    expect(code).not.toBe(0)
    expect(plain(out)).toMatch(/nonsense|Expected one of/)
  })
})
