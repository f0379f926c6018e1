/**
 * The change a recommendation asks for, in percent of the current value, and what it means: a negative change
 * (ask for less) means the container is over-provisioned, a positive one that it is under-provisioned.
 */
import type { Quantity } from "../api/RecommendationTypes"

export type Provisioning = "over" | "under" | "right"

/** Changes this small (in percent) are shown as right-sized. */
const NEGLIGIBLE_PERCENT = 1

export const variationPercent = (variation: Quantity | undefined): number | undefined => {
  if (variation?.amount === undefined || !Number.isFinite(variation.amount)) return undefined
  // Only percent is a variation the page can show as such; the API always converts request variations.
  return variation.format === undefined || variation.format === "percent" ? variation.amount : undefined
}

export const provisioning = (percent: number): Provisioning =>
  percent <= -NEGLIGIBLE_PERCENT ? "over" : percent >= NEGLIGIBLE_PERCENT ? "under" : "right"

export const provisioningWords: Readonly<Record<Provisioning, string>> = {
  over: "over-provisioned",
  under: "under-provisioned",
  right: "about right"
}

/** "−45.2 %", "+12 %", with a real minus sign. */
export const formatPercent = (percent: number): string => {
  const rounded = Math.round(percent * 10) / 10
  const sign = rounded > 0 ? "+" : rounded < 0 ? "−" : ""
  return `${sign}${Math.abs(rounded).toString()} %`
}
