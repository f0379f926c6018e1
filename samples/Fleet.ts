/**
 * Several clusters of the same shape: `--clusters N` of samples/generate.ts. Each cluster is its own operator
 * payload (own cluster id, manifest uuid, pod names and usage noise), all derived from the one seed, so a fleet is
 * as reproducible as a single sample. Cluster 1 of any fleet is exactly the single-cluster sample of that seed.
 */
import { basename, dirname, join } from "node:path"
import { type SampleOptions, sampleOptions, unit, uuidV4 } from "./SampleData.js"

export const MaxClusters = 1000

/**
 * The seed cluster `index` (0-based) draws its values from: the fleet's seed for the first, a hash of
 * (seed, index) for the others, so clusters differ in every usage cell, pod suffix and node placement.
 */
export const clusterSeed = (seed: number, index: number): number =>
  index === 0 ? seed : Math.floor(unit(seed, "cluster-seed", index) * 2 ** 31)

/** Cluster `index`'s id: the single sample's `uuidV4(seed, "cluster")` for the first, then a UUIDv4 of (seed, index). */
export const clusterIdOf = (seed: number, index: number): string =>
  index === 0 ? uuidV4(seed, "cluster") : uuidV4(seed, "cluster", index)

/**
 * The options of each of `clusters` clusters: `base` (days, start, layout, workloads, org) shared, seed and
 * cluster id per cluster. A `base.clusterId` is only accepted for a single cluster.
 */
export const fleetOptions = (clusters: number, base: Partial<SampleOptions> = {}): ReadonlyArray<SampleOptions> => {
  if (!Number.isInteger(clusters) || clusters < 1 || clusters > MaxClusters) {
    throw new RangeError(`clusters must be an integer in 1..${MaxClusters}, got ${clusters}`)
  }
  if (clusters > 1 && base.clusterId !== undefined) {
    throw new RangeError("a cluster id can only be given for a single cluster")
  }
  const seed = sampleOptions(base).seed
  return Array.from({ length: clusters }, (_, index) =>
    sampleOptions({
      ...base,
      seed: clusterSeed(seed, index),
      clusterId: base.clusterId ?? clusterIdOf(seed, index)
    })
  )
}

/**
 * Where each cluster's tarball goes. One cluster: `out` itself, or its file name inside `outDir`. Several:
 * `<stem>-<i>.tar.gz` (i from 1, zero-padded to the width of `clusters`), next to `out` or inside `outDir`.
 */
export const fleetPaths = (clusters: number, out: string, outDir?: string): ReadonlyArray<string> => {
  const dir = outDir ?? dirname(out)
  const name = basename(out)
  if (clusters === 1) return [join(dir, name)]
  const extension = [".tar.gz", ".tgz"].find((e) => name.endsWith(e)) ?? ""
  const stem = name.slice(0, name.length - extension.length)
  const width = String(clusters).length
  return Array.from({ length: clusters }, (_, i) =>
    join(dir, `${stem}-${String(i + 1).padStart(width, "0")}${extension}`)
  )
}
