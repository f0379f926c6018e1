/**
 * `ros-ocp demo` (`npm run demo`): the whole flow on a fresh machine in one command. If the stack is not
 * running it is brought up in this process; then the sample cluster is registered in the Sources API, nine
 * recent days of its usage are uploaded through ingress, the upload is followed stage by stage, and the
 * resulting recommendations are printed. A stack the demo started keeps serving until Ctrl-C.
 */
import { FetchHttpClient } from "@effect/platform"
import { Console, Effect } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { uploadTarball } from "../../ingress/UploadClient.js"
import { HttpClientLive } from "../../services/Http.js"
import { UploadClientSettings } from "../../services/Settings.js"
import { writeDemoSample } from "./DemoSample.js"
import { ensureDemoSource } from "./DemoSource.js"
import { answering, stackUrls, startStack } from "./DemoStack.js"
import { fetchRecommendations, formatTable, tableRows } from "./RecommendationTable.js"
import { followUpload } from "./StageProgress.js"

const demo = Effect.gen(function* () {
  const urls = yield* stackUrls
  const { orgId } = yield* UploadClientSettings
  const identity = makeIdentityHeader({ orgId })
  const running = yield* answering(urls)
  const startedHere = running === 0
  if (startedHere) {
    yield* Console.log("ros-ocp demo: starting the local infrastructure and every role in this process…")
    yield* startStack(urls)
  } else if (running < 4) {
    return yield* Effect.fail(
      new Error(`only ${running} of the 4 HTTP roles answer; stop the partial stack or start it all with npm start`)
    )
  } else {
    yield* Console.log("ros-ocp demo: using the stack that is already running")
  }

  const sample = yield* writeDemoSample(orgId)
  yield* Console.log(`sample: 11 workloads, ${sample.startDate} and the 8 days after it, cluster ${sample.clusterId}`)
  const sourceId = yield* ensureDemoSource(urls.sources, identity, sample.clusterId)
  yield* Console.log(`source ${sourceId} registered for the cluster (org ${orgId})`)
  // On fetch, as `ros-ocp upload` does: it streams the multipart file body from disk.
  const receipt = yield* uploadTarball(sample.path).pipe(Effect.provide(FetchHttpClient.layer))
  yield* Console.log(`uploaded through ingress: request ${receipt.requestId}`)
  const track = yield* followUpload(receipt.trackUrl, identity)
  if (track.status === "failed") {
    yield* Console.log(`\nthe upload failed at ${track.error?.stage ?? "?"}: ${track.error?.message ?? ""}`)
  }

  const list = yield* fetchRecommendations(urls.api, identity)
  yield* Console.log(`\n${list.meta.count} container recommendation(s) (CPU in millicores, memory in MiB):\n`)
  yield* Console.log(formatTable(tableRows(list)))
  yield* Console.log(
    [
      "",
      `Explore: ${urls.api}/ (web view), ${urls.api}/api/cost-management/v1/recommendations/openshift`,
      `  curl -H "x-rh-identity: ${identity}" "${urls.api}/api/cost-management/v1/recommendations/openshift/container"`,
      `  curl -H "x-rh-identity: ${identity}" ${receipt.trackUrl}`
    ].join("\n")
  )
  if (startedHere) {
    yield* Console.log("\nserving until Ctrl-C")
    return yield* Effect.never
  }
})

export const demoCommand = demo.pipe(Effect.scoped, Effect.provide(HttpClientLive))
