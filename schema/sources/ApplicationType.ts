/**
 * An application type as sources-api-go answers it (`model/application_type_http.go`). ROS and koku look up
 * `/insights/platform/cost-management` by name and keep its id.
 */
import { Schema } from "effect"

/** The cost-management application type's name, the one ROS and koku filter on. */
export const COST_MANAGEMENT_APPLICATION_TYPE = "/insights/platform/cost-management"

export const ApplicationTypeResponse = Schema.Struct({
  id: Schema.String,
  created_at: Schema.String,
  updated_at: Schema.String,
  name: Schema.String,
  display_name: Schema.String,
  dependent_applications: Schema.Array(Schema.String),
  /** Names of the source types an application of this type may be attached to. */
  supported_source_types: Schema.Array(Schema.String),
  /** Per source type, the authentication types it accepts. */
  supported_authentication_types: Schema.Record({ key: Schema.String, value: Schema.Array(Schema.String) })
})
export type ApplicationTypeResponse = typeof ApplicationTypeResponse.Type
