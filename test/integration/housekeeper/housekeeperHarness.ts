/**
 * What the housekeeper tests need around the role: the role itself on a throw-away `ros` database, a sources event
 * topic and a consumer group of its own; ROS rows seeded as the processor writes them; experiments in the engine;
 * hand-made source events; and a wait for a condition on the real servers.
 */
import { SqlClient } from "@effect/sql"
import { ConfigProvider, Effect, Layer, Schedule, Scope } from "effect"
import { makeIdentityHeader } from "../../../schema/identity/Identity.js"
import { HousekeeperLive } from "../../../src/roles/housekeeper.js"
import { Kafka } from "../../../src/services/Kafka.js"
import { call as engineCall } from "../../support/engineHarness.js"
import { containerExperimentJson } from "../../support/kruizeFixtures.js"

export const unique = (prefix: string) =>
  `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`

/** A numeric org id of its own for each test, so rows and events never mix between tests. */
export const newOrg = () => String(8_000_000_000 + Math.floor(Math.random() * 999_999_999))

export interface HousekeeperOptions {
  readonly rosDatabase: string
  readonly topic: string
  readonly groupId: string
  readonly engineUrl: string
  readonly sourcesUrl: string
  readonly extra?: Record<string, string>
}

/** Starts the role; close the scope to stop it. */
export const startHousekeeper = (options: HousekeeperOptions) => {
  const provider = ConfigProvider.fromMap(
    new Map([
      ["DB_NAME", options.rosDatabase],
      ["SOURCES_EVENT_TOPIC", options.topic],
      ["HOUSEKEEPER_CONSUMER_GROUP_ID", options.groupId],
      ["KRUIZE_URL", options.engineUrl],
      ["SOURCES_API_BASE_URL", options.sourcesUrl],
      ...Object.entries(options.extra ?? {})
    ])
  ).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))
  return Effect.gen(function* () {
    const scope = yield* Scope.make()
    yield* Layer.buildWithScope(HousekeeperLive.pipe(Layer.provide(Layer.setConfigProvider(provider))), scope)
    return scope
  }).pipe(Effect.orDie)
}

/** The experiment name the processor gives a deployment (spec ros-ocp-backend §3.1). */
export const experimentName = (orgId: string, sourceId: string, clusterUuid: string, workload: string) =>
  `${orgId}|${sourceId}|${clusterUuid}|shop|deployment|${workload}`

export interface SeededCluster {
  readonly clusterId: string
  readonly experiments: ReadonlyArray<string>
}

/**
 * An org's cluster of a source with one workload per name, each with a recommendation and a usage row (in the
 * half-month partitions the workload's trigger creates), as the processor and poller leave them.
 */
export const seedCluster = (orgId: string, sourceId: string, workloads: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const clusterUuid = crypto.randomUUID()
    const [account] = yield* sql<{ id: string }>`
      INSERT INTO rh_accounts (org_id) VALUES (${orgId})
      ON CONFLICT (org_id) DO UPDATE SET org_id = EXCLUDED.org_id RETURNING id::text AS id`
    const [cluster] = yield* sql<{ id: string }>`
      INSERT INTO clusters (tenant_id, source_id, cluster_uuid, cluster_alias, last_reported_at)
      VALUES (${account?.id ?? ""}, ${sourceId}, ${clusterUuid}, ${`cluster ${sourceId}`}, now())
      RETURNING id::text AS id`
    const experiments: Array<string> = []
    for (const workload of workloads) {
      const name = experimentName(orgId, sourceId, clusterUuid, workload)
      const [row] = yield* sql<{ id: string }>`
        INSERT INTO workloads (org_id, cluster_id, experiment_name, namespace, workload_type, workload_name,
                               containers, metrics_upload_at)
        VALUES (${orgId}, ${cluster?.id ?? ""}, ${name}, 'shop', 'deployment', ${workload}, ${["app"]}, now())
        RETURNING id::text AS id`
      yield* sql`
        INSERT INTO recommendation_sets (workload_id, container_name, monitoring_start_time, monitoring_end_time,
                                         recommendations, updated_at)
        VALUES (${row?.id ?? ""}, 'app', now() - interval '1 day', now(), '{}', now())`
      yield* sql`
        INSERT INTO workload_metrics (org_id, workload_id, container_name, interval_start, interval_end, usage_metrics)
        VALUES (${orgId}, ${row?.id ?? ""}, 'app', now() - interval '15 minutes', now(), '[]')`
      experiments.push(name)
    }
    return { clusterId: cluster?.id ?? "", experiments } satisfies SeededCluster
  }).pipe(Effect.orDie)

/** What is left of a seeded cluster: its row, its workloads, and their recommendations and usage rows. */
export const remainsOf = (cluster: SeededCluster) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const [row] = yield* sql<{ clusters: number; workloads: number; recommendations: number; metrics: number }>`
      SELECT
        (SELECT count(*)::int FROM clusters WHERE id = ${cluster.clusterId}) AS clusters,
        (SELECT count(*)::int FROM workloads WHERE cluster_id = ${cluster.clusterId}) AS workloads,
        (SELECT count(*)::int FROM recommendation_sets r JOIN workloads w ON w.id = r.workload_id
          WHERE w.cluster_id = ${cluster.clusterId}) AS recommendations,
        (SELECT count(*)::int FROM workload_metrics m JOIN workloads w ON w.id = m.workload_id
          WHERE w.cluster_id = ${cluster.clusterId}) AS metrics`
    return row ?? { clusters: 0, workloads: 0, recommendations: 0, metrics: 0 }
  }).pipe(Effect.orDie)

/** Whether the cluster row is still there. */
export const clusterExists = (cluster: SeededCluster) =>
  Effect.map(remainsOf(cluster), (remains) => remains.clusters === 1)

/** Creates each experiment in the engine as the processor does (201 expected). */
export const createExperiments = (engineUrl: string, orgId: string, names: ReadonlyArray<string>) =>
  Effect.forEach(names, (name) =>
    engineCall(engineUrl, "POST", "/createExperiment", [
      containerExperimentJson({ experiment_name: name, cluster_name: `${orgId};${name.split("|")[2]}` })
    ]).pipe(
      Effect.flatMap((answer) =>
        answer.status === 201 ? Effect.void : Effect.dieMessage(`experiment ${name} not created: ${answer.text}`)
      )
    )
  )

/** The experiments of `names` the engine still lists. */
export const experimentsLeft = (engineUrl: string, names: ReadonlyArray<string>) =>
  Effect.filter(names, (name) =>
    engineCall(engineUrl, "GET", `/listExperiments?experiment_name=${encodeURIComponent(name)}`).pipe(
      Effect.map((answer) => answer.status === 200 && Array.isArray(answer.body) && answer.body.length === 1)
    )
  )

export interface DestroyEvent {
  readonly orgId: string
  readonly sourceId: string
  readonly applicationTypeId: number
  /** Default Application.destroy. */
  readonly eventType?: string
  /** Default: the event as the Sources API writes it. */
  readonly text?: string
  /** Default: the org's headers as the Sources API writes them. */
  readonly headers?: Record<string, string>
}

/** Publishes a source event as the Sources API does (key = org id, so an org's events stay in order). */
export const publishEvent = (topic: string, event: DestroyEvent) =>
  Effect.gen(function* () {
    const kafka = yield* Kafka
    const identity = makeIdentityHeader({ orgId: event.orgId })
    const text =
      event.text ??
      JSON.stringify({
        id: Math.floor(Math.random() * 1_000_000),
        source_id: Number(event.sourceId),
        application_type_id: event.applicationTypeId,
        tenant: ""
      })
    yield* kafka.send([
      {
        topic,
        key: event.orgId,
        value: text,
        headers: event.headers ?? {
          "x-rh-sources-org-id": event.orgId,
          "x-rh-identity": identity,
          event_type: event.eventType ?? "Application.destroy",
          encoding: "json"
        }
      }
    ])
  }).pipe(Effect.orDie)

/** Waits (60 s at most) until `condition` holds on the real servers. */
export const eventually = <E, R>(what: string, condition: Effect.Effect<boolean, E, R>) =>
  condition.pipe(
    Effect.filterOrFail(
      (holds) => holds,
      () => "not yet" as const
    ),
    Effect.retry(Schedule.spaced("200 millis")),
    Effect.timeoutFail({ duration: "60 seconds", onTimeout: () => new Error(`timed out waiting: ${what}`) }),
    Effect.orDie,
    Effect.asVoid
  )
