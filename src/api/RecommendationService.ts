/**
 * What each endpoint of the ROS API does, once its middleware has resolved the caller: parse the request, read the
 * caller's rows, show them (units, percentages, notices) and wrap them in upstream's envelope, or stream them as CSV.
 * A database that does not answer is a 503 (upstream's message); everything else a client sends is a 4xx.
 */
import { HttpServerResponse } from "@effect/platform"
import type { SqlError } from "@effect/sql/SqlError"
import { Chunk, Clock, Effect, Metric, Option, type Schema, Stream } from "effect"
import { databaseUnavailable, RecommendationNotFound } from "../../schema/api/ApiFailure.js"
import type { CollectionLinks, CollectionMeta } from "../../schema/api/Collection.js"
import { ContainerRecommendation, ContainerRecommendationList } from "../../schema/api/ContainerRecommendation.js"
import type {
  ContainerListParameters,
  NamespaceListParameters,
  WorkloadListParameters
} from "../../schema/api/ListParameters.js"
import { NamespaceRecommendation, NamespaceRecommendationList } from "../../schema/api/NamespaceRecommendation.js"
import type { RecommendationDocument } from "../../schema/api/RecommendationDocument.js"
import { type WorkloadSummary, WorkloadSummaryList } from "../../schema/api/WorkloadSummary.js"
import { ApiSettings } from "../services/Settings.js"
import { AnswerCache, answerKey } from "./AnswerCache.js"
import type { Caller } from "./CallerAuth.js"
import { collectionLinks, type QueryEntries } from "./CollectionLinks.js"
import { csvHeader, csvLine, csvRows } from "./CsvExport.js"
import { DataChanges, DataChangesLive } from "./DataChanges.js"
import type { Paging } from "./ListOptions.js"
import {
  parseContainerListQuery,
  parseDetailQuery,
  parseNamespaceListQuery,
  parseWorkloadListQuery
} from "./ListQuery.js"
import {
  type ContainerHead,
  type ContainerRow,
  type NamespaceHead,
  type NamespaceRow,
  RecommendationRepo,
  type StoredDocument,
  type WorkloadRow
} from "./RecommendationRepo.js"
import { showRecommendation } from "./RecommendationView.js"
import { ShownDocumentCache, shownDocumentKey } from "./ShownDocumentCache.js"
import { rfc3339Utc } from "./TimeText.js"
import type { UnitChoice } from "./UnitConversion.js"
import type { UnitParams } from "./UnitOptions.js"
import type { PercentColumns } from "./VariationPercent.js"

/** The parts of the request URL a list answer repeats in its links, and the Accept header. */
export interface RequestTarget {
  readonly path: string
  readonly query: QueryEntries
  readonly accept: string | undefined
}

/** A `to_char` text of the repository (UTC, microseconds) as RFC 3339; "" when the column is null. */
const utc = (text: string | null): string => (text === null ? "" : rfc3339Utc(`${text}Z`))

/** A row carries the 12 stored percent columns under their own names. */
const percentsOf = (row: ContainerHead | NamespaceHead): PercentColumns => row

const containerItem = (row: ContainerHead, recommendations: RecommendationDocument): ContainerRecommendation => ({
  cluster_alias: row.cluster_alias,
  cluster_uuid: row.cluster_uuid,
  container: row.container,
  id: row.id,
  last_reported: utc(row.last_reported),
  project: row.project,
  recommendations,
  source_id: row.source_id,
  workload: row.workload ?? "",
  workload_type: row.workload_type ?? ""
})

const namespaceItem = (row: NamespaceHead, recommendations: RecommendationDocument): NamespaceRecommendation => ({
  cluster_alias: row.cluster_alias,
  cluster_uuid: row.cluster_uuid,
  id: row.id,
  last_reported: utc(row.last_reported),
  project: row.project,
  recommendations,
  source_id: row.source_id
})

const showContainer = (row: ContainerRow, units: UnitChoice, keepPlots: boolean): ContainerRecommendation =>
  containerItem(row, showRecommendation(row.recommendations, { units, keepPlots, percents: percentsOf(row) }))

const showNamespace = (row: NamespaceRow, units: UnitChoice, keepPlots: boolean): NamespaceRecommendation =>
  namespaceItem(row, showRecommendation(row.recommendations, { units, keepPlots, percents: percentsOf(row) }))

/** Shown documents kept per service: about 2-3 KB each, so some tens of MB at most. */
const SHOWN_DOCUMENTS_KEPT = 10_000

/** The longest a kept list answer is given (see AnswerCache). */
const ANSWER_MAX_AGE_MS = 60_000

const showWorkload = (row: WorkloadRow): WorkloadSummary => {
  const containers = row.recommendations.map((summary) => ({
    id: summary.id,
    container: summary.container,
    monitoring_end_time: utc(summary.monitoring_end_time),
    updated_at: utc(summary.updated_at)
  }))
  const latest = containers.reduce<string | undefined>(
    (newest, { monitoring_end_time }) =>
      newest === undefined || monitoring_end_time > newest ? monitoring_end_time : newest,
    undefined
  )
  return {
    id: row.id,
    cluster_alias: row.cluster_alias,
    cluster_uuid: row.cluster_uuid,
    source_id: row.source_id,
    namespace: row.namespace,
    workload_type: row.workload_type ?? "",
    workload: row.workload ?? "",
    containers: row.containers ?? [],
    last_upload: utc(row.last_upload),
    last_reported: utc(row.last_reported),
    recommendations: {
      count: containers.length,
      ...(latest === undefined ? {} : { latest_monitoring_end_time: latest }),
      containers
    }
  }
}

const unavailable = (error: SqlError) =>
  Effect.logWarning(
    "ROS API query failed on the database",
    error.message,
    error.cause instanceof Error ? error.cause.message : String(error.cause)
  ).pipe(Effect.zipRight(Effect.fail(databaseUnavailable())))

const envelope = <A>(target: RequestTarget, paging: Paging, count: number, data: ReadonlyArray<A>) => ({
  data,
  meta: { count, limit: paging.limit, offset: paging.offset },
  links: collectionLinks(target.path, target.query, paging, count)
})

/**
 * `value` as a JSON response. The endpoint's schema documents it and `value` is built to its type; since the schema
 * encodes to the same shape (`Schema<A, A>`), the value is written as it is instead of being validated and encoded
 * again by HttpApi, which was the largest CPU cost of a list response.
 */
const json = <A>(_schema: Schema.Schema<A, A>, value: A) => HttpServerResponse.unsafeJson(value)

/** A list answer: the shape of `collectionOf` in schema/api/Collection.ts. */
interface Collection<A> {
  readonly data: ReadonlyArray<A>
  readonly meta: CollectionMeta
  readonly links: CollectionLinks
}

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

const jsonBytes = (body: Uint8Array) => HttpServerResponse.uint8Array(body, { contentType: "application/json" })

const utf8 = new TextEncoder()

const keptAnswers = Metric.counter("rosocp_api_kept_answers_total", {
  description:
    "List answers by where they came from: kept (hit), made and kept (miss), made while nothing is kept (off)"
})
const keptAnswersBy = {
  hit: keptAnswers.pipe(Metric.tagged("outcome", "hit")),
  miss: keptAnswers.pipe(Metric.tagged("outcome", "miss")),
  off: keptAnswers.pipe(Metric.tagged("outcome", "off"))
}

/** `recommendations-YYYYMMDD.csv`, upstream's file name, for today in UTC. */
const csvFileName = (at: Date) => `recommendations-${at.toISOString().slice(0, 10).replace(/-/g, "")}.csv`

export class RecommendationService extends Effect.Service<RecommendationService>()("ros/api/RecommendationService", {
  effect: Effect.gen(function* () {
    const settings = yield* ApiSettings
    const repo = yield* RecommendationRepo

    const changes = yield* DataChanges
    const cache = new ShownDocumentCache(SHOWN_DOCUMENTS_KEPT)
    const answers = new AnswerCache(settings.answerCacheMb * 1024 * 1024, ANSWER_MAX_AGE_MS)

    /**
     * The JSON answer of a list page, kept until the data changes: `read` gives the page's total count and items. The
     * generation is read before the data, so a page made from rows older than a change is never kept under a later
     * one.
     */
    const keptList = <A, R>(
      _schema: Schema.Schema<Collection<A>, Collection<A>>,
      caller: Caller,
      target: RequestTarget,
      at: Date,
      paging: Paging,
      read: Effect.Effect<{ readonly count: number; readonly items: ReadonlyArray<A> }, SqlError, R>
    ) =>
      Effect.gen(function* () {
        const page = read.pipe(
          Effect.catchTag("SqlError", unavailable),
          Effect.map((p): Collection<A> => envelope(target, paging, p.count, p.items))
        )
        const generation = changes.generation()
        if (generation === undefined) {
          yield* Metric.update(keptAnswersBy.off, 1)
          return HttpServerResponse.unsafeJson(yield* page)
        }
        const key = answerKey({
          orgId: caller.identity.orgId,
          access: caller.access,
          path: target.path,
          query: target.query,
          accept: target.accept,
          day: at.toISOString().slice(0, 10)
        })
        const hit = answers.get(generation, key, at.getTime())
        yield* Metric.update(hit === undefined ? keptAnswersBy.miss : keptAnswersBy.hit, 1)
        if (hit !== undefined) return jsonBytes(hit)
        const body = utf8.encode(JSON.stringify(yield* page))
        answers.set(generation, key, body, at.getTime())
        return jsonBytes(body)
      })

    /**
     * The shown documents of a page's rows, from the cache or else read, shown and kept. A row whose JSON is gone
     * by the time it is read (deleted in between) is left out.
     */
    const withDocuments = <Head extends ContainerHead | NamespaceHead>(
      heads: ReadonlyArray<Head>,
      units: UnitChoice,
      read: (ids: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<StoredDocument>, SqlError>
    ) =>
      Effect.gen(function* () {
        const shown = new Map<string, RecommendationDocument>()
        const missing: Array<Head> = []
        for (const head of heads) {
          const hit = cache.get(shownDocumentKey(head.id, head.version, units))
          if (hit === undefined) missing.push(head)
          else shown.set(head.id, hit)
        }
        if (missing.length > 0) {
          const byId = new Map(missing.map((head) => [head.id, head]))
          for (const stored of yield* read(missing.map((head) => head.id))) {
            const head = byId.get(stored.id)
            if (head === undefined) continue
            const doc = showRecommendation(stored.recommendations, {
              units,
              keepPlots: false,
              percents: percentsOf(head)
            })
            // Changed since the page was read: answer it, but keep only what matches the page's version.
            if (stored.version === head.version) cache.set(shownDocumentKey(head.id, head.version, units), doc)
            shown.set(head.id, doc)
          }
        }
        return heads.flatMap((head) => {
          const doc = shown.get(head.id)
          return doc === undefined ? [] : [[head, doc] as const]
        })
      })

    const listContainers = Effect.fn("RecommendationService.listContainers")(function* (
      caller: Caller,
      params: ContainerListParameters,
      target: RequestTarget
    ) {
      const at = yield* now
      const query = yield* parseContainerListQuery(params, target.accept, at, settings.maxValuesPerParameter)
      const orgId = caller.identity.orgId
      if (query.format === "csv") {
        const lines = repo.streamContainers(orgId, caller.access, query, settings.csvRecordLimit).pipe(
          Stream.map((row) =>
            csvRows(showContainer(row, query.units, false))
              .map((cells) => csvLine(cells))
              .join("")
          ),
          // One write per CSV_STREAM_INTERVAL recommendation sets, as upstream flushes.
          Stream.grouped(settings.csvStreamInterval),
          Stream.map((chunk) => Chunk.join(chunk, "")),
          Stream.tapErrorCause((cause) => Effect.logWarning("CSV export stopped early", cause))
        )
        return HttpServerResponse.stream(Stream.encodeText(Stream.concat(Stream.make(csvHeader), lines)), {
          contentType: "text/csv",
          headers: { "content-disposition": `attachment; filename=${csvFileName(at)}` }
        })
      }
      return yield* keptList(
        ContainerRecommendationList,
        caller,
        target,
        at,
        query.paging,
        Effect.gen(function* () {
          const page = yield* repo.listContainers(orgId, caller.access, query)
          const rows = yield* withDocuments(page.rows, query.units, (ids) => repo.containerDocuments(orgId, ids))
          return { count: page.count, items: rows.map(([head, doc]) => containerItem(head, doc)) }
        })
      )
    })

    const getContainer = Effect.fn("RecommendationService.getContainer")(function* (
      caller: Caller,
      id: string,
      params: UnitParams
    ) {
      const query = yield* parseDetailQuery(id, params, "MiB")
      const row = yield* repo
        .findContainer(caller.identity.orgId, caller.access, query.id)
        .pipe(Effect.catchTag("SqlError", unavailable))
      if (Option.isNone(row)) {
        return yield* new RecommendationNotFound({ message: "unable to fetch recommendation", id })
      }
      return json(ContainerRecommendation, showContainer(row.value, query.units, true))
    })

    const listNamespaces = Effect.fn("RecommendationService.listNamespaces")(function* (
      caller: Caller,
      params: NamespaceListParameters,
      target: RequestTarget
    ) {
      const at = yield* now
      const query = yield* parseNamespaceListQuery(params, target.accept, at, settings.maxValuesPerParameter)
      const orgId = caller.identity.orgId
      return yield* keptList(
        NamespaceRecommendationList,
        caller,
        target,
        at,
        query.paging,
        Effect.gen(function* () {
          const page = yield* repo.listNamespaces(orgId, caller.access, query)
          const rows = yield* withDocuments(page.rows, query.units, (ids) => repo.namespaceDocuments(orgId, ids))
          return { count: page.count, items: rows.map(([head, doc]) => namespaceItem(head, doc)) }
        })
      )
    })

    const getNamespace = Effect.fn("RecommendationService.getNamespace")(function* (
      caller: Caller,
      id: string,
      params: UnitParams
    ) {
      const query = yield* parseDetailQuery(id, params, "bytes")
      const row = yield* repo
        .findNamespace(caller.identity.orgId, caller.access, query.id)
        .pipe(Effect.catchTag("SqlError", unavailable))
      if (Option.isNone(row)) {
        return yield* new RecommendationNotFound({ message: "unable to fetch project recommendation", id })
      }
      return json(NamespaceRecommendation, showNamespace(row.value, query.units, true))
    })

    const listWorkloads = Effect.fn("RecommendationService.listWorkloads")(function* (
      caller: Caller,
      params: WorkloadListParameters,
      target: RequestTarget
    ) {
      const at = yield* now
      const query = yield* parseWorkloadListQuery(params, at, settings.maxValuesPerParameter)
      return yield* keptList(
        WorkloadSummaryList,
        caller,
        target,
        at,
        query.paging,
        Effect.map(repo.listWorkloads(caller.identity.orgId, caller.access, query), (page) => ({
          count: page.count,
          items: page.rows.map((row) => showWorkload(row))
        }))
      )
    })

    return { listContainers, getContainer, listNamespaces, getNamespace, listWorkloads } as const
  }),
  dependencies: [RecommendationRepo.Default, DataChangesLive]
}) {}
