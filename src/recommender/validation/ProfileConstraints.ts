/**
 * `/updateResults` step 7, the *EvaluatePerformanceProfileConstraints* group (kruize.md §2.6;
 * `PerformanceProfileUtil.validateResults`, `validateMetricsValues`): metric names, values and formats, mandatory
 * metrics and the profile's metric set. Returns the messages Kruize collects; the caller wraps them as
 * `Performance profile: [m1, m2]`.
 */
import type { ExperimentType } from "../../../schema/kruize/Experiment.js"
import { KruizeMessages } from "../../../schema/kruize/KruizeMessages.js"
import {
  aggregationInfoCheckOrder,
  containerMandatoryMetrics,
  metricNames,
  metricsWithoutFormat,
  namespaceMandatoryMetrics,
  supportedFormats
} from "../../../schema/kruize/MetricName.js"
import type { ResultKubernetesObject, ResultMetric } from "../../../schema/kruize/Results.js"

// A set lookup: `isMetricName` (Schema.is) costs a schema run per metric of every record.
const knownMetricNames: ReadonlySet<string> = new Set(metricNames)

/**
 * The first problem of one metric: unknown name, then its `aggregation_info` entries in Kruize's check order. A null
 * aggregate is fine (absent); a negative or NaN one is not, nor (deliberately, unlike Kruize) an infinite one, which
 * would poison every percentile. A missing `format` fails like an unsupported one (`HashSet.contains(null)`).
 */
export const metricViolation = (metric: ResultMetric): string | undefined => {
  const name = metric.name
  if (name === undefined || !knownMetricNames.has(name)) return KruizeMessages.unsupportedMetric
  const info = metric.results?.aggregation_info ?? {}
  for (const key of aggregationInfoCheckOrder) {
    if (key === "format") {
      if (!metricsWithoutFormat.has(name) && (info.format === undefined || !supportedFormats.has(info.format))) {
        return KruizeMessages.unsupportedFormat
      }
    } else {
      const value = info[key]
      if (value !== undefined && !(value >= 0 && Number.isFinite(value))) {
        return KruizeMessages.negativeOrBlankAggregate(key, name)
      }
    }
  }
  return undefined
}

interface Scope {
  readonly metrics: ReadonlyArray<ResultMetric> | undefined
  readonly label: string | null
  readonly suffix: (label: string | null, experiment: string) => string
  readonly mandatory: ReadonlyArray<string>
}

/**
 * Checks one container (or the namespace object). Mirrors Kruize's control flow: a scope without `metrics` is
 * reported and the next one is still looked at; any other problem stops the walk once the current scope's values are
 * checked ("break" in `validateResults`).
 */
const checkScope = (
  scope: Scope,
  experimentName: string,
  profileMetrics: ReadonlySet<string>,
  errors: Array<string>
): "continue" | "stop" => {
  if (scope.metrics === undefined) {
    errors.push(KruizeMessages.missingMetrics(scope.label, experimentName))
    return "continue"
  }
  const names: Array<string> = []
  for (const metric of scope.metrics) {
    const violation = metricViolation(metric)
    if (violation !== undefined) {
      errors.push(violation + scope.suffix(scope.label, experimentName))
      break
    }
    if (metric.name !== undefined) names.push(metric.name)
  }
  if (errors.length > 0) return "stop"
  if (!scope.mandatory.every((m) => names.includes(m))) {
    errors.push(KruizeMessages.missingMandatoryMetrics(experimentName, scope.mandatory))
    return "stop"
  }
  const invalid = names.filter((n) => !profileMetrics.has(n))
  if (invalid.length > 0) errors.push(KruizeMessages.invalidMetrics(experimentName, invalid))
  return "continue"
}

/**
 * All step-7 messages for the record's single Kubernetes object, in Kruize's order. A record with neither containers
 * nor namespace data is reported as missing the experiment type's mandatory metrics (Kruize would store it empty).
 */
export const profileConstraintViolations = (
  object: ResultKubernetesObject,
  experimentName: string,
  experimentType: ExperimentType,
  profileMetrics: ReadonlySet<string>
): ReadonlyArray<string> => {
  const errors: Array<string> = []
  if (object.containers !== undefined && object.containers.length > 0) {
    for (const container of object.containers) {
      const scope: Scope = {
        metrics: container.metrics,
        label: container.container_name ?? null,
        suffix: KruizeMessages.forContainer,
        mandatory: containerMandatoryMetrics
      }
      if (checkScope(scope, experimentName, profileMetrics, errors) === "stop") break
    }
  } else if (object.namespaces !== undefined) {
    const scope: Scope = {
      metrics: object.namespaces.metrics,
      label: object.namespaces.namespace ?? null,
      suffix: KruizeMessages.forNamespace,
      mandatory: namespaceMandatoryMetrics
    }
    checkScope(scope, experimentName, profileMetrics, errors)
  } else {
    errors.push(
      KruizeMessages.missingMandatoryMetrics(
        experimentName,
        experimentType === "namespace" ? namespaceMandatoryMetrics : containerMandatoryMetrics
      )
    )
  }
  return errors
}
