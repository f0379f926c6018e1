/**
 * Every message text of Kruize's REST API that clients may match on, verbatim: odd spacing, trailing spaces and `\n`
 * included (sources: kruize.md §2, `AnalyzerErrorConstants`, `KruizeConstants.APIMessages`). Keeping them in one
 * place lets tests assert exact strings and keeps the validators free of string literals.
 */
import { metricNames, supportedFormatsInJavaOrder } from "./MetricName.js"

/** Java `String.format("%.1f", x)`: shortest decimal digits of the double, rounded half-up to one decimal. */
export const formatJavaOneDecimal = (x: number): string => {
  if (Number.isNaN(x)) return "NaN"
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity"
  const sign = x < 0 || Object.is(x, -0) ? "-" : ""
  const [mantissa = "0", exponent = "0"] = Math.abs(x).toExponential().split("e")
  const digits = mantissa.replace(".", "")
  // value = 0.digits × 10^(exponent + 1); tenths = round(value × 10)
  const shift = Number(exponent) + 1 - digits.length + 1
  let tenths: bigint
  if (shift >= 0) {
    tenths = BigInt(digits) * 10n ** BigInt(shift)
  } else {
    const divisor = 10n ** BigInt(-shift)
    const whole = BigInt(digits)
    tenths = whole / divisor + ((whole % divisor) * 2n >= divisor ? 1n : 0n)
  }
  return `${sign}${tenths / 10n}.${tenths % 10n}`
}

const list = (items: ReadonlyArray<string>) => `[${items.join(", ")}]`

export const KruizeMessages = {
  // §2.6 updateResults: whole request
  jsonParsingError: "Failed to parse the JSON. Please check the input payload ",
  aggregationInfoInvalidValue: "Invalid value type for aggregation_info objects. Expected a numeric value (Double).",
  numberFormat: (text: string) => `For input string: "${text}"`,
  bulkResultsLimit: (limit: number) =>
    `At present, the system does not support bulk entries exceeding ${limit} in quantity!`,
  resultsSaved: "Results added successfully! View saved results at /listExperiments.",
  partialFailure: (total: number, failed: number) => `Out of a total of ${total} records, ${failed} failed to save`,

  // §2.6 updateResults: per record, in pipeline order
  experimentNameNotFound: (name: string | null) => `Not Found: experiment_name does not exist: ${name}`,
  versionMismatch: (expected: string | null, found: string) =>
    `Version number mismatch found. Expected: ${expected} , Found: ${found}`,
  mustNotBeBlank: (field: string) => `${field}: must not be blank`,
  mustNotBeNull: (field: string) => `${field}: must not be null`,
  // A field-level Hibernate constraint, so the JSON field name prefixes it like the other field violations.
  bulkKubernetesObjects: "kubernetes_objects: Bulk Kubernetes objects are currently unsupported!",
  startPrecedesEnd: "The Start time should precede the End time!",
  performanceProfileNotFound: (name: string | null) => `Not Found: performance_profile does not exist: ${name}`,
  missingMetrics: (scope: string | null, experiment: string) =>
    `Metric data is not present for container : ${scope} for experiment: ${experiment}. `,
  unsupportedMetric: `Metric variable name should be among these values: ${list(metricNames)}`,
  negativeOrBlankAggregate: (key: string, metric: string) =>
    `${key} cannot be negative or blank for the metric variable: ${metric}`,
  unsupportedFormat: ` Format value should be among these values: ${supportedFormatsInJavaOrder}`,
  forContainer: (container: string | null, experiment: string) =>
    ` for container : ${container} for experiment: ${experiment}.`,
  forNamespace: (namespace: string | null, experiment: string) =>
    ` for namespace : ${namespace} for experiment: ${experiment}.`,
  missingMandatoryMetrics: (experiment: string, mandatory: ReadonlyArray<string>) =>
    `Missing one of the following mandatory parameters for experiment - ${experiment} : ${list(mandatory)}`,
  invalidMetrics: (experiment: string, names: ReadonlyArray<string>) =>
    `Invalid metrics found for experiment - ${experiment}: ${list(names)}`,
  performanceProfileErrors: (messages: ReadonlyArray<string>) => `Performance profile: ${list(messages)}`,
  intervalDuration:
    "Interval duration cannot be less than or greater than measurement_duration by more than 30 seconds",
  kubernetesObjectsMismatch: (mismatches: ReadonlyArray<string>) => `kubernetes_objects : ${mismatches.join("")}`,
  typeMismatch: (expected: string | null, found: string | null, experiment: string) =>
    `Kubernetes Object Types MisMatched. Expected Type: ${expected}, Found: ${found} in Results for experiment: ${experiment} \n`,
  nameMismatch: (expected: string | null, found: string | null, experiment: string) =>
    `Kubernetes Object Names MisMatched. Expected Name: ${expected}, Found: ${found} in Results for experiment: ${experiment} \n`,
  namespaceMismatch: (expected: string | null, found: string | null, experiment: string) =>
    `Kubernetes Object Namespaces MisMatched. Expected Namespace: ${expected}, Found: ${found} in Results for experiment: ${experiment} \n`,
  namespaceLevelExpected: (experiment: string) =>
    `Expected namespace-level results, but found type, name, and namespace for experiment: ${experiment}.`,
  blankContainerName: "container_name cannot be null or blank",
  blankNamespaceName: "namespace_name cannot be null or blank",
  resultAlreadyExists: "An entry for this record already exists!",

  // §2.2 createExperiment
  bulkEntries: "At present, the system does not support bulk entries!",
  namespaceDataForContainerExperiment: "Can not specify namespace data for container experiment",
  containerDataForNamespaceExperiment: "Can not specify container data for namespace experiment",
  autoModeForRemote: "Auto or recreate mode is not supported for remote monitoring use case.",
  invalidModeForRemote: (mode: string | null) => `Invalid Mode ${mode} for target cluster as Remote.`,
  invalidTargetCluster: "Invalid Target cluster type",
  mandatoryParametersMissing: (fields: ReadonlyArray<string>) => `Mandatory parameters missing ${list(fields)} `,
  emptyTermOrModel: "Empty term or model value.",
  invalidTerm: "Term name is not supported. Use short, medium or long term.",
  invalidModel: "Model name is not supported. Use cost or performance.",
  invalidDeploymentType: (type: string | null) => `Invalid deployment type: ${type}`,
  missingNamespaceData: "Missing NamespaceData for experimentType: NAMESPACE",
  missingNamespace: "Missing namespace for experimentType: NAMESPACE",
  invalidExperimentType: (value: string) => `Invalid experiment_type : ${value}`,
  experimentExists: (name: string) => `Experiment name already exists: ${name}`,
  sloAndProfile: "SLO Data and Performance Profile cannot exist simultaneously!",
  noProfileOrSlo: "No Performance Profile or SLO data is Present!",
  experimentRegistered:
    "Experiment registered successfully with Kruize. View registered experiments at /listExperiments",
  /** `validation_data.message` of a listed experiment (`AnalyzerConstants.ServiceConstants.EXPERIMENT_REGISTERED`). */
  experimentRegisteredValidation:
    "Registered successfully with Kruize! View registered experiments at /listExperiments",

  // §2.3 delete
  experimentNotFound: "Experiment not found!",
  experimentDeleted: "Experiment deleted successfully. View registered experiments at /listExperiments",

  // §2.7 updateRecommendations
  experimentNameMandatory: "experiment_name is mandatory",
  intervalEndTimeMandatory: "interval_end_time is mandatory",
  invalidTimestamp: (text: string) => `Given timestamp - " ${text} " is not a valid timestamp format`,
  noMetricsAvailable: (from: string, to: string) => `No metrics available from ${from} to ${to}`,

  // §2.4 / §2.8 listExperiments, listRecommendations
  invalidExperimentName: (name: string) => `Given experiment name - " ${name} " is not valid`,
  recommendationTimestampNotFound: (text: string) => `Recommendation for timestamp - " ${text} " does not exist`,
  invalidQueryParams: (names: ReadonlyArray<string>) => `The query param(s) - " ${list(names)} " is/are invalid`,
  invalidQueryParamValues: "The query param value(s) is/are invalid",

  // §2.1 performance profiles
  profileCreated: (name: string) =>
    `Performance Profile : ${name} created successfully. View Performance Profiles at /listPerformanceProfiles`,
  profileExists: (name: string) => `Validation failed: Performance Profile already exists: ${name}`,
  profileExistsWithOtherVersion: (name: string) =>
    `Validation failed: Performance profile '${name}' already exists with a different version. Use the /updatePerformanceProfile API to modify the existing profile.`,
  profileMandatoryMissing: (fields: ReadonlyArray<string>) =>
    `Validation failed: Missing mandatory parameters: ${list(fields)} `,
  profileValidationFailed: (detail: string) => `Validation failed: ${detail}`,
  profileUpdated: (name: string, version: number) =>
    `Performance Profile '${name}' updated successfully to version ${formatJavaOneDecimal(version)}. View Performance Profiles at /listPerformanceProfiles`,
  profileNotFoundForUpdate: (name: string) =>
    `Validation failed: Performance Profile '${name}' not found. Use POST to create a new profile.`,
  profileVersionAlreadyApplied: (name: string, version: number) =>
    `Validation failed: Performance profile '${name}' already updated with the version ${formatJavaOneDecimal(version)}`,
  profileSloAlreadyApplied: (name: string) =>
    `Validation failed: Performance profile '${name}' already updated with the provided SLO data`,
  profileNotSuperset: "Validation failed: Updated profile must be a superset of existing data",
  profileNameRequired: "Performance profile name is required.",
  profileInUse: (name: string, experiments: number) =>
    `Performance Profile '${name}' cannot be deleted as it is currently associated with ${experiments} experiment${experiments === 1 ? "" : "s"}.`,
  profileDeleted: (name: string) =>
    `Performance profile ${name} deleted successfully. View Performance Profiles at /listPerformanceProfiles`,
  // PerformanceProfileValidation data checks; each ends in "\n" and they are concatenated.
  unsupportedK8sType: (value: string) => `k8s_type${value} is not supported\n`,
  unsupportedDirection: "direction  is not supported\n",
  unsupportedSloClass: "slo_class  is not supported\n",
  invalidDirectionForSloClass: "Invalid direction for slo_class\n",
  functionVariablesEmpty: "function_variables is empty\n",
  unsupportedDatasource: (variable: string) => `function_variable: ${variable} datasource  is not supported\n`,
  unsupportedValueType: (variable: string) => `function_variable: ${variable} value_type  is not supported\n`,
  unsupportedKubernetesObject: (value: string) => `kubernetes_objects${value} is not supported\n`,
  missingExpression: "Expression value is missing or null!\n",
  misplacedExpression: "Expression is not allowed when the type is source\n",
  invalidObjectiveFunctionType: "Objective function type can only be either expression or source\n",
  variableNotInExpression: (variable: string) => `function_variable: ${variable} missing in objective_function\n`
} as const
