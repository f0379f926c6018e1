/**
 * Words for terms, engines and workload types.
 */
import type { Engine, Term } from "../api/RecommendationTypes"

export const termWords: Readonly<Record<Term, string>> = {
  short_term: "Short term (24 hours)",
  medium_term: "Medium term (7 days)",
  long_term: "Long term (15 days)"
}

export const termShortWords: Readonly<Record<Term, string>> = {
  short_term: "Short",
  medium_term: "Medium",
  long_term: "Long"
}

export const engineWords: Readonly<Record<Engine, string>> = {
  cost: "Cost",
  performance: "Performance"
}

export const engineHints: Readonly<Record<Engine, string>> = {
  cost: "lower requests, fits typical usage",
  performance: "more headroom for peaks"
}

/** The prefix of the API's variation sort keys: `cpu_variation_<short>_<engine>`. */
export const termSortKey = {
  short_term: "short",
  medium_term: "medium",
  long_term: "long"
} as const satisfies Readonly<Record<Term, string>>
