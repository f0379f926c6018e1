import { describe, expect, it } from "@effect/vitest"
import { FastCheck } from "effect"
import type { ListRecommendationsEntry } from "../../../schema/kruize/Recommendation.js"
import { encodeListRecommendations, plainDecimal, toPlainJson } from "../../../schema/kruize/RecommendationJson.js"
import { notEnoughDataRecommendations } from "../../../src/recommender/algorithm/Recommend.js"

describe("plain decimal numbers (design.md §7)", () => {
  it("prints Gson's exponent forms as plain decimals of the same binary64 value", () => {
    expect(plainDecimal(5.36870912e8)).toBe("536870912")
    expect(plainDecimal(1.073741824e9)).toBe("1073741824")
    expect(plainDecimal(2.0)).toBe("2")
    expect(plainDecimal(0.0)).toBe("0")
    expect(plainDecimal(-0)).toBe("0")
    expect(plainDecimal(1.6300000000000001)).toBe("1.6300000000000001")
    expect(plainDecimal(1e-7)).toBe("0.0000001")
    expect(plainDecimal(-2.5e-7)).toBe("-0.00000025")
    expect(plainDecimal(1.5e-10)).toBe("0.00000000015")
    expect(plainDecimal(1e21)).toBe("1000000000000000000000")
    expect(plainDecimal(1.2345e22)).toBe("12345000000000000000000")
    expect(plainDecimal(Number.NaN)).toBe("null")
  })

  it("round-trips every finite double and never uses an exponent", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const text = plainDecimal(x)
        expect(text).not.toMatch(/e/i)
        expect(Number(text)).toBe(x === 0 ? 0 : x)
      }),
      { seed: 7, numRuns: 2000 }
    )
  })
})

describe("toPlainJson", () => {
  it("matches JSON.stringify for ordinary values, compact and indented, skipping undefined members", () => {
    const value = { a: [1, "x", null, true, { b: 0.5 }], c: undefined, d: {}, e: [] }
    expect(toPlainJson(value)).toBe(JSON.stringify(value))
    expect(toPlainJson(value, 2)).toBe(JSON.stringify(value, null, 2))
  })

  it("rewrites exponent numbers anywhere, and leaves strings and keys that look like them alone", () => {
    const value = { "2e5": '1e-7 "3e+21"', n: [1e-7, -2.5e-7, { deep: 1e21 }], m: 5.36870912e8 }
    expect(toPlainJson(value)).toBe(
      '{"2e5":"1e-7 \\"3e+21\\"","n":[0.0000001,-0.00000025,{"deep":1000000000000000000000}],"m":536870912}'
    )
    expect(JSON.parse(toPlainJson(value, 2))).toEqual(value)
  })

  it("parses back to the same value and writes no exponent outside strings, for any JSON value", () => {
    FastCheck.assert(
      FastCheck.property(FastCheck.jsonValue(), (value) => {
        const text = toPlainJson(value, 2)
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)))
        expect(text.replace(/"(?:[^"\\]|\\.)*"/g, '""')).not.toMatch(/[0-9]e/i)
      }),
      { seed: 11, numRuns: 500 }
    )
  })
})

describe("encodeListRecommendations", () => {
  const entry = (recommendations = notEnoughDataRecommendations): ListRecommendationsEntry => ({
    // deliberately built in a different key order than Kruize's
    experiment_name: "e",
    version: "v2.0",
    kubernetes_objects: [
      {
        containers: [{ recommendations, container_name: "app", container_image_name: "img" }],
        namespace: "ns",
        name: "w",
        type: "deployment"
      }
    ],
    experiment_type: "container",
    cluster_name: "c"
  })

  it("emits keys in the schema's (Gson's) order whatever the build order", () => {
    expect(encodeListRecommendations([entry()])).toBe(
      '[{"cluster_name":"c","experiment_type":"container","kubernetes_objects":[{"type":"deployment","name":"w",' +
        '"namespace":"ns","containers":[{"container_image_name":"img","container_name":"app","recommendations":' +
        '{"version":"1.0","notifications":{"120001":{"type":"info","message":"There is not enough data available ' +
        'to generate a recommendation.","code":120001}},"data":{}}}]}],"version":"v2.0","experiment_name":"e"}]'
    )
  })

  it("rejects a value that is not a valid response (NaN amount, malformed timestamp)", () => {
    const bad = {
      ...notEnoughDataRecommendations,
      data: {
        "2026-06-01T11:45:00.000Z": {
          notifications: {},
          monitoring_end_time: "2026-06-01T11:45:00.000Z",
          current: { requests: { cpu: { amount: Number.NaN, format: "cores" } } },
          recommendation_terms: {}
        }
      }
    }
    expect(() => encodeListRecommendations([entry(bad)])).toThrow()
    const badTime = {
      ...notEnoughDataRecommendations,
      data: {
        "2026-06-01T11:45:00Z": {
          notifications: {},
          monitoring_end_time: "2026-06-01T11:45:00Z",
          current: {},
          recommendation_terms: {}
        }
      }
    }
    expect(() => encodeListRecommendations([entry(badTime)])).toThrow()
    expect(() => encodeListRecommendations([entry()])).not.toThrow()
  })
})
