/**
 * Where the headless browser is: infra/browser finds Debian's Chromium or installs it (apt-get, as root). When this
 * machine cannot have one (not root, no apt-get), the answer says why, and the browser suite is skipped with that
 * reason printed; an install that fails is an error, never a skip.
 */
import { spawnSync } from "node:child_process"

export type BrowserExecutable =
  | { readonly _tag: "Found"; readonly path: string }
  | { readonly _tag: "Unavailable"; readonly reason: string }

/** infra/browser's exit code for "none here, and none can be installed". */
const CANNOT_INSTALL = 3

export const findBrowserExecutable = (): BrowserExecutable => {
  const run = spawnSync("infra/browser", ["--path"], { encoding: "utf8", timeout: 900_000 })
  const stderr = run.stderr.trim()
  if (run.status === 0) {
    const path = run.stdout.trim().split("\n").pop() ?? ""
    if (path !== "") return { _tag: "Found", path }
  }
  if (run.status === CANNOT_INSTALL) return { _tag: "Unavailable", reason: stderr }
  throw new Error(`infra/browser failed (exit ${run.status ?? run.signal}): ${stderr}`)
}
