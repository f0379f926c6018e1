import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { GO_ZERO_TIME, goTimeText } from "../../../schema/ros/GoTimeText.js"
import { RecommendationData } from "../../../schema/ros/UpdateRecommendationsAnswer.js"
import { checkContainerAnswer } from "../../../src/poller/RecommendationAnswer.js"
import { storedRecommendation, storedRecommendationJson } from "../../../src/poller/StoredRecommendation.js"
import { containerAnswer, MAX_END } from "./EngineAnswers.js"

const decode = Schema.decodeUnknownSync(RecommendationData)
const stored = (entry: unknown) => storedRecommendationJson(decode(entry))

const notAvailable = {
  "120001": {
    type: "info",
    message: "There is not enough data available to generate a recommendation.",
    code: 120001
  }
}

// What Go's json.Marshal writes for `app` of kruize.md §4, field by field in the Go struct's order.
const appStoredJson = {
  notifications: { "111101": { type: "info", message: "Short Term Recommendations Available", code: 111101 } },
  monitoring_end_time: "2026-06-01T11:45:00Z",
  current: {
    limits: { cpu: { amount: 2, format: "cores" }, memory: { amount: 1073741824, format: "bytes" } },
    requests: { cpu: { amount: 1.5, format: "cores" }, memory: { amount: 536870912, format: "bytes" } }
  },
  recommendation_terms: {
    short_term: {
      duration_in_hours: 2,
      notifications: {
        "112101": { type: "info", message: "Cost Recommendations Available", code: 112101 },
        "112102": { type: "info", message: "Performance Recommendations Available", code: 112102 }
      },
      monitoring_start_time: "2026-05-31T11:45:00Z",
      recommendation_engines: {
        cost: {
          config: {
            limits: { cpu: { amount: 1.27, format: "cores" }, memory: { amount: 520800000, format: "bytes" } },
            requests: { cpu: { amount: 1.27, format: "cores" }, memory: { amount: 520800000, format: "bytes" } }
          },
          variation: {
            limits: { cpu: { amount: -0.73, format: "cores" }, memory: { amount: -552941824, format: "bytes" } },
            requests: {
              cpu: { amount: -0.22999999999999998, format: "cores" },
              memory: { amount: -16070912, format: "bytes" }
            }
          },
          notifications: {}
        },
        performance: {
          config: {
            limits: {
              cpu: { amount: 1.6300000000000001, format: "cores" },
              memory: { amount: 520800000, format: "bytes" }
            },
            requests: {
              cpu: { amount: 1.6300000000000001, format: "cores" },
              memory: { amount: 520800000, format: "bytes" }
            }
          },
          variation: {
            limits: {
              cpu: { amount: -0.3699999999999999, format: "cores" },
              memory: { amount: -552941824, format: "bytes" }
            },
            requests: {
              cpu: { amount: 0.13000000000000012, format: "cores" },
              memory: { amount: -16070912, format: "bytes" }
            }
          },
          notifications: {}
        }
      },
      plots: {
        datapoints: 4,
        plots_data: {
          "2026-05-31T17:45:00.000Z": {},
          "2026-05-31T23:45:00.000Z": {},
          "2026-06-01T05:45:00.000Z": {},
          "2026-06-01T11:45:00.000Z": {
            cpuUsage: { min: 0.05, q1: 1.2, median: 1.27, q3: 1.37, max: 1.6300000000000001, format: "cores" },
            memoryUsage: { min: 3e8, q1: 4.24e8, median: 4.28e8, q3: 4.3e8, max: 4.34e8, format: "bytes" }
          }
        }
      }
    },
    medium_term: { duration_in_hours: 2, notifications: notAvailable, monitoring_start_time: GO_ZERO_TIME },
    long_term: { duration_in_hours: 2, notifications: notAvailable, monitoring_start_time: GO_ZERO_TIME }
  }
}

describe("the stored JSON of the engine's answer (ros-ocp-backend §3.9)", () => {
  it("is Go's re-serialisation of `app`, keys in struct order, pods_count and confidence_level gone", () => {
    const check = Either.getOrThrow(checkContainerAnswer(containerAnswer(), MAX_END))
    const data = check.valid[0]!.data[0]!
    const result = storedRecommendation(data)
    expect(JSON.stringify(result.json)).toBe(JSON.stringify(appStoredJson))
    expect(result.monitoringStartTime).toBe("2026-05-31T11:45:00Z")
    expect(result.monitoringEndTime).toBe("2026-06-01T11:45:00Z")
  })
})

describe("omitempty and zero values, as encoding/json writes them", () => {
  it("an empty entry still has every struct: current, both configs, three terms with the zero start time", () => {
    const empty = { cpu: {}, memory: {} }
    const zeroTerm = { monitoring_start_time: GO_ZERO_TIME }
    expect(JSON.stringify(stored({}))).toBe(
      JSON.stringify({
        monitoring_end_time: GO_ZERO_TIME,
        current: { limits: empty, requests: empty },
        recommendation_terms: { short_term: zeroTerm, medium_term: zeroTerm, long_term: zeroTerm }
      })
    )
    expect(storedRecommendation(decode({})).monitoringStartTime).toBe(GO_ZERO_TIME)
  })

  it("drops an amount of exactly 0 (also −0) and an empty format, keeps tiny and negative amounts", () => {
    const json = stored({
      current: {
        requests: { cpu: { amount: 0, format: "cores" }, memory: { amount: 1e-9, format: "" } },
        limits: { cpu: { amount: -0 }, memory: { amount: -5 } }
      }
    })
    expect(json.current).toEqual({
      limits: { cpu: {}, memory: { amount: -5 } },
      requests: { cpu: { format: "cores" }, memory: { amount: 1e-9 } }
    })
  })

  it("drops duration_in_hours 0, empty notification maps, zero codes and empty messages", () => {
    const json = stored({
      notifications: {},
      recommendation_terms: {
        short_term: {
          duration_in_hours: 0,
          notifications: { "323004": { type: "notice", message: "", code: 0 } },
          monitoring_start_time: "2026-05-31T11:45:00.000Z"
        },
        medium_term: { duration_in_hours: 0.25, notifications: {} }
      }
    })
    expect(json).not.toHaveProperty("notifications")
    expect(json.recommendation_terms.short_term).toEqual({
      notifications: { "323004": { type: "notice" } },
      monitoring_start_time: "2026-05-31T11:45:00Z"
    })
    expect(JSON.stringify(json.recommendation_terms.medium_term)).toBe(
      JSON.stringify({ duration_in_hours: 0.25, monitoring_start_time: GO_ZERO_TIME })
    )
  })

  it("an engine's notifications have no omitempty: null when absent, {} when empty", () => {
    const json = stored({
      recommendation_terms: {
        short_term: {
          recommendation_engines: {
            cost: { pods_count: 2, confidence_level: 0.5, notifications: {} },
            performance: { notifications: null }
          }
        }
      }
    })
    const empty = { cpu: {}, memory: {} }
    const engines = json.recommendation_terms.short_term.recommendation_engines
    expect(JSON.stringify(engines)).toBe(
      JSON.stringify({
        cost: {
          config: { limits: empty, requests: empty },
          variation: { limits: empty, requests: empty },
          notifications: {}
        },
        performance: {
          config: { limits: empty, requests: empty },
          variation: { limits: empty, requests: empty },
          notifications: null
        }
      })
    )
  })

  it("a term with only one engine gets the other as Go's zero engine; a term without engines has none", () => {
    const json = stored({
      recommendation_terms: {
        short_term: { recommendation_engines: { cost: {} } },
        medium_term: { recommendation_engines: null }
      }
    })
    expect(json.recommendation_terms.short_term.recommendation_engines?.performance.notifications).toBeNull()
    expect(json.recommendation_terms.medium_term).not.toHaveProperty("recommendation_engines")
  })

  it("plots: an empty struct stays, an empty plots_data and zero box-plot values go, a null box plot goes", () => {
    const json = stored({
      recommendation_terms: {
        short_term: { plots: {} },
        medium_term: { plots: { datapoints: 0, plots_data: {} } },
        long_term: {
          plots: {
            datapoints: 2,
            plots_data: {
              "2026-06-01T11:45:00.000Z": { cpuUsage: { min: 0, q1: 0, median: 0.5, q3: 1, max: 2, format: "cores" } },
              "2026-06-01T05:45:00.000Z": { cpuUsage: null, memoryUsage: {} }
            }
          }
        }
      }
    })
    expect(json.recommendation_terms.short_term.plots).toEqual({})
    expect(json.recommendation_terms.medium_term.plots).toEqual({})
    expect(JSON.stringify(json.recommendation_terms.long_term.plots)).toBe(
      JSON.stringify({
        datapoints: 2,
        plots_data: {
          // Go writes map keys sorted; keys are strings, not times, so they keep the engine's spelling
          "2026-06-01T05:45:00.000Z": { memoryUsage: {} },
          "2026-06-01T11:45:00.000Z": { cpuUsage: { median: 0.5, q3: 1, max: 2, format: "cores" } }
        }
      })
    )
  })

  it("map keys come out sorted", () => {
    const json = stored({
      notifications: {
        "523001": { type: "critical", code: 523001 },
        "111101": { type: "info", code: 111101 },
        "223001": { type: "error", code: 223001 }
      }
    })
    expect(Object.keys(json.notifications ?? {})).toEqual(["111101", "223001", "523001"])
  })
})

describe("Go's time.Time spelling", () => {
  it("drops zero fractions and trailing zeros, keeps nanoseconds, writes a zero offset as Z", () => {
    expect(goTimeText("2026-06-01T11:45:00.000Z")).toBe("2026-06-01T11:45:00Z")
    expect(goTimeText("2026-06-01T11:45:00.510Z")).toBe("2026-06-01T11:45:00.51Z")
    expect(goTimeText("2026-06-01T11:45:00.123456789Z")).toBe("2026-06-01T11:45:00.123456789Z")
    expect(goTimeText("2026-06-01T11:45:00.1234567891Z")).toBe("2026-06-01T11:45:00.123456789Z")
    expect(goTimeText("2026-06-01T11:45:00+00:00")).toBe("2026-06-01T11:45:00Z")
    expect(goTimeText("2026-06-01T13:45:00.000+02:00")).toBe("2026-06-01T13:45:00+02:00")
    expect(goTimeText("2024-02-29T00:00:00Z")).toBe("2024-02-29T00:00:00Z")
  })

  it("refuses what Go's strict RFC 3339 reader refuses", () => {
    for (const text of [
      "2026-06-01 11:45:00Z",
      "2026-06-01T11:45:00",
      "2026-06-01T24:00:00Z",
      "2026-06-01T11:60:00Z",
      "2026-06-01T11:45:60Z",
      "2026-02-29T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-06-01T11:45:00+24:00",
      "2026-06-01T11:45:00.Z",
      "2026-06-01t11:45:00z"
    ]) {
      expect(goTimeText(text)).toBeUndefined()
    }
  })
})
