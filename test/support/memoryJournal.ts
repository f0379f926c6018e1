/**
 * Deterministic test layer: one ordered log shared by the in-memory services of the actor unit tests
 * (memoryEngine, memoryRos, memoryFiles, memoryKafka), so a test can assert the order in which an actor called
 * different services (e.g. experiments registered in the upload progress before the engine sees them).
 * Nothing here talks to Kafka, S3 or PostgreSQL.
 */
import { Clock, Context, Effect, Layer } from "effect"

export type JournalService = "engine" | "workloads" | "progress" | "status" | "recommendations" | "kafka" | "files"

export interface JournalInput {
  readonly service: JournalService
  readonly op: string
  /** the call's subject: an experiment name, a request id, a file key… */
  readonly subject: string
  /** set when the call failed (injected failure): the error's tag */
  readonly failedWith?: string
}

export interface JournalEntry extends JournalInput {
  /** the (test) clock's time of the call, epoch ms */
  readonly at: number
}

export interface MemoryJournalService {
  readonly entries: ReadonlyArray<JournalEntry>
  readonly record: (entry: JournalInput) => Effect.Effect<void>
  /** entries of one service (and operation), in call order */
  readonly of: (service: JournalService, op?: string) => ReadonlyArray<JournalEntry>
}

export class MemoryJournal extends Context.Tag("test/MemoryJournal")<MemoryJournal, MemoryJournalService>() {
  static readonly layer = Layer.sync(MemoryJournal, () => {
    const entries: Array<JournalEntry> = []
    return {
      entries,
      record: (entry) => Effect.map(Clock.currentTimeMillis, (at) => void entries.push({ ...entry, at })),
      of: (service, op) => entries.filter((e) => e.service === service && (op === undefined || e.op === op))
    }
  })
}
