import { describe, expect, it } from "@effect/vitest"
import type { Recommendations } from "../../../schema/kruize/Recommendation.js"
import { notificationMap } from "../../../src/recommender/algorithm/Notifications.js"
import { hasTimestamp, listingEntry, type StoredRow } from "../../../src/recommender/RecommendationListing.js"
import { containerExperiment, namespaceExperiment } from "../../support/kruizeFixtures.js"

const at = (iso: string): Recommendations => ({
  version: "1.0",
  notifications: notificationMap([111000]),
  data: {
    [iso]: {
      notifications: notificationMap([111101]),
      monitoring_end_time: iso,
      current: {},
      recommendation_terms: {}
    }
  }
})

const t1 = "2026-06-01T10:15:00.000Z"
const t2 = "2026-06-01T10:30:00.000Z"
const rows: ReadonlyArray<StoredRow> = [
  { endMs: Date.parse(t1), stored: { containers: { app: { image: "img:1", recommendations: at(t1) } } } },
  { endMs: Date.parse(t2), stored: { containers: { app: { image: "img:2", recommendations: at(t2) } } } }
]

interface ContainerView {
  readonly container_name: string
  readonly container_image_name: string
  readonly recommendations: Recommendations
}
const containersOf = (entry: ReturnType<typeof listingEntry>) =>
  entry.kubernetes_objects.flatMap((k) => ("containers" in k ? (k.containers as ReadonlyArray<ContainerView>) : []))

describe("listing stored recommendations", () => {
  it("shows each container's newest timestamp by default", () => {
    const [app] = containersOf(listingEntry(containerExperiment, rows, { latest: true }))
    expect(Object.keys(app?.recommendations.data ?? {})).toEqual([t2])
    expect(app?.container_image_name).toBe("img:2")
  })

  it("shows every stored timestamp with latest=false", () => {
    const [app] = containersOf(listingEntry(containerExperiment, rows, { latest: false }))
    expect(Object.keys(app?.recommendations.data ?? {}).sort()).toEqual([t1, t2])
  })

  it("narrows to one monitoring_end_time", () => {
    const [app] = containersOf(
      listingEntry(containerExperiment, rows, { latest: true, monitoringEndMs: Date.parse(t1) })
    )
    expect(Object.keys(app?.recommendations.data ?? {})).toEqual([t1])
  })

  it("lists a declared container without recommendations as not having enough data", () => {
    const [app] = containersOf(listingEntry(containerExperiment, [], { latest: true }))
    expect(app?.container_name).toBe("app")
    expect(Object.keys(app?.recommendations.notifications ?? {})).toEqual(["120001"])
    expect(app?.recommendations.data).toEqual({})
  })

  it("lists a namespace experiment under its namespace", () => {
    const nsRows: ReadonlyArray<StoredRow> = [
      { endMs: Date.parse(t1), stored: { containers: { shop: { recommendations: at(t1) } } } }
    ]
    const entry = listingEntry(namespaceExperiment, nsRows, { latest: true })
    expect(entry.experiment_type).toBe("namespace")
    expect(JSON.stringify(entry)).toContain(t1)
  })

  it("knows which timestamps are stored", () => {
    expect(hasTimestamp(rows, Date.parse(t1))).toBe(true)
    expect(hasTimestamp(rows, Date.parse(t1) + 1)).toBe(false)
  })
})
