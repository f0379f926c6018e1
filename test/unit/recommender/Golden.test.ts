import { readFileSync } from "node:fs"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { ListRecommendationsResponse } from "../../../schema/kruize/Recommendation.js"
import { encodeListRecommendations } from "../../../schema/kruize/RecommendationJson.js"
import { containerExperimentEntry } from "../../../src/recommender/algorithm/ListRecommendationsEntry.js"
import { recommend } from "../../../src/recommender/algorithm/Recommend.js"
import { appIntervals, CLUSTER_NAME, EXPERIMENT_NAME, INTERVAL_END_TIME_MS, istioIntervals } from "./Section4Fixture.js"

// kruize.md §4 verbatim; JSON.parse turns Gson's 5.36870912E8 / 2.0 into the same binary64 values we print plainly.
const specText = readFileSync(new URL("./fixtures/spec-section4-response.json", import.meta.url), "utf8")

const section4Response = () => {
  const app = recommend({
    experimentType: "container",
    intervalEndTimeMs: INTERVAL_END_TIME_MS,
    intervals: appIntervals,
    threshold: 0.1
  })
  const istio = recommend({
    experimentType: "container",
    intervalEndTimeMs: INTERVAL_END_TIME_MS,
    intervals: istioIntervals,
    threshold: 0.1
  })
  return [
    containerExperimentEntry({
      experimentName: EXPERIMENT_NAME,
      clusterName: CLUSTER_NAME,
      kubernetesObjects: [
        {
          type: "deployment",
          name: "frontend",
          namespace: "shop",
          containers: [
            {
              containerImageName: "quay.io/acme/frontend:1.4",
              containerName: "app",
              recommendations: app.recommendations
            },
            {
              containerImageName: "docker.io/istio/proxyv2:1.22",
              containerName: "istio-proxy",
              recommendations: istio.recommendations
            }
          ]
        }
      ]
    })
  ]
}

describe("kruize.md §4 golden vector", () => {
  it("serialises to exactly the spec's JSON, numbers and key order included", () => {
    const expected = JSON.stringify(JSON.parse(specText), null, 2)
    expect(encodeListRecommendations(section4Response(), 2)).toBe(expected)
  })

  it("compact output is the same document", () => {
    expect(encodeListRecommendations(section4Response())).toBe(JSON.stringify(JSON.parse(specText)))
  })

  it("is deep-equal to the decoded spec body", () => {
    const decoded = Schema.decodeUnknownSync(ListRecommendationsResponse)(JSON.parse(specText))
    expect(section4Response()).toEqual(decoded)
  })

  it("reports E, availability and the derivation figures of §4", () => {
    const app = recommend({
      experimentType: "container",
      intervalEndTimeMs: INTERVAL_END_TIME_MS,
      intervals: appIntervals
    })
    expect(app.available).toBe(true)
    expect(app.monitoringEndTimeMs).toBe(INTERVAL_END_TIME_MS)
    const short = app.recommendations.data["2026-06-01T11:45:00.000Z"]?.recommendation_terms.short_term
    expect(short?.recommendation_engines?.cost?.config.requests?.cpu?.amount).toBe(1.27)
    expect(short?.recommendation_engines?.performance?.config.requests?.cpu?.amount).toBe(1.6300000000000001)
    expect(short?.recommendation_engines?.cost?.config.requests?.memory?.amount).toBe(5.208e8)
    const istio = recommend({
      experimentType: "container",
      intervalEndTimeMs: INTERVAL_END_TIME_MS,
      intervals: istioIntervals
    })
    expect(istio.available).toBe(false)
    expect(istio.monitoringEndTimeMs).toBe(INTERVAL_END_TIME_MS)
  })

  it("does not depend on the order of the intervals", () => {
    const forward = recommend({
      experimentType: "container",
      intervalEndTimeMs: INTERVAL_END_TIME_MS,
      intervals: appIntervals
    })
    const backward = recommend({
      experimentType: "container",
      intervalEndTimeMs: INTERVAL_END_TIME_MS,
      intervals: [...appIntervals].reverse()
    })
    expect(backward).toEqual(forward)
  })
})
