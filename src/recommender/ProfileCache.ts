/**
 * The performance profiles the engine's entities validate results against, shared by every entity of a process.
 * A profile decides which metrics a result may carry and changes rarely (a version upgrade), so it is read again
 * only when the copy is older than a few seconds. Each entity kept its own copy before: its requests came more than
 * that apart, so nearly every updateResults read the profile from PostgreSQL again.
 */
import { Clock, Effect, Option } from "effect"
import type { PerformanceProfile } from "../../schema/kruize/PerformanceProfile.js"

/** How long a copy is trusted: also how long another process's change of a profile may go unseen. */
export const PROFILE_TTL_MS = 5_000

export class ProfileCache {
  private readonly copies = new Map<
    string,
    { readonly at: number; readonly value: Option.Option<PerformanceProfile> }
  >()

  /** The profile named `name`, read with `read` when this process has no copy younger than PROFILE_TTL_MS. */
  get<E, R>(name: string, read: Effect.Effect<Option.Option<PerformanceProfile>, E, R>) {
    return Effect.gen(this, function* () {
      const now = yield* Clock.currentTimeMillis
      const copy = this.copies.get(name)
      if (copy !== undefined && now - copy.at < PROFILE_TTL_MS) return copy.value
      // Neither a failed read nor a missing profile is kept: the next request reads again, and a profile created
      // meanwhile is found at once.
      const value = yield* read
      if (Option.isSome(value)) this.copies.set(name, { at: now, value })
      return value
    })
  }
}
