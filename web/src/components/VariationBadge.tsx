/**
 * A change in percent, coloured and worded: over-provisioned (the recommendation asks for less) or
 * under-provisioned (it asks for more). Colour is never the only cue: an arrow and words go with it.
 */
import type { Quantity } from "../api/RecommendationTypes"
import { formatPercent, provisioning, provisioningWords, variationPercent } from "../format/Variation"

const arrows = { over: "▼", under: "▲", right: "=" } as const

export const VariationBadge = ({ variation }: { readonly variation: Quantity | undefined }) => {
  const percent = variationPercent(variation)
  if (percent === undefined) return <span class="muted">—</span>
  const kind = provisioning(percent)
  return (
    <span class={`variation variation-${kind}`} title={provisioningWords[kind]}>
      <span aria-hidden="true">{arrows[kind]} </span>
      {formatPercent(percent)}
      <span class="visually-hidden"> ({provisioningWords[kind]})</span>
    </span>
  )
}
