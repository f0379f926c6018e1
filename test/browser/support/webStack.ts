/**
 * THE DATA SOURCE of the browser tests, in one function: what serves the page and the APIs it reads, and which
 * orgs and uploads the tests look at. Tests only use what `startWebStack` answers and ask the public API for the
 * rest.
 *
 * Everything is produced by the pipeline, nothing is seeded: every role runs (`start all`, stackHarness.ts) on
 * scratch databases; the sample cluster is registered in the Sources API for two orgs and samples/cost-mgmt.tar.gz
 * is uploaded through ingress as each of them, so ingress → koku → processor → engine → poller write the rows the
 * API serves; a hostile archive without manifest.json is uploaded too, and the real koku stage refuses it.
 */

import { readFile } from "node:fs/promises"
import { resolve } from "node:path"
import { Effect, Schedule, Schema } from "effect"
import { sampleOptions } from "../../../samples/SampleData.js"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { UploadAccepted } from "../../../schema/ingress/UploadAccepted.js"
import { HCCM_TYPE, SAMPLE_TARBALL, upload } from "../../support/ingressHarness.js"
import { createCostSource } from "../../support/kokuHarness.js"
import { getJson, startStack } from "../../support/stackHarness.js"
import { trackGateway } from "./trackGateway.js"
import { WEB_DIST } from "./webBuild.js"

export interface WebStack {
  /** Where the page is served (and the APIs it reads, same origin). */
  readonly url: string
  /** The org whose data the tests look at; it has more rows than one page. */
  readonly mainOrg: string
  /** Another org with rows of its own, none of which the main org may see. */
  readonly otherOrg: string
  /** An upload of the main org that the Uploads view lists, finished. */
  readonly uploadRequestId: string
  /** An upload of the main org that failed, and the words of its error. */
  readonly failedUpload: { readonly requestId: string; readonly error: string }
}

const MAIN_ORG = "3340851"
const OTHER_ORG = "7700123"

const uploadAs = (url: string, orgId: string, path: string) =>
  Effect.gen(function* () {
    const bytes = yield* Effect.promise(() => readFile(path))
    const answer = yield* upload(url, {
      identity: makeIdentityHeader({ orgId }),
      file: { bytes: new Uint8Array(bytes), type: HCCM_TYPE, filename: path.split("/").pop() ?? "upload.tar.gz" }
    })
    if (answer.status !== 202) return yield* Effect.dieMessage(`upload of ${path}: ${answer.status} ${answer.text}`)
    return (yield* Schema.decodeUnknown(UploadAccepted)(answer.body).pipe(Effect.orDie)).request_id
  })

interface Track {
  readonly status: string
  readonly error: { readonly message: string } | null
}

/** The upload's track once it has finished (done or failed), 150 s at most. */
const finished = (ingressUrl: string, orgId: string, requestId: string) =>
  getJson(`${ingressUrl}/api/ingress/v1/track/${requestId}`, makeIdentityHeader({ orgId })).pipe(
    Effect.map((r) => r.body as Track),
    Effect.filterOrFail((t) => t.status === "done" || t.status === "failed"),
    Effect.retry(Schedule.spaced("500 millis").pipe(Schedule.upTo("150 seconds"))),
    Effect.orDie
  )

export const startWebStack = Effect.gen(function* () {
  const stack = yield* startStack({ API_WEB_DIST_DIR: resolve(WEB_DIST), LOG_LEVEL: "WARN" })
  const clusterId = sampleOptions().clusterId
  for (const orgId of [MAIN_ORG, OTHER_ORG]) {
    yield* createCostSource(stack.sourcesUrl, makeIdentityHeader({ orgId }), clusterId, `web test cluster ${orgId}`)
  }
  const uploadRequestId = yield* uploadAs(stack.ingressUrl, MAIN_ORG, SAMPLE_TARBALL)
  const otherRequestId = yield* uploadAs(stack.ingressUrl, OTHER_ORG, SAMPLE_TARBALL)
  const failedRequestId = yield* uploadAs(stack.ingressUrl, MAIN_ORG, "samples/hostile/missing-manifest.tar.gz")

  const main = yield* finished(stack.ingressUrl, MAIN_ORG, uploadRequestId)
  const other = yield* finished(stack.ingressUrl, OTHER_ORG, otherRequestId)
  const failed = yield* finished(stack.ingressUrl, MAIN_ORG, failedRequestId)
  if (main.status !== "done" || other.status !== "done") {
    return yield* Effect.dieMessage(`the sample uploads did not finish: ${main.status}, ${other.status}`)
  }
  if (failed.status !== "failed" || failed.error === null) {
    return yield* Effect.dieMessage(`the hostile upload did not fail: ${failed.status}`)
  }
  const url = yield* trackGateway({ apiUrl: stack.apiUrl, ingressUrl: stack.ingressUrl })
  return {
    url,
    mainOrg: MAIN_ORG,
    otherOrg: OTHER_ORG,
    uploadRequestId,
    failedUpload: { requestId: failedRequestId, error: failed.error.message }
  } satisfies WebStack
})
