#!/usr/bin/env node
// Runs the JavaScript that `npm run build` compiled into dist/ when it is newer than every TypeScript source;
// otherwise the TypeScript itself through tsx, so a fresh `npm ci` (or an edit since the build) needs no build
// step. The compiled form is what the scripts and the container image run: tsx's loader thread, transforms and
// source maps cost each process about 120 MiB of memory. ROS_OCP_TSX=1 forces tsx.
import { fileURLToPath } from "node:url"
import { compiledIsCurrent } from "./compiled.mjs"

// The AWS SDK warns on every start that its 2027 releases need Node 22; ros-ocp targets Node 20 on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"

if (compiledIsCurrent(fileURLToPath(new URL("..", import.meta.url)), process.env)) {
  await import("../dist/src/cli/main.js")
} else {
  const { register } = await import("tsx/esm/api")
  register()
  await import("../src/cli/main.ts")
}
