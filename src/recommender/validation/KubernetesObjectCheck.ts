/**
 * `/updateResults` step 9 (kruize.md §2.6, `KubernetesElementsValidator`): the record's Kubernetes object must be
 * the experiment's. Container experiments compare type, name and namespace exactly (all mismatches in one message,
 * like Kruize) and need a container name on every container; namespace experiments take namespace-level data only.
 */
import type { ExperimentDefinition } from "../../../schema/kruize/Experiment.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import type { ResultKubernetesObject } from "../../../schema/kruize/Results.js"

const isBlank = (s: string | undefined) => s === undefined || s.trim().length === 0

export const kubernetesObjectViolation = (
  object: ResultKubernetesObject,
  experiment: ExperimentDefinition
): string | undefined => {
  const name = experiment.experimentName
  const target = experiment.target
  if (target._tag === "WorkloadTarget") {
    const mismatches: Array<string> = []
    if (object.type !== target.type)
      mismatches.push(KruizeMessages.typeMismatch(target.type, object.type ?? null, name))
    if (object.name !== target.name) {
      mismatches.push(KruizeMessages.nameMismatch(target.name ?? null, object.name ?? null, name))
    }
    if (object.namespace !== target.namespace) {
      mismatches.push(KruizeMessages.namespaceMismatch(target.namespace ?? null, object.namespace ?? null, name))
    }
    if (mismatches.length > 0) return KruizeMessages.kubernetesObjectsMismatch(mismatches)
    if ((object.containers ?? []).some((c) => isBlank(c.container_name))) return KruizeMessages.blankContainerName
    return undefined
  }
  if (object.type !== undefined || object.name !== undefined || object.namespace !== undefined) {
    return KruizeMessages.namespaceLevelExpected(name)
  }
  if (isBlank(object.namespaces?.namespace)) return KruizeMessages.blankNamespaceName
  return undefined
}
