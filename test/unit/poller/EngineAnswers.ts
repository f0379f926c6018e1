/**
 * Answers of `POST /updateRecommendations` as our engine writes them on the wire: the pure algorithm of
 * src/recommender/algorithm on fixed intervals, serialised by the same encoder as the HTTP route.
 * The container answer is kruize.md §4 (experiment …|shop|deployment|frontend, containers `app` and `istio-proxy`).
 */
import type { ListRecommendationsResponse } from "../../../schema/kruize/Recommendation.js"
import { encodeListRecommendations } from "../../../schema/kruize/RecommendationJson.js"
import type { IntervalResult } from "../../../src/recommender/algorithm/IntervalResult.js"
import {
  containerExperimentEntry,
  namespaceExperimentEntry
} from "../../../src/recommender/algorithm/ListRecommendationsEntry.js"
import { recommend } from "../../../src/recommender/algorithm/Recommend.js"
import {
  appIntervals,
  CLUSTER_NAME,
  EXPERIMENT_NAME,
  INTERVAL_END_TIME_MS,
  istioIntervals
} from "../recommender/Section4Fixture.js"

/** Max_endtime_report of both answers: 2026-06-01T11:45:00.000Z */
export const MAX_END = new Date(INTERVAL_END_TIME_MS)

const onWire = (value: ListRecommendationsResponse): unknown => JSON.parse(encodeListRecommendations(value))

const containerRecommendations = (intervals: ReadonlyArray<IntervalResult>) =>
  recommend({ experimentType: "container", intervalEndTimeMs: INTERVAL_END_TIME_MS, intervals, threshold: 0.1 })
    .recommendations

/** kruize.md §4: `app` has a short-term recommendation, `istio-proxy` not enough data. */
export const containerAnswer = (): unknown =>
  onWire([
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
              recommendations: containerRecommendations(appIntervals)
            },
            {
              containerImageName: "docker.io/istio/proxyv2:1.22",
              containerName: "istio-proxy",
              recommendations: containerRecommendations(istioIntervals)
            }
          ]
        }
      ]
    })
  ])

export const NAMESPACE_EXPERIMENT = "7654321|3|9b1c5e2a-1111-4c1e-9f00-5a7c0d2b3e44|namespace|shop"

const GIB = 1073741824

/** 8 intervals of namespace `shop`, the last ending at MAX_END: 2 cores / 3 GiB requested, ~1.2 cores used. */
const namespaceIntervals: ReadonlyArray<IntervalResult> = Array.from({ length: 8 }, (_, i) => {
  const endMs = INTERVAL_END_TIME_MS - (7 - i) * 15 * 60_000
  const cpu = 1.1 + 0.05 * i
  const memory = 2e9 + 1e7 * i
  return {
    startMs: endMs - 15 * 60_000,
    endMs,
    metrics: {
      namespaceCpuRequest: { sum: 2, format: "cores" },
      namespaceCpuLimit: { sum: 4, format: "cores" },
      namespaceMemoryRequest: { sum: 3 * GIB, format: "bytes" },
      namespaceMemoryLimit: { sum: 4 * GIB, format: "bytes" },
      namespaceCpuUsage: { avg: cpu / 2, min: cpu / 4, max: cpu, format: "cores" },
      namespaceMemoryUsage: { avg: memory / 2, min: memory / 2, max: memory, format: "bytes" },
      namespaceMemoryRSS: { avg: memory / 2, min: memory / 2, max: memory, format: "bytes" },
      namespaceTotalPods: { avg: 3, max: 3 },
      namespaceRunningPods: { avg: 3, max: 3 }
    }
  }
})

export const namespaceAnswer = (): unknown =>
  onWire([
    namespaceExperimentEntry({
      experimentName: NAMESPACE_EXPERIMENT,
      clusterName: CLUSTER_NAME,
      namespace: "shop",
      recommendations: recommend({
        experimentType: "namespace",
        intervalEndTimeMs: INTERVAL_END_TIME_MS,
        intervals: namespaceIntervals,
        threshold: 0.1
      }).recommendations
    })
  ])
