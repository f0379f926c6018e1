/**
 * `POST /updateResults` request body (kruize.md §2.5; `UpdateResultsAPIObject`, `KubernetesAPIObject`,
 * `ContainerAPIObject`, `NamespaceAPIObject`, `Metric`, `MetricResults`, `MetricAggregationInfoResults`).
 *
 * Decoding enforces JSON types only, like Gson: a wrong type or an unparsable timestamp/number rejects the whole
 * request, while absent fields (and null ones: `decodeJsonBody` drops null members) are judged per record by the
 * validation pipeline (`src/recommender/validation/UpdateResultsValidation.ts`), which is where Kruize reports them.
 * Unknown fields are ignored (ROS sends `"recommendations": {}` in every container).
 */
import { Schema } from "effect"
import { KruizeNumber } from "./KruizeNumber.js"
import { KruizeString } from "./KruizeString.js"
import { IsoTimestampMs } from "./KruizeTimestamp.js"

// JSON nulls are already gone (`decodeJsonBody` drops null members, as Gson leaves null fields unset), so an exact
// optional suffices and decodes ~2.5× faster than a null-to-absent transformation per field.
const nullable = <S extends Schema.Schema.All>(schema: S) => Schema.optionalWith(schema, { exact: true })

/** Aggregates over the pods of the workload in one interval; numbers or numeric strings. */
export const AggregationInfo = Schema.Struct({
  avg: nullable(KruizeNumber),
  sum: nullable(KruizeNumber),
  min: nullable(KruizeNumber),
  max: nullable(KruizeNumber),
  count: nullable(KruizeNumber),
  median: nullable(KruizeNumber),
  mode: nullable(KruizeNumber),
  range: nullable(KruizeNumber),
  format: nullable(KruizeString)
}).annotations({ identifier: "AggregationInfo" })
export type AggregationInfo = typeof AggregationInfo.Type

/** `results.value` / `results.format` are legacy and ignored; `metadata` only accompanies accelerator metrics. */
export const MetricResults = Schema.Struct({
  aggregation_info: nullable(AggregationInfo),
  value: nullable(KruizeNumber),
  format: nullable(KruizeString),
  metadata: nullable(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
}).annotations({ identifier: "MetricResults" })
export type MetricResults = typeof MetricResults.Type

export const ResultMetric = Schema.Struct({
  name: nullable(KruizeString),
  results: nullable(MetricResults)
}).annotations({ identifier: "ResultMetric" })
export type ResultMetric = typeof ResultMetric.Type

export const ResultContainer = Schema.Struct({
  container_image_name: nullable(KruizeString),
  container_name: nullable(KruizeString),
  metrics: nullable(Schema.Array(ResultMetric))
}).annotations({ identifier: "ResultContainer" })
export type ResultContainer = typeof ResultContainer.Type

export const ResultNamespace = Schema.Struct({
  namespace: nullable(KruizeString),
  metrics: nullable(Schema.Array(ResultMetric))
}).annotations({ identifier: "ResultNamespace" })
export type ResultNamespace = typeof ResultNamespace.Type

/** Container records carry `type`/`name`/`namespace` + `containers`; namespace records only `namespaces`. */
export const ResultKubernetesObject = Schema.Struct({
  type: nullable(KruizeString),
  name: nullable(KruizeString),
  namespace: nullable(KruizeString),
  containers: nullable(Schema.Array(ResultContainer)),
  namespaces: nullable(ResultNamespace)
}).annotations({ identifier: "ResultKubernetesObject" })
export type ResultKubernetesObject = typeof ResultKubernetesObject.Type

/** One measurement interval of one experiment; times decode to epoch ms. */
export const ResultRecord = Schema.Struct({
  version: nullable(KruizeString),
  experiment_name: nullable(KruizeString),
  interval_start_time: nullable(IsoTimestampMs),
  interval_end_time: nullable(IsoTimestampMs),
  kubernetes_objects: nullable(Schema.Array(ResultKubernetesObject))
}).annotations({ identifier: "ResultRecord" })
export type ResultRecord = typeof ResultRecord.Type

export const UpdateResultsRequest = Schema.Array(ResultRecord).annotations({ identifier: "UpdateResultsRequest" })
export type UpdateResultsRequest = typeof UpdateResultsRequest.Type
