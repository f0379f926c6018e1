/**
 * Every SQL statement of the recommendation engine (database `kruize`, tables of kruize.md §5, with the
 * results kept per experiment, day and arriving chunk in `kruize_result_days`). Rows are decoded with Schema
 * on the way out; JSON columns hold the engine's own encodings (ExperimentDefinition, StoredResultCodec's
 * entries, StoredRecommendations).
 */
import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Either, Option, Schema } from "effect"
import { ExperimentDefinition } from "../../schema/kruize/Experiment.js"
import { type PerformanceProfile, Slo } from "../../schema/kruize/PerformanceProfile.js"
import { Recommendations } from "../../schema/kruize/Recommendation.js"
import { MS_PER_DAY } from "./algorithm/Constants.js"
import { decodeEntries, encodeEntry, type StoredEntry } from "./StoredResultCodec.js"

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

const ActivationRow = Schema.Struct({ ...ExperimentRow.fields, entries: Schema.NullOr(Schema.String) })

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

/** A result to store: `duration_minutes`, `version` and `cluster_name` follow from it and its experiment. */
export type ResultToStore = StoredEntry

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

    /**
     * Stores accepted results as a new part of each day they end in (UTC day of interval_end) and marks the
     * experiment updated, in one statement. The caller has checked that none of them is stored already.
     */
    const appendResults = Effect.fn("EngineRepo.appendResults")(function* (
      experimentName: string,
      results: ReadonlyArray<ResultToStore>
    ) {
      if (results.length === 0) return
      const days = new Map<number, { entries: Array<string>; first: number; last: number }>()
      for (const r of results) {
        const day = Math.floor(r.endMs / MS_PER_DAY)
        const row = days.get(day)
        const entry = encodeEntry(r.startMs, r.endMs, r.intervals)
        if (row === undefined) days.set(day, { entries: [entry], first: r.endMs, last: r.endMs })
        else {
          row.entries.push(entry)
          if (r.endMs < row.first) row.first = r.endMs
          if (r.endMs > row.last) row.last = r.endMs
        }
      }
      yield* sql`
        WITH touched AS (UPDATE kruize_experiments SET update_date = now() WHERE experiment_name = ${experimentName})
        INSERT INTO kruize_result_days ${sql.insert(
          [...days].map(([day, row]) => ({
            experiment_name: experimentName,
            day: iso(day * MS_PER_DAY).slice(0, 10),
            first_end: iso(row.first),
            last_end: iso(row.last),
            entries: row.entries.join(",")
          }))
        )}`
    })

    // Every stored result of an experiment, as one text: its parts joined in day and arrival order.
    const entriesOf = (name: string) =>
      sql`SELECT string_agg(entries, ',' ORDER BY day, part) AS entries FROM kruize_result_days WHERE experiment_name = ${name}`

    const decodeStored = (entries: string | null) =>
      entries === null ? Either.right<ReadonlyArray<StoredEntry>>([]) : decodeEntries(entries)

    const activationRow = SqlSchema.findOne({
      Request: Schema.String,
      Result: ActivationRow,
      execute: (name) =>
        sql`SELECT experiment_id, extended_data, creation_date, update_date, (${entriesOf(name)}) AS entries
            FROM kruize_experiments WHERE experiment_name = ${name}`
    })

    /** The experiment with every result stored for it, in the order they were accepted within a day. */
    const loadExperiment = Effect.fn("EngineRepo.loadExperiment")(function* (name: string) {
      const row = yield* activationRow(name)
      if (Option.isNone(row)) return Option.none()
      const results = yield* decodeStored(row.value.entries)
      return Option.some({ experiment: toStoredExperiment(row.value), results })
    })

    const entriesRow = SqlSchema.single({
      Request: Schema.String,
      Result: Schema.Struct({ entries: Schema.NullOr(Schema.String) }),
      execute: (name) => entriesOf(name)
    })

    /** Every stored result of an experiment, in the order they were accepted within a day. */
    const loadResults = Effect.fn("EngineRepo.loadResults")(function* (name: string) {
      return yield* decodeStored((yield* entriesRow(name)).entries)
    })

    /** The results of the last `spanDays` days of interval_end. */
    const loadWindow = Effect.fn("EngineRepo.loadWindow")(function* (name: string, spanDays: number) {
      const all = yield* loadResults(name)
      let latest = Number.NEGATIVE_INFINITY
      for (const r of all) if (r.endMs > latest) latest = r.endMs
      const from = latest - spanDays * MS_PER_DAY
      return all.filter((r) => r.endMs >= from)
    })

    /**
     * Retention: the results whose interval ends before `beforeMs` are deleted, whole parts at once and
     * one by one in the parts that hold the cut.
     */
    const pruneResults = Effect.fn("EngineRepo.pruneResults")(function* (name: string, beforeMs: number) {
      const cut = iso(beforeMs)
      yield* sql`
        WITH gone AS (DELETE FROM kruize_result_days WHERE experiment_name = ${name} AND last_end < ${cut})
        UPDATE kruize_result_days d SET entries = kept.entries, first_end = kept.first_end
        FROM (SELECT s.day, s.part,
                     string_agg(e.value::text, ',' ORDER BY e.n) AS entries,
                     to_timestamp(min((e.value ->> 1)::bigint) / 1000.0) AS first_end
              FROM kruize_result_days s
              CROSS JOIN LATERAL json_array_elements(('[' || s.entries || ']')::json) WITH ORDINALITY AS e(value, n)
              WHERE s.experiment_name = ${name} AND s.first_end < ${cut} AND s.last_end >= ${cut}
                AND (e.value ->> 1)::bigint >= ${beforeMs}
              GROUP BY s.day, s.part) kept
        WHERE d.experiment_name = ${name} AND d.day = kept.day AND d.part = kept.part`
    })

    /**
     * Merges one monitoring end time's containers into the stored row. `containersJson` is the JSON of the
     * `containers` object of StoredRecommendations, already written by the caller (which compares it with what it
     * stored last).
     */
    const upsertRecommendations = Effect.fn("EngineRepo.upsertRecommendations")(function* (
      name: string,
      clusterName: string | undefined,
      endMs: number,
      containersJson: string
    ) {
      const payload = `{"containers":${containersJson}}`
      // Derived data, recomputed exactly from the stored results at the same time, so its commit does not wait
      // for the WAL flush: a crash of PostgreSQL itself may forget the last fraction of a second of these rows,
      // and the next updateRecommendations writes them again. Results are committed synchronously.
      yield* sql`
        INSERT INTO kruize_recommendations (experiment_name, interval_end_time, cluster_name, version, extended_data)
        SELECT ${name}, ${iso(endMs)}, ${clusterName ?? null}, '1.0', ${payload}::jsonb
        FROM (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit
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
      appendResults,
      loadExperiment,
      loadResults,
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
