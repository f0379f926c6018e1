/**
 * The web view's bundle (web/dist), built with Vite when it is missing or older than its sources, so a test never
 * drives a stale page.
 */
import { readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { Effect } from "effect"

export const WEB_ROOT = "web"
export const WEB_DIST = join(WEB_ROOT, "dist")

const newest = (path: string): number => {
  const info = statSync(path, { throwIfNoEntry: false })
  if (info === undefined) return 0
  if (!info.isDirectory()) return info.mtimeMs
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const sourcesChangedSinceBuild = () => {
  const built = statSync(join(WEB_DIST, "index.html"), { throwIfNoEntry: false })?.mtimeMs ?? 0
  const sources = Math.max(
    ...[join(WEB_ROOT, "src"), join(WEB_ROOT, "index.html"), join(WEB_ROOT, "vite.config.ts"), "package-lock.json"].map(
      (path) => newest(path)
    )
  )
  return sources > built
}

/** Builds web/dist if needed; answers whether it built. */
export const ensureWebBuilt = Effect.suspend(() =>
  sourcesChangedSinceBuild()
    ? Effect.promise(async () => {
        const { build } = await import("vite")
        await build({ configFile: join(WEB_ROOT, "vite.config.ts"), logLevel: "warn" })
        return true
      })
    : Effect.succeed(false)
)
