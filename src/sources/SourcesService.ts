/**
 * The Sources API's writes, with sources-api-go's validation rules (`service/source_validation.go`,
 * `service/application_validation.go`) and its events (D.3). Each write and the events it raises are stored
 * in one transaction (the events in the outbox), and the publisher is woken once it has committed: an event
 * is never sent for a write that rolled back, and never lost when Kafka is down.
 */
import { randomUUID } from "node:crypto"
import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option } from "effect"
import type { Identity } from "../../schema/identity/Identity.js"
import type { ApplicationCreateRequest, ApplicationEditRequest } from "../../schema/sources/Application.js"
import {
  APP_CREATION_WORKFLOWS,
  AVAILABILITY_STATUSES,
  type SourceCreateRequest,
  type SourceEditRequest
} from "../../schema/sources/Source.js"
import { ResourceNotFound, ValidationFailed } from "../../schema/sources/SourcesFailure.js"
import { KafkaSettings } from "../services/Settings.js"
import { OutboxRepo } from "./OutboxRepo.js"
import { OutboxSignal } from "./OutboxSignal.js"
import { applicationEvent, sourceEvent } from "./SourceEvents.js"
import { type ApplicationChanges, isUniqueViolation, type SourceChanges, SourcesRepo } from "./SourcesRepo.js"
import type { ApplicationRow, SourceRow } from "./SourcesRows.js"

const MAX_ID = 9223372036854775807n

/** An id sent as a JSON number or a string of digits, normalised to its decimal text; undefined if invalid. */
export const parseIdInput = (value: string | number): string | undefined => {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? String(value) : undefined
  }
  if (!/^\d+$/.test(value)) return undefined
  const n = BigInt(value)
  return n > MAX_ID ? undefined : n.toString()
}

const statusList = `"available", "in_progress", "partially_available" or "unavailable"`
const isStatus = (s: string) => (AVAILABILITY_STATUSES as ReadonlyArray<string>).includes(s)

const invalid = (field: string, reason: string) => Effect.fail(new ValidationFailed({ field, reason }))

/** What a PATCH /sources changes: the fields it sets (null, like absent, leaves a field as it is). */
const sourceChanges = (r: SourceEditRequest): SourceChanges => ({
  ...(r.name === undefined || r.name === null ? {} : { name: r.name }),
  ...(r.version === undefined || r.version === null ? {} : { version: r.version }),
  ...(r.imported === undefined || r.imported === null ? {} : { imported: r.imported }),
  ...(r.source_ref === undefined || r.source_ref === null ? {} : { source_ref: r.source_ref }),
  ...(r.availability_status === undefined || r.availability_status === null
    ? {}
    : { availability_status: r.availability_status })
})

/** What a PATCH /applications changes. */
const applicationChanges = (r: ApplicationEditRequest): ApplicationChanges => ({
  ...(r.extra === undefined || r.extra === null ? {} : { extra: r.extra }),
  ...(r.availability_status === undefined || r.availability_status === null
    ? {}
    : { availability_status: r.availability_status }),
  ...(r.availability_status_error === undefined || r.availability_status_error === null
    ? {}
    : { availability_status_error: r.availability_status_error })
})

export class SourcesService extends Effect.Service<SourcesService>()("ros/sources/SourcesService", {
  effect: Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const repo = yield* SourcesRepo
    const outbox = yield* OutboxRepo
    const signal = yield* OutboxSignal
    const { sourcesEventTopic: topic } = yield* KafkaSettings

    /** Runs the write in a transaction and wakes the publisher once it has committed. */
    const committed = <A, E>(write: Effect.Effect<A, E, never>): Effect.Effect<A, E | SqlError> =>
      write.pipe(
        sql.withTransaction,
        Effect.tap(() => signal.notify)
      )

    const nameTakenFailure = new ValidationFailed({ field: "name", reason: "name already exists in tenant" })

    const createSource = Effect.fn("SourcesService.createSource")(function* (
      identity: Identity,
      request: SourceCreateRequest
    ) {
      yield* Effect.annotateCurrentSpan({ orgId: identity.orgId })
      const name = request.name ?? ""
      if (name === "") return yield* invalid("name", "name cannot be empty")
      const workflow = (APP_CREATION_WORKFLOWS as ReadonlyArray<string>).includes(request.app_creation_workflow ?? "")
        ? (request.app_creation_workflow ?? "manual_configuration")
        : "manual_configuration"
      const status = request.availability_status ?? ""
      if (status !== "" && !isStatus(status)) {
        return yield* invalid("availability_status", `availability_status must be one of ${statusList}`)
      }
      if (request.source_type_id === undefined || request.source_type_id === null) {
        return yield* invalid("source_type_id", "source type id cannot be empty")
      }
      const sourceTypeId = parseIdInput(request.source_type_id)
      if (sourceTypeId === undefined) return yield* invalid("source_type_id", "the source type id is not valid")
      if (sourceTypeId === "0") return yield* invalid("source_type_id", "source type id must be greater than 0")

      return yield* committed(
        Effect.gen(function* () {
          if (yield* repo.sourceNameTaken(identity.orgId, name)) return yield* Effect.fail(nameTakenFailure)
          if (Option.isNone(yield* repo.findSourceType(sourceTypeId))) {
            return yield* invalid("source_type_id", "source type id not found")
          }
          const inserted = yield* repo.insertSource(identity.orgId, {
            name,
            uid: randomUUID(),
            version: request.version ?? null,
            imported: request.imported ?? null,
            sourceRef: request.source_ref ?? null,
            appCreationWorkflow: workflow,
            availabilityStatus: status === "" ? "in_progress" : status,
            sourceTypeId
          })
          if (Option.isNone(inserted)) return yield* Effect.fail(nameTakenFailure)
          yield* outbox.append([sourceEvent(topic, identity, "Source.create", inserted.value)])
          return inserted.value
        })
      )
    })

    const patchSource = Effect.fn("SourcesService.patchSource")(function* (
      identity: Identity,
      id: string,
      request: SourceEditRequest
    ) {
      yield* Effect.annotateCurrentSpan({ orgId: identity.orgId, sourceId: id })
      const changes = sourceChanges(request)
      if (changes.name === "") return yield* invalid("name", "name cannot be empty string")
      if (changes.availability_status !== undefined && !isStatus(changes.availability_status)) {
        return yield* invalid("availability_status", `availability_status must be one of ${statusList}`)
      }
      return yield* committed(
        Effect.gen(function* () {
          const current = yield* repo.findSource(identity.orgId, id, "update")
          if (Option.isNone(current)) return yield* new ResourceNotFound({ resource: "source" })
          if (
            changes.name !== undefined &&
            changes.name !== current.value.name &&
            (yield* repo.sourceNameTaken(identity.orgId, changes.name, id))
          ) {
            return yield* Effect.fail(nameTakenFailure)
          }
          const updated = yield* repo.updateSource(identity.orgId, id, changes).pipe(
            Effect.catchIf(isUniqueViolation, () => Effect.fail(nameTakenFailure)),
            Effect.flatMap(
              Option.match({
                onNone: () => Effect.fail(new ResourceNotFound({ resource: "source" })),
                onSome: (row: SourceRow) => Effect.succeed(row)
              })
            )
          )
          yield* outbox.append([sourceEvent(topic, identity, "Source.update", updated)])
          return updated
        })
      )
    })

    /** Deletes the source and its applications: Application.destroy for each, then Source.destroy. */
    const deleteSource = Effect.fn("SourcesService.deleteSource")(function* (identity: Identity, id: string) {
      yield* Effect.annotateCurrentSpan({ orgId: identity.orgId, sourceId: id })
      return yield* committed(
        Effect.gen(function* () {
          // Locked first, so no application can be attached between the two deletes.
          const current = yield* repo.findSource(identity.orgId, id, "update")
          if (Option.isNone(current)) return yield* new ResourceNotFound({ resource: "source" })
          const applications = yield* repo.deleteApplicationsOfSource(identity.orgId, id)
          const deleted = yield* repo.deleteSource(identity.orgId, id)
          const source = Option.getOrElse(deleted, () => current.value)
          yield* outbox.append([
            ...applications.map((app) => applicationEvent(topic, identity, "Application.destroy", app)),
            sourceEvent(topic, identity, "Source.destroy", source)
          ])
          return { source, applications }
        })
      )
    })

    const createApplication = Effect.fn("SourcesService.createApplication")(function* (
      identity: Identity,
      request: ApplicationCreateRequest
    ) {
      yield* Effect.annotateCurrentSpan({ orgId: identity.orgId })
      if (request.source_id === undefined || request.source_id === null) {
        return yield* invalid("source_id", "missing required parameter source_id")
      }
      if (request.application_type_id === undefined || request.application_type_id === null) {
        return yield* invalid("application_type_id", "missing required parameter application_type_id")
      }
      const applicationTypeId = parseIdInput(request.application_type_id)
      if (applicationTypeId === undefined) {
        return yield* invalid(
          "application_type_id",
          `invalid application type id ${JSON.stringify(request.application_type_id)}`
        )
      }
      const sourceId = parseIdInput(request.source_id)
      if (sourceId === undefined) {
        return yield* invalid("source_id", `invalid source id ${JSON.stringify(request.source_id)}`)
      }
      return yield* committed(
        Effect.gen(function* () {
          // FOR SHARE: the source cannot be deleted before this transaction ends.
          const source = yield* repo.findSource(identity.orgId, sourceId, "share")
          if (Option.isNone(source)) return yield* invalid("source_id", "source id not found")
          const applicationType = yield* repo.findApplicationType(applicationTypeId)
          if (Option.isNone(applicationType)) {
            return yield* invalid("application_type_id", "application type id not found")
          }
          const sourceType = yield* repo.findSourceType(source.value.source_type_id)
          const compatible = Option.match(sourceType, {
            onNone: () => false,
            onSome: (t) => applicationType.value.supported_source_types.includes(t.name)
          })
          if (!compatible) {
            return yield* invalid("application_type_id", "source type is not compatible with this application type")
          }
          const inserted = yield* repo.insertApplication(identity.orgId, {
            sourceId,
            applicationTypeId,
            extra: request.extra ?? {}
          })
          if (Option.isNone(inserted)) {
            return yield* invalid(
              "application_type_id",
              `source ${sourceId} already has an application of type ${applicationTypeId}`
            )
          }
          yield* outbox.append([applicationEvent(topic, identity, "Application.create", inserted.value)])
          return inserted.value
        })
      )
    })

    const patchApplication = Effect.fn("SourcesService.patchApplication")(function* (
      identity: Identity,
      id: string,
      request: ApplicationEditRequest
    ) {
      yield* Effect.annotateCurrentSpan({ orgId: identity.orgId, applicationId: id })
      const changes = applicationChanges(request)
      if (changes.availability_status !== undefined && !isStatus(changes.availability_status)) {
        return yield* invalid("availability_status", `availability_status invalid. Must be one of ${statusList}`)
      }
      return yield* committed(
        Effect.gen(function* () {
          const updated = yield* repo.updateApplication(identity.orgId, id, changes)
          if (Option.isNone(updated)) return yield* new ResourceNotFound({ resource: "application" })
          yield* outbox.append([applicationEvent(topic, identity, "Application.update", updated.value)])
          return updated.value
        })
      )
    })

    const deleteApplication = Effect.fn("SourcesService.deleteApplication")(function* (identity: Identity, id: string) {
      yield* Effect.annotateCurrentSpan({ orgId: identity.orgId, applicationId: id })
      return yield* committed(
        Effect.gen(function* () {
          const deleted = yield* repo.deleteApplication(identity.orgId, id)
          if (Option.isNone(deleted)) return yield* new ResourceNotFound({ resource: "application" })
          yield* outbox.append([applicationEvent(topic, identity, "Application.destroy", deleted.value)])
          return deleted.value satisfies ApplicationRow
        })
      )
    })

    return {
      createSource,
      patchSource,
      deleteSource,
      createApplication,
      patchApplication,
      deleteApplication
    } as const
  })
}) {}
