/**
 * Every SQL statement of the recommendation engine (database `kruize`, tables of kruize.md §5).
 * Rows are decoded with Schema on the way out; JSON columns hold the engine's own encodings
 * (ExperimentDefinition, StoredResult, StoredRecommendations).
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Either, Option, Schema } from "effect"
import { ExperimentDefinition } from "../../schema/kruize/Experiment.js"
import { type PerformanceProfile, Slo } from "../../schema/kruize/PerformanceProfile.js"
import { Recommendations } from "../../schema/kruize/Recommendation.js"
import type { StoredResult } from "../../schema/kruize/StoredResult.js"
import { decodeStoredResult } from "./StoredResultCodec.js"

/** The recommendations of one experiment at one monitoring end time, by container (or namespace). */
export const StoredRecommendations = Schema.Struct({
  containers: Schema.Record({
    key: Schema.String,
    value: Schema.Struct({ image: Schema.optional(Schema.String), recommendations: Recommendations })
  })
})
export type StoredRecommendations = typeof StoredRecommendations.Type

const ExperimentRow = Schema.Struct({
  experiment_id: Schema.String,
  extended_data: ExperimentDefinition,
  creation_date: Schema.DateFromSelf,
  update_date: Schema.DateFromSelf
})

export interface StoredExperiment {
  readonly experimentId: string
  readonly definition: ExperimentDefinition
  readonly creationMs: number
  readonly updateMs: number
}

const toStoredExperiment = (row: typeof ExperimentRow.Type): StoredExperiment => ({
  experimentId: row.experiment_id,
  definition: row.extended_data,
  creationMs: row.creation_date.getTime(),
  updateMs: row.update_date.getTime()
})

// [start ms, end ms, extended_data]; the content is checked by decodeStoredResult, row by row.
const WindowTuples = Schema.Array(Schema.Tuple(Schema.Number, Schema.Number, Schema.Unknown))

const ExperimentRecommendationRow = Schema.Struct({
  experiment_name: Schema.String,
  interval_end_time: Schema.NullOr(Schema.DateFromSelf),
  extended_data: Schema.NullOr(StoredRecommendations)
})

const ProfileRow = Schema.Struct({
  name: Schema.String,
  k8s_type: Schema.NullOr(Schema.String),
  profile_version: Schema.Number,
  slo: Slo
})

const toProfile = (row: typeof ProfileRow.Type): PerformanceProfile => ({
  name: row.name,
  profile_version: row.profile_version,
  ...(row.k8s_type === null ? {} : { k8s_type: row.k8s_type }),
  slo: row.slo
})

export interface ResultToStore {
  readonly startMs: number
  readonly endMs: number
  readonly durationMinutes: number
  readonly version: string | undefined
  readonly stored: StoredResult
}

export interface LoadedResult {
  readonly startMs: number
  readonly endMs: number
  readonly stored: StoredResult
}

const iso = (ms: number) => new Date(ms).toISOString()
const json = (value: unknown) => JSON.stringify(value)

export class EngineRepo extends Effect.Service<EngineRepo>()("ros/EngineRepo", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const encodeDefinition = Schema.encodeSync(ExperimentDefinition)
    // StoredResult and StoredRecommendations encode to themselves (plain numbers and strings), so on the
    // hot write path they are serialized directly; reading them back goes through their schemas.

    const findExperimentRow = SqlSchema.findOne({
      Request: Schema.String,
      Result: ExperimentRow,
      execute: (name) =>
        sql`SELECT experiment_id, extended_data, creation_date, update_date
            FROM kruize_experiments WHERE experiment_name = ${name}`
    })

    const findExperiment = Effect.fn("EngineRepo.findExperiment")(function* (name: string) {
      return Option.map(yield* findExperimentRow(name), toStoredExperiment)
    })

    const allExperiments = SqlSchema.findAll({
      Request: Schema.Void,
      Result: ExperimentRow,
      execute: () =>
        sql`SELECT experiment_id, extended_data, creation_date, update_date
            FROM kruize_experiments ORDER BY experiment_name`
    })

    const listExperiments = Effect.fn("EngineRepo.listExperiments")(function* () {
      return (yield* allExperiments(undefined)).map(toStoredExperiment)
    })

    /** False when the name is taken (the unique constraint decides, so concurrent creates cannot both win). */
    const insertExperiment = Effect.fn("EngineRepo.insertExperiment")(function* (
      experimentId: string,
      definition: ExperimentDefinition
    ) {
      const rows = yield* sql`
        INSERT INTO kruize_experiments (experiment_id, version, experiment_name, cluster_name, mode, target_cluster,
          performance_profile, extended_data, experiment_type)
        VALUES (${experimentId}, ${definition.version ?? null}, ${definition.experimentName},
          ${definition.clusterName ?? null}, ${definition.mode}, ${definition.targetCluster},
          ${definition.performanceProfile}, ${json(encodeDefinition(definition))}::jsonb,
          ${definition.experimentType === "namespace" ? 8 : 1})
        ON CONFLICT (experiment_name) DO NOTHING
        RETURNING experiment_id`
      return rows.length === 1
    })

    /** Results and recommendations go with it (ON DELETE CASCADE). */
    const deleteExperiment = Effect.fn("EngineRepo.deleteExperiment")(function* (name: string) {
      const rows = yield* sql`DELETE FROM kruize_experiments WHERE experiment_name = ${name} RETURNING experiment_id`
      return rows.length === 1
    })

    /** Inserts what is new; returns the primary keys (`end|start`) that were already stored. */
    const insertResults = Effect.fn("EngineRepo.insertResults")(function* (
      experimentName: string,
      clusterName: string | undefined,
      results: ReadonlyArray<ResultToStore>
    ) {
      if (results.length === 0) return new Set<string>()
      const inserted = yield* sql<{ start_ms: string; end_ms: string }>`
        INSERT INTO kruize_results ${sql.insert(
          results.map((r) => ({
            experiment_name: experimentName,
            interval_start_time: iso(r.startMs),
            interval_end_time: iso(r.endMs),
            cluster_name: clusterName ?? null,
            duration_minutes: r.durationMinutes,
            version: r.version ?? null,
            extended_data: json(r.stored)
          }))
        )}
        ON CONFLICT DO NOTHING
        RETURNING (extract(epoch FROM interval_start_time) * 1000)::bigint::text AS start_ms,
                  (extract(epoch FROM interval_end_time) * 1000)::bigint::text AS end_ms`
      const fresh = new Set(inserted.map((r) => `${r.end_ms}|${r.start_ms}`))
      if (fresh.size > 0) {
        yield* sql`UPDATE kruize_experiments SET update_date = now() WHERE experiment_name = ${experimentName}`
      }
      return new Set(results.map((r) => `${r.endMs}|${r.startMs}`).filter((key) => !fresh.has(key)))
    })

    // One row holding the whole window as JSON text: parsing one document is much cheaper than 1,440 rows
    // with their timestamps, and activation reads this for every experiment that wakes up.
    const windowDocument = SqlSchema.single({
      Request: Schema.Struct({ name: Schema.String, spanDays: Schema.Number }),
      Result: Schema.Struct({ window: Schema.parseJson(WindowTuples) }),
      execute: ({ name, spanDays }) =>
        sql`SELECT coalesce(json_agg(json_build_array(
                     (extract(epoch FROM interval_start_time) * 1000)::bigint,
                     (extract(epoch FROM interval_end_time) * 1000)::bigint,
                     extended_data))::text, '[]') AS window
            FROM kruize_results
            WHERE experiment_name = ${name}
              AND interval_end_time >= (SELECT max(interval_end_time) FROM kruize_results WHERE experiment_name = ${name})
                                       - make_interval(days => ${spanDays})`
    })

    /** The results of the last `spanDays` days of interval_end. */
    const loadWindow = Effect.fn("EngineRepo.loadWindow")(function* (name: string, spanDays: number) {
      const { window } = yield* windowDocument({ name, spanDays })
      const loaded: Array<LoadedResult> = []
      for (const [startMs, endMs, content] of window) {
        const stored = decodeStoredResult(content)
        if (Either.isLeft(stored)) return yield* stored.left
        loaded.push({ startMs, endMs, stored: stored.right })
      }
      return loaded
    })

    /** Retention: results whose interval ends before `beforeMs` are deleted. */
    const pruneResults = Effect.fn("EngineRepo.pruneResults")(function* (name: string, beforeMs: number) {
      yield* sql`DELETE FROM kruize_results WHERE experiment_name = ${name} AND interval_end_time < ${iso(beforeMs)}`
    })

    /** Adds or replaces the recommendations of the given containers at one monitoring end time. */
    const upsertRecommendations = Effect.fn("EngineRepo.upsertRecommendations")(function* (
      name: string,
      clusterName: string | undefined,
      endMs: number,
      recommendations: StoredRecommendations
    ) {
      const payload = json(recommendations)
      yield* sql`
        INSERT INTO kruize_recommendations (experiment_name, interval_end_time, cluster_name, version, extended_data)
        VALUES (${name}, ${iso(endMs)}, ${clusterName ?? null}, '1.0', ${payload}::jsonb)
        ON CONFLICT (experiment_name, interval_end_time) DO UPDATE SET extended_data = jsonb_build_object(
          'containers',
          (kruize_recommendations.extended_data -> 'containers') || (EXCLUDED.extended_data -> 'containers'))`
    })

    const recommendationRows = SqlSchema.findAll({
      Request: Schema.Array(Schema.String),
      Result: ExperimentRecommendationRow,
      execute: (names) =>
        names.length === 0
          ? sql`SELECT e.experiment_name, r.interval_end_time, r.extended_data
                FROM kruize_experiments e
                LEFT JOIN kruize_recommendations r ON r.experiment_name = e.experiment_name
                ORDER BY e.experiment_name, r.interval_end_time`
          : sql`SELECT e.experiment_name, r.interval_end_time, r.extended_data
                FROM kruize_experiments e
                LEFT JOIN kruize_recommendations r ON r.experiment_name = e.experiment_name
                WHERE ${sql.in("e.experiment_name", names)}
                ORDER BY e.experiment_name, r.interval_end_time`
    })

    /** Stored recommendations by experiment (all experiments when `names` is empty), oldest first. */
    const loadRecommendations = Effect.fn("EngineRepo.loadRecommendations")(function* (names: ReadonlyArray<string>) {
      const out = new Map<string, Array<{ readonly endMs: number; readonly stored: StoredRecommendations }>>()
      for (const row of yield* recommendationRows(names)) {
        const list = out.get(row.experiment_name) ?? []
        if (row.interval_end_time !== null && row.extended_data !== null) {
          list.push({ endMs: row.interval_end_time.getTime(), stored: row.extended_data })
        }
        out.set(row.experiment_name, list)
      }
      return out as ReadonlyMap<
        string,
        ReadonlyArray<{ readonly endMs: number; readonly stored: StoredRecommendations }>
      >
    })

    const profileRows = SqlSchema.findAll({
      Request: Schema.Void,
      Result: ProfileRow,
      execute: () => sql`SELECT name, k8s_type, profile_version, slo FROM kruize_performance_profiles ORDER BY name`
    })

    const listProfiles = Effect.fn("EngineRepo.listProfiles")(function* () {
      return (yield* profileRows(undefined)).map(toProfile)
    })

    const findProfileRow = SqlSchema.findOne({
      Request: Schema.String,
      Result: ProfileRow,
      execute: (name) =>
        sql`SELECT name, k8s_type, profile_version, slo FROM kruize_performance_profiles WHERE name = ${name}`
    })

    const findProfile = Effect.fn("EngineRepo.findProfile")(function* (name: string) {
      return Option.map(yield* findProfileRow(name), toProfile)
    })

    const encodeSlo = Schema.encodeSync(Slo)

    /** False when a profile of that name exists. */
    const insertProfile = Effect.fn("EngineRepo.insertProfile")(function* (profile: PerformanceProfile) {
      const rows = yield* sql`
        INSERT INTO kruize_performance_profiles (name, k8s_type, profile_version, slo)
        VALUES (${profile.name}, ${profile.k8s_type ?? null}, ${profile.profile_version}, ${json(encodeSlo(profile.slo))}::jsonb)
        ON CONFLICT (name) DO NOTHING
        RETURNING name`
      return rows.length === 1
    })

    const updateProfile = Effect.fn("EngineRepo.updateProfile")(function* (profile: PerformanceProfile) {
      yield* sql`
        UPDATE kruize_performance_profiles
        SET k8s_type = ${profile.k8s_type ?? null}, profile_version = ${profile.profile_version},
            slo = ${json(encodeSlo(profile.slo))}::jsonb
        WHERE name = ${profile.name}`
    })

    const deleteProfile = Effect.fn("EngineRepo.deleteProfile")(function* (name: string) {
      yield* sql`DELETE FROM kruize_performance_profiles WHERE name = ${name}`
    })

    const experimentsUsingProfile = Effect.fn("EngineRepo.experimentsUsingProfile")(function* (name: string) {
      const rows = yield* sql<{ n: string }>`
        SELECT count(*)::text AS n FROM kruize_experiments WHERE performance_profile = ${name}`
      return Number(rows[0]?.n ?? "0")
    })

    return {
      findExperiment,
      listExperiments,
      insertExperiment,
      deleteExperiment,
      insertResults,
      loadWindow,
      pruneResults,
      upsertRecommendations,
      loadRecommendations,
      listProfiles,
      findProfile,
      insertProfile,
      updateProfile,
      deleteProfile,
      experimentsUsingProfile
    } as const
  })
}) {}
