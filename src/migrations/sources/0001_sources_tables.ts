/**
 * The Sources API tables (ingress-koku-sources.md D.1), shaped like sources-api-go's, with the tenant kept
 * as the identity's org_id on every tenant-owned row instead of a tenants table: every query filters on it.
 * Seeds the two types ROS and the operator look up: source type `openshift` and application type
 * `/insights/platform/cost-management` (values from sources-api-go `dao/seeds/*.yml`).
 */
import { SqlClient } from "@effect/sql"
import { Effect } from "effect"

const openshiftSchema = {
  authentication: [
    {
      type: "token",
      name: "Token",
      fields: [
        {
          component: "text-field",
          name: "authentication.authtype",
          hideField: true,
          initializeOnMount: true,
          initialValue: "token"
        },
        { component: "text-field", name: "source.source_ref", label: "Cluster ID", stepKey: "usageCollector" },
        {
          component: "text-field",
          name: "authentication.password",
          label: "Token",
          type: "password",
          isRequired: true,
          validate: [{ type: "required" }]
        }
      ]
    }
  ],
  endpoint: {
    title: "OpenShift endpoint",
    fields: [
      {
        component: "text-field",
        name: "endpoint.role",
        hideField: true,
        initializeOnMount: true,
        initialValue: "kubernetes"
      },
      { component: "text-field", name: "url", label: "URL", validate: [{ type: "url" }] },
      { component: "switch", name: "endpoint.verify_ssl", label: "Verify SSL" },
      {
        component: "text-field",
        name: "endpoint.certificate_authority",
        label: "Certificate Authority",
        condition: { when: "endpoint.verify_ssl", is: true }
      }
    ]
  }
}

const costManagementSourceTypes = ["amazon", "azure", "google", "oracle-cloud-infrastructure", "openshift", "ibm"]

const costManagementAuthenticationTypes = {
  amazon: ["arn"],
  azure: ["tenant_id_client_id_client_secret"],
  google: ["project_id_service_account_json"],
  openshift: ["token"],
  "oracle-cloud-infrastructure": ["ocid"],
  ibm: ["api_token_account_id"]
}

export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE source_types (
      id bigserial PRIMARY KEY,
      name text NOT NULL CONSTRAINT source_types_name_key UNIQUE,
      product_name text NOT NULL,
      category text NOT NULL DEFAULT '',
      vendor text NOT NULL,
      schema jsonb,
      icon_url text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `
  yield* sql`
    CREATE TABLE application_types (
      id bigserial PRIMARY KEY,
      name text NOT NULL CONSTRAINT application_types_name_key UNIQUE,
      display_name text NOT NULL DEFAULT '',
      dependent_applications jsonb NOT NULL DEFAULT '[]',
      supported_source_types jsonb NOT NULL DEFAULT '[]',
      supported_authentication_types jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )
  `
  yield* sql`
    CREATE TABLE sources (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      name text NOT NULL,
      uid text NOT NULL CONSTRAINT sources_uid_key UNIQUE,
      version text,
      imported text,
      source_ref text,
      app_creation_workflow text NOT NULL DEFAULT 'manual_configuration',
      availability_status text NOT NULL DEFAULT 'in_progress',
      last_checked_at timestamptz,
      last_available_at timestamptz,
      paused_at timestamptz,
      source_type_id bigint NOT NULL REFERENCES source_types (id),
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT sources_org_id_name_key UNIQUE (org_id, name)
    )
  `
  // koku and the operator find a cluster's source by (org, source_ref).
  yield* sql`CREATE INDEX sources_org_id_source_ref_idx ON sources (org_id, source_ref)`
  yield* sql`
    CREATE TABLE applications (
      id bigserial PRIMARY KEY,
      org_id text NOT NULL,
      source_id bigint NOT NULL REFERENCES sources (id),
      application_type_id bigint NOT NULL REFERENCES application_types (id),
      extra jsonb NOT NULL DEFAULT '{}',
      availability_status text NOT NULL DEFAULT 'in_progress',
      availability_status_error text NOT NULL DEFAULT '',
      last_checked_at timestamptz,
      last_available_at timestamptz,
      paused_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT applications_org_id_source_id_application_type_id_key UNIQUE (org_id, source_id, application_type_id)
    )
  `
  yield* sql`CREATE INDEX applications_source_id_idx ON applications (source_id)`
  yield* sql`CREATE INDEX applications_application_type_id_idx ON applications (application_type_id)`
  yield* sql`
    INSERT INTO source_types (name, product_name, category, vendor, schema, icon_url)
    VALUES ('openshift', 'Red Hat OpenShift Container Platform', 'Red Hat', 'Red Hat',
            ${JSON.stringify(openshiftSchema)}::jsonb,
            '/apps/frontend-assets/platform-logos/openshift-container-platform.svg')
  `
  yield* sql`
    INSERT INTO application_types (name, display_name, dependent_applications, supported_source_types,
                                   supported_authentication_types)
    VALUES ('/insights/platform/cost-management', 'Cost Management', '[]'::jsonb,
            ${JSON.stringify(costManagementSourceTypes)}::jsonb,
            ${JSON.stringify(costManagementAuthenticationTypes)}::jsonb)
  `
})
