/**
 * Named (prepared) statements for what a connection runs again and again. node-postgres sends every
 * parameterized query unnamed, so PostgreSQL parses and plans it anew each time: the poller's workload query took
 * longer to plan than to run, and naming cut the engine database's CPU by a sixth (README, ingest benchmark). A
 * text is named the second time it runs on a connection, up to `limit` names per connection (the pipeline's
 * connections repeat at most 13); texts that vary with their data (`IN` lists, a last short batch) mostly run once
 * and stay unnamed. Only queries with parameters are named: they already go through the extended protocol, which
 * takes one statement, while a text without parameters may hold several (migrations).
 *
 * The names live in the server session, so a pooler that hands sessions from client to client (PgBouncer in
 * transaction mode) needs this off: limit 0.
 */
import pg from "pg"

/**
 * Errors after which a name is dropped and its text prepared again under a new one: "cached plan must not change
 * result type" (a migration changed the columns of a `*`) and "prepared statement does not exist" (something ran
 * DEALLOCATE or DISCARD in the session).
 */
const STALE_STATEMENT = new Set<unknown>(["0A000", "26000"])

/** Texts seen once that a connection remembers, waiting for a second use; beyond it they are forgotten. */
const SEEN_LIMIT = 2_048

type Callback = (error: Error | null, result: unknown) => void

interface ArrayRowQuery {
  readonly text: string
  readonly rowMode: "array"
  readonly values: ReadonlyArray<unknown>
  readonly name?: string
}

const isArrayRowQuery = (u: unknown): u is ArrayRowQuery =>
  typeof u === "object" &&
  u !== null &&
  !("submit" in u) &&
  (u as { rowMode?: unknown }).rowMode === "array" &&
  typeof (u as { text?: unknown }).text === "string" &&
  Array.isArray((u as { values?: unknown }).values) &&
  (u as { name?: unknown }).name === undefined

const errorCode = (error: Error | null): unknown =>
  error !== null && "code" in error ? (error as { code?: unknown }).code : undefined

/** What one connection has named, and the texts it has seen once. */
class Names {
  private readonly named = new Map<string, string>()
  private readonly seen = new Set<string>()
  /** Names handed out, dropped ones included: they stay prepared in the session, so they count to the limit. */
  private issued = 0

  constructor(private readonly limit: number) {}

  /** The statement name for `text`, or undefined while it stays unnamed. */
  nameFor(text: string): string | undefined {
    const name = this.named.get(text)
    if (name !== undefined || this.issued >= this.limit) return name
    if (!this.seen.has(text)) {
      if (this.seen.size >= SEEN_LIMIT) this.seen.clear()
      this.seen.add(text)
      return undefined
    }
    this.seen.delete(text)
    this.issued += 1
    const fresh = `ros_ocp_${this.issued}`
    this.named.set(text, fresh)
    return fresh
  }

  /** The statement is stale (see STALE_STATEMENT): the text is prepared again under a new name. */
  drop(text: string): void {
    this.named.delete(text)
  }
}

/**
 * A node-postgres `Client` class whose connections name their repeated statements (see above); `limit` 0 is the
 * plain client.
 */
export const namingClient = (limit: number): typeof pg.Client => {
  if (limit <= 0) return pg.Client
  const plainQuery = pg.Client.prototype.query

  class NamingClient extends pg.Client {
    readonly statementNames = new Names(limit)
  }

  const watched =
    (names: Names, text: string, callback: Callback): Callback =>
    (error, result) => {
      if (STALE_STATEMENT.has(errorCode(error))) names.drop(text)
      callback(error, result)
    }

  // @effect/sql-pg calls `query(text, values, callback)` and, for rows as arrays, `query(config, callback)`;
  // every other form (cursors, queries without parameters) goes through unchanged.
  function query(this: NamingClient, ...args: ReadonlyArray<unknown>): unknown {
    const [first, second, third] = args
    const names = this.statementNames
    if (typeof first === "string" && Array.isArray(second) && second.length > 0 && typeof third === "function") {
      const name = names.nameFor(first)
      if (name !== undefined) {
        return Reflect.apply(plainQuery, this, [
          { name, text: first, values: second },
          watched(names, first, third as Callback)
        ])
      }
    } else if (isArrayRowQuery(first) && first.values.length > 0 && typeof second === "function") {
      const name = names.nameFor(first.text)
      if (name !== undefined) {
        return Reflect.apply(plainQuery, this, [{ ...first, name }, watched(names, first.text, second as Callback)])
      }
    }
    return Reflect.apply(plainQuery, this, args)
  }
  Object.defineProperty(NamingClient.prototype, "query", { value: query, writable: true, configurable: true })
  return NamingClient
}
