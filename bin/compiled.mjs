// Whether dist/ (written by `npm run build:server`, which stamps dist/.built last) holds the current server: the
// stamp is newer than every TypeScript file of the folders tsconfig.build.json compiles, and ROS_OCP_TSX=1 does not
// ask for tsx.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"

/** The newest modification time of the TypeScript files under `dir`, 0 when it has none. */
const newestSource = (dir) => {
  let newest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path))
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** @param {string} root the checkout @param {Record<string, string | undefined>} env */
export const compiledIsCurrent = (root, env) => {
  const stamp = join(root, "dist", ".built")
  if (env.ROS_OCP_TSX === "1" || !existsSync(stamp)) return false
  const built = statSync(stamp).mtimeMs
  const folders = JSON.parse(readFileSync(join(root, "tsconfig.build.json"), "utf8")).include
  return folders.every((dir) => !existsSync(join(root, dir)) || newestSource(join(root, dir)) <= built)
}
