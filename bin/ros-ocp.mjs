#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh `npm ci` needs no build step.
import { register } from "tsx/esm/api"

// The AWS SDK warns on every start that its 2027 releases need Node 22; ros-ocp targets Node 20 on purpose.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true"

register()
await import("../src/cli/main.ts")
