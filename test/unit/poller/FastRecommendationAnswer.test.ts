/**
 * The fast path must read exactly what the schemas read, or give up: on the engine's own answers (every term with
 * box plots included) it gives the schema's output, key order included; on thousands of damaged copies it either
 * gives up or still agrees, and it never accepts what the schema refuses.
 */
import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { encodeListRecommendations } from "../../../schema/kruize/RecommendationJson.js"
import { ContainerAnswer, NamespaceAnswer } from "../../../schema/ros/UpdateRecommendationsAnswer.js"
import { fastContainerAnswer, fastNamespaceAnswer } from "../../../src/poller/FastRecommendationAnswer.js"
import { containerExperimentEntry } from "../../../src/recommender/algorithm/ListRecommendationsEntry.js"
import { recommend } from "../../../src/recommender/algorithm/Recommend.js"
import { containerMetrics, contiguous, T0 } from "../recommender/IntervalFixtures.js"
import { containerAnswer, namespaceAnswer } from "./EngineAnswers.js"

/** 15 days of varying usage: every term has a recommendation and box plots. */
const fullAnswer = (): unknown => {
  const intervals = contiguous(15 * 96, (i) =>
    containerMetrics({ cpu: 0.2 + (i % 17) / 20, memory: 3e8 + (i % 29) * 1e7 })
  )
  const { recommendations } = recommend({
    experimentType: "container",
    intervalEndTimeMs: T0,
    intervals,
    threshold: 0.1
  })
  return JSON.parse(
    encodeListRecommendations(
      [
        containerExperimentEntry({
          experimentName: "1|2|3|ns|deployment|web",
          clusterName: "1;3",
          kubernetesObjects: [
            {
              type: "deployment",
              name: "web",
              namespace: "ns",
              containers: [{ containerImageName: "quay.io/web:1", containerName: "web", recommendations }]
            }
          ]
        })
      ],
      2
    )
  )
}

const viaSchema = <A, I>(schema: Schema.Schema<A, I>, u: unknown) => Schema.decodeUnknownEither(schema)(u)

const agree = <A, I>(schema: Schema.Schema<A, I>, fast: (u: unknown) => A | undefined, u: unknown) => {
  const quick = fast(u)
  const slow = viaSchema(schema, u)
  if (quick === undefined) return "gave up"
  expect(Either.isRight(slow)).toBe(true)
  expect(JSON.stringify(quick)).toBe(JSON.stringify(Either.getOrThrow(slow)))
  return "agreed"
}

/** A deterministic generator, so a failure reproduces. */
const random = (seed: number) => () => {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}

/** Every object and array inside `u`, with the key or index that holds it. */
const places = (
  u: unknown,
  out: Array<{ holder: Record<string, unknown> | Array<unknown>; key: string | number }> = []
) => {
  if (Array.isArray(u)) {
    for (const [i, v] of u.entries()) {
      out.push({ holder: u, key: i })
      places(v, out)
    }
  } else if (typeof u === "object" && u !== null) {
    for (const [k, v] of Object.entries(u)) {
      out.push({ holder: u as Record<string, unknown>, key: k })
      places(v, out)
    }
  }
  return out
}

/** Puts `value` where the key or index points. */
const replaceWith =
  (value: () => unknown) => (holder: Record<string, unknown> | Array<unknown>, key: string | number) => {
    ;(holder as Record<string, unknown>)[key] = value()
  }

const damages: ReadonlyArray<(holder: Record<string, unknown> | Array<unknown>, key: string | number) => void> = [
  replaceWith(() => null),
  replaceWith(() => "text"),
  replaceWith(() => 1.5),
  replaceWith(() => []),
  replaceWith(() => ({})),
  replaceWith(() => "2026-13-01T00:00:00Z"),
  (h, k) => {
    // the same key in other letters, as Go would still read it
    if (Array.isArray(h) || typeof k !== "string") return
    const value = h[k]
    delete h[k]
    h[k.toUpperCase()] = value
  },
  (h, k) => {
    if (Array.isArray(h) || typeof k !== "string") return
    h[`${k}_unknown`] = "ignored by Go"
  },
  (h, k) => {
    if (Array.isArray(h)) h.splice(Number(k), 1)
    else delete h[k]
  }
]

describe("the updateRecommendations answer's fast path", () => {
  it("gives the schema's output for the engine's answers, key order included", () => {
    expect(agree(ContainerAnswer, fastContainerAnswer, fullAnswer())).toBe("agreed")
    expect(agree(ContainerAnswer, fastContainerAnswer, containerAnswer())).toBe("agreed")
    expect(agree(NamespaceAnswer, fastNamespaceAnswer, namespaceAnswer())).toBe("agreed")
    expect(agree(ContainerAnswer, fastContainerAnswer, null)).toBe("agreed")
    expect(agree(ContainerAnswer, fastContainerAnswer, [null])).toBe("agreed")
  })

  it("reads Go's spelling of the times, as the schema does", () => {
    const answer = fastContainerAnswer(fullAnswer()) as unknown as ReadonlyArray<{
      kubernetes_objects: ReadonlyArray<{
        containers: ReadonlyArray<{ recommendations: { data: Record<string, { monitoring_end_time: string }> } }>
      }>
    }>
    const data = answer[0]!.kubernetes_objects[0]!.containers[0]!.recommendations.data
    expect(Object.values(data).map((d) => d.monitoring_end_time)).toEqual([
      new Date(T0).toISOString().replace(".000Z", "Z")
    ])
  })

  it("gives up or agrees on damaged answers, and never accepts what the schema refuses", () => {
    const next = random(42)
    const outcomes = { "gave up": 0, agreed: 0 }
    for (const [schema, fast, make] of [
      [ContainerAnswer, fastContainerAnswer, fullAnswer],
      [NamespaceAnswer, fastNamespaceAnswer, namespaceAnswer]
    ] as const) {
      const base = make()
      for (let n = 0; n < 1500; n++) {
        const copy = structuredClone(base)
        const spots = places(copy)
        for (let d = 0; d < 1 + Math.floor(next() * 2); d++) {
          const spot = spots[Math.floor(next() * spots.length)]!
          damages[Math.floor(next() * damages.length)]!(spot.holder, spot.key)
        }
        outcomes[agree(schema as Schema.Schema<unknown, unknown>, fast, copy)] += 1
      }
    }
    // Both happen: most damage is still a valid answer (a dropped field, an unknown key), some is not.
    expect(outcomes["gave up"]).toBeGreaterThan(300)
    expect(outcomes.agreed).toBeGreaterThan(300)
  })
})
