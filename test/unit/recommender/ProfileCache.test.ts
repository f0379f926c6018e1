import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { PROFILE_TTL_MS, ProfileCache } from "../../../src/recommender/ProfileCache.js"
import { rosProfile } from "../../support/kruizeFixtures.js"

/** A read that counts how often the store was asked, and fails while `down` holds. */
const counted = () => {
  const state = { reads: 0, down: false }
  const read = Effect.suspend(() => {
    state.reads += 1
    return state.down ? Effect.fail("database away" as const) : Effect.succeed(Option.some(rosProfile))
  })
  return { state, read }
}

describe("ProfileCache", () => {
  it.effect("reads a profile once for every entity of the process while its copy is young", () =>
    Effect.gen(function* () {
      const cache = new ProfileCache()
      const { state, read } = counted()
      for (let i = 0; i < 50; i++) expect(yield* cache.get(rosProfile.name, read)).toEqual(Option.some(rosProfile))
      yield* TestClock.adjust(PROFILE_TTL_MS - 1)
      yield* cache.get(rosProfile.name, read)
      expect(state.reads).toBe(1)
      yield* TestClock.adjust(1)
      yield* cache.get(rosProfile.name, read)
      expect(state.reads).toBe(2)
    })
  )

  it.effect("keeps one copy per profile name, and none of a missing profile: it may be created at any moment", () =>
    Effect.gen(function* () {
      const cache = new ProfileCache()
      let reads = 0
      let created = false
      const later = Effect.sync(() => {
        reads += 1
        return created ? Option.some({ ...rosProfile, name: "later" }) : Option.none()
      })
      expect(yield* cache.get("later", later)).toEqual(Option.none())
      created = true
      expect(yield* cache.get("later", later)).toEqual(Option.some({ ...rosProfile, name: "later" }))
      expect(yield* cache.get("later", later)).toEqual(Option.some({ ...rosProfile, name: "later" }))
      expect(reads).toBe(2)
      const { state, read } = counted()
      expect(yield* cache.get(rosProfile.name, read)).toEqual(Option.some(rosProfile))
      expect(state.reads).toBe(1)
    })
  )

  it.effect("does not keep a failed read: the next request reads again", () =>
    Effect.gen(function* () {
      const cache = new ProfileCache()
      const { state, read } = counted()
      state.down = true
      expect(yield* Effect.flip(cache.get(rosProfile.name, read))).toBe("database away")
      state.down = false
      expect(yield* cache.get(rosProfile.name, read)).toEqual(Option.some(rosProfile))
      expect(state.reads).toBe(2)
    })
  )
})
