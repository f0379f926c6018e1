/**
 * The cost-management application type lookup at start: a Sources API that is down or not seeded yet is asked
 * again with backoff, and the id comes once it answers; one still down after the patience, or an answer that can
 * never be right, fails the role with a message naming the URL. Time moves only through TestClock.
 */
import { HttpClient, HttpClientError, HttpClientResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Fiber, Layer, Ref, TestClock } from "effect"
import { costApplicationTypeId } from "../../../src/housekeeper/CostApplicationType.js"

type Answer = "down" | { readonly status: number; readonly body: unknown }

const COST_TYPE = { id: "7", name: "/insights/platform/cost-management" }

/** An HttpClient that gives the scripted answers in turn (the last one forever) and records the URLs asked. */
const scripted = (answers: ReadonlyArray<Answer>) =>
  Effect.gen(function* () {
    const calls = yield* Ref.make<ReadonlyArray<string>>([])
    const client = HttpClient.make((request, url) =>
      Effect.gen(function* () {
        const asked = yield* Ref.getAndUpdate(calls, (all) => [...all, url.toString()])
        const answer = answers[Math.min(asked.length, answers.length - 1)]
        if (answer === undefined || answer === "down") {
          return yield* new HttpClientError.RequestError({ request, reason: "Transport", description: "ECONNREFUSED" })
        }
        return HttpClientResponse.fromWeb(
          request,
          new Response(JSON.stringify(answer.body), {
            status: answer.status,
            headers: { "content-type": "application/json" }
          })
        )
      })
    )
    // The defaults, whatever the environment says.
    const settings = Layer.setConfigProvider(ConfigProvider.fromMap(new Map()))
    return { calls, layer: Layer.merge(Layer.succeed(HttpClient.HttpClient, client), settings) }
  })

const lookUp = (answers: ReadonlyArray<Answer>) =>
  Effect.gen(function* () {
    const { calls, layer } = yield* scripted(answers)
    const fiber = yield* costApplicationTypeId("5 minutes").pipe(Effect.provide(layer), Effect.exit, Effect.fork)
    // Far past every backoff step and the patience: whatever can happen has happened.
    for (let i = 0; i < 40; i++) yield* TestClock.adjust("15 seconds")
    return { exit: yield* Fiber.join(fiber), calls: yield* Ref.get(calls) }
  })

const failureMessage = (exit: Exit.Exit<number, { readonly message: string }>) =>
  Exit.isFailure(exit) && exit.cause._tag === "Fail" ? exit.cause.error.message : "not a failure"

describe("costApplicationTypeId", () => {
  it.effect("asks the Sources API by name and reads the id as an integer", () =>
    Effect.gen(function* () {
      const { exit, calls } = yield* lookUp([{ status: 200, body: { data: [COST_TYPE] } }])
      expect(exit).toEqual(Exit.succeed(7))
      expect(calls).toEqual([
        "http://127.0.0.1:8002/api/sources/v3.1/application_types?filter%5Bname%5D%5Beq%5D=%2Finsights%2Fplatform%2Fcost-management"
      ])
    })
  )

  it.effect("waits for a Sources API that is down, then one not seeded yet", () =>
    Effect.gen(function* () {
      const { exit, calls } = yield* lookUp([
        "down",
        "down",
        { status: 503, body: {} },
        { status: 200, body: { data: [] } },
        { status: 200, body: { data: [{ id: "3", name: "/insights/platform/other" }, COST_TYPE] } }
      ])
      expect(exit).toEqual(Exit.succeed(7))
      expect(calls).toHaveLength(5)
    })
  )

  it.effect("fails the role with a clear message when the Sources API is still down after the patience", () =>
    Effect.gen(function* () {
      const { exit, calls } = yield* lookUp(["down"])
      expect(calls.length).toBeGreaterThan(5)
      expect(failureMessage(exit)).toMatch(
        /^housekeeper: cannot learn the cost-management application type id from the Sources API at http:\/\/127\.0\.0\.1:8002\/api\/sources\/v3\.1\/application_types \(.*ECONNREFUSED.*, still after 5m\)$/
      )
    })
  )

  it.effect.each([
    ["a 404", { status: 404, body: { errors: [] } }, /HTTP 404/],
    ["an answer that is not the contract", { status: 200, body: { items: [] } }, /unexpected answer/],
    ["an id that is not an integer", { status: 200, body: { data: [{ ...COST_TYPE, id: "x7" }] } }, /not an integer/]
  ] as const)("fails at once on %s", ([_what, answer, reason]) =>
    Effect.gen(function* () {
      const { exit, calls } = yield* lookUp([answer])
      expect(calls).toHaveLength(1)
      expect(failureMessage(exit)).toMatch(reason)
    })
  )
})
