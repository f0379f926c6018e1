/**
 * How the engine stores results, on the real database: one row per experiment and day of interval_end
 * (`kruize_result_days`), read back whole when an experiment wakes up, so a restart finds every duplicate
 * and computes the same recommendation; retention drops whole days and trims the day that holds the cut;
 * results stored one row each by earlier versions are converted by migration 3.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { engineExperimentLayer } from "../../../actors/EngineExperimentLive.js"
import { WindowBudget } from "../../../src/recommender/WindowBudget.js"
import { call, engineOn } from "../../support/engineHarness.js"
import {
  containerExperimentJson,
  containerExperimentName,
  containerRecord,
  iso,
  minutes,
  rosProfileJson,
  t0
} from "../../support/kruizeFixtures.js"
import { onDatabase, scratchDatabaseName } from "../../support/scratchDatabase.js"

interface Answer {
  readonly message: string
  readonly data?: ReadonlyArray<{
    readonly interval_end_time: string
    readonly errors: ReadonlyArray<{ readonly message: string; readonly httpcode: number }>
  }>
}

const records = (indexes: ReadonlyArray<number>) => indexes.map((i) => containerRecord(i))
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)
/** interval_end of `containerRecord(i)` */
const endOf = (i: number) => iso(t0 + minutes(15 * (i + 1)))

interface DayRow {
  readonly day: string
  readonly first_end: string
  readonly last_end: string
  /** The interval ends of the day's entries, in stored order (part after part). */
  readonly ends: ReadonlyArray<string>
  /** Rows of the day: one per chunk that brought results ending that day. */
  readonly parts: number
}

const timestampText = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`

/** The stored results by day. */
const dayRows = (database: string) =>
  onDatabase(
    database,
    (sql) => sql<DayRow>`
      SELECT to_char(d.day, 'YYYY-MM-DD') AS day,
             to_char(min(d.first_end) AT TIME ZONE 'UTC', ${sql.literal(timestampText)}) AS first_end,
             to_char(max(d.last_end) AT TIME ZONE 'UTC', ${sql.literal(timestampText)}) AS last_end,
             (SELECT array_agg(to_char(to_timestamp((e ->> 1)::bigint / 1000.0) AT TIME ZONE 'UTC',
                                       ${sql.literal(timestampText)}) ORDER BY p.part, n)
              FROM kruize_result_days p
              CROSS JOIN LATERAL json_array_elements(('[' || p.entries || ']')::json) WITH ORDINALITY AS x(e, n)
              WHERE p.experiment_name = d.experiment_name AND p.day = d.day) AS ends,
             count(*)::int AS parts
      FROM kruize_result_days d GROUP BY d.experiment_name, d.day ORDER BY d.day`
  )

/** The days without their part counts, which a migration from one row per day does not keep. */
const withoutParts = (rows: ReadonlyArray<DayRow>) => rows.map(({ parts: _, ...day }) => day)

const recommendationQuery = (endIndex: number) =>
  `/updateRecommendations?experiment_name=${encodeURIComponent(containerExperimentName)}&interval_end_time=${endOf(endIndex)}`

/** An engine on `database`, started and stopped as the test says. */
const engineAt = (database: string) =>
  Effect.gen(function* () {
    const engine = yield* engineOn(database)
    let running: Scope.CloseableScope | undefined
    const start = Effect.gen(function* () {
      running = yield* engine.start
    })
    const stop = Effect.suspend(() => (running === undefined ? Effect.void : Scope.close(running, Exit.void)))
    yield* Effect.addFinalizer(() => stop)
    return { url: engine.url, start, stop }
  })

/** A fresh database and a started engine holding the ROS profile and the fixtures' container experiment. */
const engineWithExperiment = Effect.gen(function* () {
  const database = yield* scratchDatabaseName("kruize_test")
  const engine = yield* engineAt(database)
  yield* engine.start
  yield* call(engine.url, "POST", "/createPerformanceProfile", rosProfileJson)
  yield* call(engine.url, "POST", "/createExperiment", [containerExperimentJson()])
  return { database, engine }
})

/** The recommender role with a window budget of `limit` intervals, started for the test's scope. */
const engineWithBudget = (database: string, limit: number) =>
  Effect.gen(function* () {
    const engine = yield* engineOn(database, {}, engineExperimentLayer(Effect.sync(() => new WindowBudget(limit))))
    const running = yield* engine.start
    yield* Effect.addFinalizer(() => Scope.close(running, Exit.void))
    return engine.url
  })

const duplicatesIn = (answer: { readonly body: unknown }) =>
  ((answer.body as Answer).data ?? [])
    .filter((d) => d.errors[0]?.httpcode === 409)
    .map((d) => d.interval_end_time)
    .sort()

describe("result storage", () => {
  it.live("keeps a chunk as one row per day and reads it back whole after a restart", () =>
    Effect.gen(function* () {
      const { database, engine } = yield* engineWithExperiment
      // 100 intervals from 2026-06-01 10:00: 55 end on June 1st, 45 on June 2nd (from midnight on).
      const saved = yield* call(engine.url, "POST", "/updateResults", records(range(0, 100)))
      expect(saved.status).toBe(201)
      const rows = yield* dayRows(database)
      expect(rows.map((r) => [r.day, r.ends.length, r.first_end, r.last_end])).toEqual([
        ["2026-06-01", 55, endOf(0), endOf(54)],
        ["2026-06-02", 45, endOf(55), endOf(99)]
      ])
      expect(rows.flatMap((r) => r.ends)).toEqual(range(0, 100).map(endOf))
      const before = yield* call(engine.url, "POST", recommendationQuery(99))
      expect(before.status).toBe(201)

      yield* engine.stop
      yield* engine.start
      // Overlapping chunk: the first five are stored already, the next five are new.
      const overlap = yield* call(engine.url, "POST", "/updateResults", records(range(95, 10)))
      expect(overlap.status).toBe(400)
      expect((overlap.body as Answer).message).toBe("Out of a total of 10 records, 5 failed to save")
      expect(duplicatesIn(overlap)).toEqual(range(95, 5).map(endOf))
      expect((overlap.body as Answer).data?.[0]?.errors[0]?.message).toBe("An entry for this record already exists!")
      const after = yield* call(engine.url, "POST", recommendationQuery(99))
      expect(after.text).toBe(before.text)
      // The five new ones are a part of their own: the day's stored results are not rewritten.
      expect((yield* dayRows(database)).map((r) => [r.ends.length, r.parts])).toEqual([
        [55, 1],
        [50, 2]
      ])

      // The same chunk again, now without a restart: every record is a duplicate.
      const again = yield* call(engine.url, "POST", "/updateResults", records(range(95, 10)))
      expect(duplicatesIn(again)).toEqual(range(95, 10).map(endOf))
    }).pipe(Effect.scoped)
  )

  it.live("retention drops whole days, trims the day of the cut, and a restart sees the same set", () =>
    Effect.gen(function* () {
      const { database, engine } = yield* engineWithExperiment
      // June 1st 10:15 and 10:30; June 2nd 01:15, 01:30 and 11:15.
      expect((yield* call(engine.url, "POST", "/updateResults", records([0, 1, 60, 61, 100]))).status).toBe(201)
      // Ends June 17th 01:30: the cut is June 2nd 01:30, kept itself.
      expect((yield* call(engine.url, "POST", "/updateResults", records([1501]))).status).toBe(201)
      const expected = [
        ["2026-06-02", endOf(61), endOf(100), [endOf(61), endOf(100)]],
        ["2026-06-17", endOf(1501), endOf(1501), [endOf(1501)]]
      ]
      const rows = yield* dayRows(database)
      expect(rows.map((r) => [r.day, r.first_end, r.last_end, r.ends])).toEqual(expected)
      const recommendation = yield* call(engine.url, "POST", recommendationQuery(1501))
      expect(recommendation.status).toBe(201)

      yield* engine.stop
      yield* engine.start
      // What retention dropped is no longer a duplicate; what it kept still is.
      const mixed = yield* call(engine.url, "POST", "/updateResults", records([1, 60, 61, 100]))
      expect(duplicatesIn(mixed)).toEqual([endOf(61), endOf(100)])
      expect((yield* call(engine.url, "POST", recommendationQuery(1501))).text).toBe(recommendation.text)
      // The old ones were saved, out of the window, until the latest end moves on.
      yield* engine.stop
      yield* engine.start
      const stale = yield* call(engine.url, "POST", "/updateResults", records([1, 60]))
      expect(duplicatesIn(stale)).toEqual([endOf(1), endOf(60)])
      expect((yield* call(engine.url, "POST", "/updateResults", records([1502]))).status).toBe(201)
      // Now the cut is June 2nd 01:45: June 1st goes, and June 2nd keeps 11:15 only.
      expect((yield* dayRows(database)).map((r) => [r.day, r.first_end, r.ends])).toEqual([
        ["2026-06-02", endOf(100), [endOf(100)]],
        ["2026-06-17", endOf(1501), [endOf(1501), endOf(1502)]]
      ])
    }).pipe(Effect.scoped)
  )

  it.live("lists stored results through listExperiments", () =>
    Effect.gen(function* () {
      const { engine } = yield* engineWithExperiment
      yield* call(engine.url, "POST", "/updateResults", records([0, 1, 2]))
      const listed = yield* call(engine.url, "GET", "/listExperiments?rm=true&results=true&latest=false")
      expect(listed.status).toBe(200)
      const [experiment] = listed.body as ReadonlyArray<{
        kubernetes_objects: ReadonlyArray<{
          containers: Record<string, { results: Record<string, { interval_end_time: string }> }>
        }>
      }>
      const results = experiment?.kubernetes_objects[0]?.containers.app?.results ?? {}
      expect(Object.keys(results).sort()).toEqual([endOf(0), endOf(1), endOf(2)])
    }).pipe(Effect.scoped)
  )

  it.live("migration 3 converts results stored one row each", () =>
    Effect.gen(function* () {
      const { database, engine } = yield* engineWithExperiment
      yield* call(engine.url, "POST", "/updateResults", records(range(0, 100)))
      yield* call(engine.url, "POST", "/updateResults", records(range(100, 60)))
      const recommendation = yield* call(engine.url, "POST", recommendationQuery(159))
      const rowsBefore = yield* dayRows(database)
      yield* engine.stop

      // Back to the layout of migrations 1–2: a table of one row per result (what the view shows), in an
      // order unlike the original one.
      yield* onDatabase(database, (sql) =>
        Effect.gen(function* () {
          yield* sql`CREATE TABLE results_v2 AS SELECT * FROM kruize_results ORDER BY interval_end_time DESC`
          yield* sql`DROP VIEW kruize_results`
          yield* sql`DROP TABLE kruize_result_days`
          yield* sql`ALTER TABLE results_v2 RENAME TO kruize_results`
          yield* sql`ALTER TABLE kruize_results ADD PRIMARY KEY (experiment_name, interval_end_time, interval_start_time)`
          yield* sql`DELETE FROM ros_ocp_migrations WHERE migration_id >= 3`
        })
      )
      const columns = yield* onDatabase(
        database,
        (sql) => sql<{ column_name: string; data_type: string }>`
          SELECT column_name, data_type FROM information_schema.columns
          WHERE table_name = 'kruize_results' ORDER BY ordinal_position`
      )
      expect(columns.map((c) => `${c.column_name} ${c.data_type}`)).toEqual([
        "experiment_name text",
        "interval_start_time timestamp with time zone",
        "interval_end_time timestamp with time zone",
        "cluster_name text",
        "duration_minutes double precision",
        "version text",
        "extended_data json",
        "meta_data jsonb"
      ])

      yield* engine.start
      expect(withoutParts(yield* dayRows(database))).toEqual(withoutParts(rowsBefore))
      const duplicates = yield* call(engine.url, "POST", "/updateResults", records([0, 99, 159]))
      expect(duplicatesIn(duplicates)).toEqual([endOf(0), endOf(99), endOf(159)])
      expect((yield* call(engine.url, "POST", recommendationQuery(159))).text).toBe(recommendation.text)
      // A chunk after the migration is a part of its own, read after the day's converted row.
      expect((yield* call(engine.url, "POST", "/updateResults", records(range(160, 3)))).status).toBe(201)
      const last = (yield* dayRows(database)).at(-1)
      expect(last?.parts).toBe(2)
      expect(last?.ends.slice(-4)).toEqual(range(159, 4).map(endOf))
    }).pipe(Effect.scoped)
  )

  it.live("reads back the intervals the window budget dropped", () =>
    Effect.gen(function* () {
      const database = yield* scratchDatabaseName("kruize_test")
      // Room for one experiment's 200 intervals, not two.
      const url = yield* engineWithBudget(database, 300)
      yield* call(url, "POST", "/createPerformanceProfile", rosProfileJson)
      const other = "7654321|3|9b1c5e2a|shop|deployment|backend"
      yield* call(url, "POST", "/createExperiment", [containerExperimentJson()])
      yield* call(url, "POST", "/createExperiment", [
        containerExperimentJson({
          experiment_name: other,
          kubernetes_objects: [
            {
              type: "deployment",
              name: "backend",
              namespace: "shop",
              containers: [{ container_image_name: "img", container_name: "app" }]
            }
          ]
        })
      ])
      const otherRecords = range(0, 200).map((i) => ({
        ...containerRecord(i),
        experiment_name: other,
        kubernetes_objects: [{ ...containerRecord(i).kubernetes_objects[0], name: "backend" }]
      }))
      yield* call(url, "POST", "/updateResults", records(range(0, 100)))
      yield* call(url, "POST", "/updateResults", records(range(100, 100)))
      expect((yield* call(url, "POST", "/updateResults", otherRecords.slice(0, 100))).status).toBe(201)
      expect((yield* call(url, "POST", "/updateResults", otherRecords.slice(100))).status).toBe(201)

      const first = yield* call(url, "POST", recommendationQuery(199))
      expect(first.status).toBe(201)
      const otherQuery = `/updateRecommendations?experiment_name=${encodeURIComponent(other)}&interval_end_time=${endOf(199)}`
      // The other experiment's window takes the budget: this one keeps its keys only, and still finds duplicates.
      expect((yield* call(url, "POST", otherQuery)).status).toBe(201)
      const duplicate = yield* call(url, "POST", "/updateResults", records([150, 200]))
      expect(duplicatesIn(duplicate)).toEqual([endOf(150)])
      // Read back from the rows, with the result added meanwhile.
      expect((yield* call(url, "POST", recommendationQuery(199))).text).toBe(first.text)
      const later = yield* call(url, "POST", recommendationQuery(200))
      expect(later.status).toBe(201)
      expect(later.text).toContain(`"${endOf(200)}"`)
    }).pipe(Effect.scoped)
  )
})
