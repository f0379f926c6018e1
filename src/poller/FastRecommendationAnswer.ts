/**
 * A fast path for the engine's `updateRecommendations` answer, the largest body a runner reads (every term with its
 * box plots). It reads what `UpdateRecommendationsAnswer`'s schemas would decode, or gives up (`undefined`) at the
 * first thing it is not sure of: a key that matches a field only ignoring case, a value of the wrong type, a time Go
 * would not read. The caller then decodes with the schema, which has the last word and names the problem. The schema
 * renames every key of every object Go-style before it checks it, which cost a runner about a millisecond per
 * answer. A test holds the two to the same output, key order included.
 */
import { goTimeText } from "../../schema/ros/GoTimeText.js"
import type { ContainerAnswer, NamespaceAnswer } from "../../schema/ros/UpdateRecommendationsAnswer.js"

/** Thrown inside this module only, and always caught by `fast`. */
class Unsure {}
const unsure = new Unsure()

type Reader = (u: unknown) => unknown

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const string: Reader = (u) => {
  if (typeof u !== "string") throw unsure
  return u
}
const finite: Reader = (u) => {
  if (typeof u !== "number" || !Number.isFinite(u)) throw unsure
  return u
}
const int: Reader = (u) => {
  if (!Number.isInteger(u)) throw unsure
  return u
}
const goTime: Reader = (u) => {
  const text = typeof u === "string" ? goTimeText(u) : undefined
  if (text === undefined) throw unsure
  return text
}
const anything: Reader = (u) => u

/** `orZero`: Go reads `null` as the zero struct. */
const orZero =
  (read: Reader): Reader =>
  (u) =>
    u === null ? {} : read(u)

/**
 * `goKeys(Struct)` whose fields are all `field(...)` (optional, `null` = absent): exact keys only, unknown keys
 * dropped as Go drops them, fields in declaration order as the schema writes them.
 */
const struct = (fields: Readonly<Record<string, Reader>>): Reader => {
  const names = Object.keys(fields)
  const exact = new Set(names)
  const folded = new Set(names.map((n) => n.toLowerCase()))
  return (u) => {
    if (!isPlainObject(u)) throw unsure
    for (const key of Object.keys(u)) if (!exact.has(key) && folded.has(key.toLowerCase())) throw unsure
    const out: Record<string, unknown> = {}
    for (const name of names) {
      if (!Object.hasOwn(u, name)) continue
      const value = u[name]
      if (value !== null) out[name] = fields[name]!(value)
    }
    return out
  }
}

/** `goMap`: a JSON object whose values are read by `read`, keys as they come. */
const map =
  (read: Reader): Reader =>
  (u) => {
    if (!isPlainObject(u)) throw unsure
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(u)) out[key] = read(u[key])
    return out
  }

/** `goSlice` */
const slice =
  (read: Reader): Reader =>
  (u) => {
    if (!Array.isArray(u)) throw unsure
    return u.map(read)
  }

const values = struct({ amount: finite, format: string })
const config = struct({ cpu: values, memory: values })
const configObject = struct({ limits: config, requests: config })
const notifications = map(orZero(struct({ type: string, message: string, code: int })))
const engine = struct({ config: configObject, variation: configObject, notifications })
const box = struct({ min: finite, q1: finite, median: finite, q3: finite, max: finite, format: string })
const plot = struct({ datapoints: int, plots_data: map(orZero(struct({ cpuUsage: box, memoryUsage: box }))) })
const term = struct({
  duration_in_hours: finite,
  notifications,
  monitoring_start_time: goTime,
  recommendation_engines: struct({ cost: engine, performance: engine }),
  plots: plot
})
const data = struct({
  notifications,
  monitoring_end_time: goTime,
  current: configObject,
  recommendation_terms: struct({ short_term: term, medium_term: term, long_term: term })
})
const recommendation = struct({ version: string, data: map(orZero(data)), notifications })

const containerExperiment = struct({
  cluster_name: string,
  experiment_name: string,
  experiment_type: string,
  version: string,
  kubernetes_objects: slice(
    orZero(
      struct({
        type: string,
        name: string,
        namespace: string,
        containers: slice(
          orZero(struct({ container_image_name: string, container_name: string, recommendations: recommendation }))
        )
      })
    )
  )
})

const namespaceExperiment = struct({
  cluster_name: string,
  experiment_type: string,
  kubernetes_objects: slice(
    orZero(
      struct({
        namespace: string,
        containers: slice(anything),
        namespaces: struct({ namespace: string, recommendations: recommendation })
      })
    )
  ),
  version: string,
  experiment_name: string
})

/** A whole answer: Go reads `null` as an empty slice. */
const answer = (experiment: Reader) => {
  const experiments = slice(orZero(experiment))
  return (u: unknown): unknown => (u === null ? [] : experiments(u))
}

const fast =
  <A>(read: (u: unknown) => unknown) =>
  (u: unknown): A | undefined => {
    try {
      return read(u) as A
    } catch (e) {
      if (e === unsure) return undefined
      throw e
    }
  }

export const fastContainerAnswer = fast<ContainerAnswer>(answer(containerExperiment))
export const fastNamespaceAnswer = fast<NamespaceAnswer>(answer(namespaceExperiment))
