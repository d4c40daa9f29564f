import type { Readable } from 'node:stream'

/** A statement: plain text, or a named statement (`name` lets PostgreSQL cache the plan). */
export interface Statement {
  name?: string
  text: string
  values?: readonly unknown[]
}

/** A query call as one statement, on either backend: a statement's own values win over the call's. */
export function toStatement(statement: string | Statement, values?: readonly unknown[]): Statement {
  return typeof statement === 'string'
    ? { text: statement, values }
    : { ...statement, values: statement.values ?? values }
}

export interface QueryResult<R> {
  rows: R[]
  rowCount: number
}

export type Row = Record<string, unknown>

/**
 * Anything that runs SQL. Values come back normalised on both backends:
 * int8 → number, numeric → string, date → 'YYYY-MM-DD', timestamps → ISO-8601 UTC strings, json → parsed.
 */
export interface Queryable {
  query<R = Row>(statement: string | Statement, values?: readonly unknown[]): Promise<QueryResult<R>>
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>
}

export type Isolation = 'read committed' | 'repeatable read' | 'serializable'

/** Both backends honour both options (PGlite runs one transaction at a time, so isolation changes nothing there). */
export interface TransactionOptions {
  isolation?: Isolation
  readOnly?: boolean
}

/**
 * COPY on a connection: `copyIn` streams CSV/text bytes into `COPY … FROM STDIN` and returns the row count;
 * `copyOut` streams `COPY … TO STDOUT` out as bytes. Both stream on both backends: PostgreSQL through the COPY
 * protocol, PGlite in bounded chunks (engine/db/pglite-copy.ts), so neither holds the whole payload in memory.
 * On a transaction handle, consume the `copyOut` stream before the transaction's callback returns.
 */
export interface Copying {
  copyIn(copySql: string, source: Readable): Promise<number>
  copyOut(copySql: string): Readable
}

/** A transaction's handle: SQL and COPY inside the transaction. */
export interface Tx extends Queryable, Copying {}

/**
 * What a backend can do, so callers decide by capability, never by backend (db/backend-boundary.test.ts).
 * PostgreSQL: all true but blocksEventLoop. PGlite: all false but blocksEventLoop.
 */
export interface Capabilities {
  /** `cancel(pid)` interrupts a running statement (PGlite runs statements on this thread: nothing to interrupt). */
  canCancelStatements: boolean
  /** Advisory locks are the server's, so a statement can take one itself (`pg_try_advisory_lock` in SQL). */
  locksInSql: boolean
  /** SQL runs on the calling thread: long work must yield to the event loop between statements. */
  blocksEventLoop: boolean
  /** Bookkeeping commits may skip the WAL flush (`synchronous_commit = off` on a session). */
  asyncCommit: boolean
  /** The database is at the other end of a connection that can drop: worth pinging, worth reconnecting. */
  canLoseConnection: boolean
}

export type DbKind = 'postgres' | 'pglite'

/** Where the data is, for display and logs only (no secrets). Code must not branch on it. */
export interface ServerInfo {
  kind: DbKind
  /** Human description: "embedded database at /path" or "postgres localhost:5432/retail_db". */
  label: string
  /** Fields for a run's first log line: host, port and database name, or the embedded label. */
  logFields: Record<string, string | number>
}

/**
 * One dedicated database session. Session-level state (advisory locks, SET, LISTEN)
 * lives as long as the session; if the process dies, the server ends the session and releases its locks.
 */
export interface Session extends Queryable, Copying {
  /** The backend pid, so another session can cancel this one's running statement. */
  readonly pid: number
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>
  /**
   * Non-blocking advisory lock in the two-key space (namespace, id). Taking a lock the session already holds is a
   * no-op (they do not stack), so one unlock releases it. `release`: ids of the same namespace this session is
   * done with, unlocked in the same round trip.
   */
  tryLock(namespace: number, id: number, release?: readonly number[]): Promise<boolean>
  unlock(namespace: number, id: number): Promise<void>
  /** Gives the session back; `broken` discards the connection instead of reusing it. */
  release(broken?: boolean): Promise<void>
}

export interface Db extends Queryable, Copying {
  readonly capabilities: Capabilities
  readonly server: ServerInfo
  /** Human description of where the data is, without secrets: "embedded at /path" or "postgres localhost:5432/retail_db". */
  readonly label: string
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T>
  session(): Promise<Session>
  /** Cancels whatever statement the session with this backend pid is running. */
  cancel(pid: number): Promise<void>
  /** Ids of the advisory locks of `namespace` that some live session of this database holds. Takes no lock. */
  heldLocks(namespace: number): Promise<Set<number>>
  /** Subscribes to NOTIFY on a channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}
