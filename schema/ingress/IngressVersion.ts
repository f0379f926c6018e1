/**
 * GET /api/ingress/v1/version (ingress-koku-sources.md A.1): `commit` is OPENSHIFT_BUILD_COMMIT. Upstream's
 * `version` is always "" (its config reads an environment variable literally named "1.0.8"); we answer the same,
 * so a client comparing the two sees no difference.
 */
import { Schema } from "effect"

export const IngressVersion = Schema.Struct({
  version: Schema.String,
  commit: Schema.String
}).annotations({ identifier: "IngressVersion" })
export type IngressVersion = typeof IngressVersion.Type
