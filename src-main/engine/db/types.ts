import type { Readable } from 'node:stream'

/** A statement: plain text, or a named statement (`name` lets PostgreSQL cache the plan). */
export interface Statement {
  name?: string
  text: string
  values?: readonly unknown[]
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

export interface TransactionOptions {
  isolation?: Isolation
}

/**
 * One dedicated database session. Session-level state (advisory locks, SET, LISTEN)
 * lives as long as the session; if the process dies, the server ends the session and releases its locks.
 */
export interface Session extends Queryable {
  /** The backend pid, so another session can cancel this one's running statement. */
  readonly pid: number
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>
  /**
   * Non-blocking advisory lock in the two-key space (namespace, id). Taking a lock the session already holds is a
   * no-op (they do not stack), so one unlock releases it. `release`: ids of the same namespace this session is
   * done with, unlocked in the same round trip.
   */
  tryLock(namespace: number, id: number, release?: readonly number[]): Promise<boolean>
  unlock(namespace: number, id: number): Promise<void>
  /**
   * `COPY … FROM STDIN` on this session, so it joins a transaction opened here with `BEGIN`
   * (ingest loads a whole file atomically this way). Returns the number of rows copied.
   */
  copyFrom(copySql: string, source: Readable): Promise<number>
  /**
   * `COPY … TO STDOUT` on this session, so it sees the session's settings and the transaction opened here
   * (an export sets its filter values with `set_config` in the same transaction). Release the session once the
   * stream has ended.
   */
  copyTo(copySql: string): Promise<Readable>
  /** Gives the session back; `broken` discards the connection instead of reusing it. */
  release(broken?: boolean): Promise<void>
}

export type DbKind = 'postgres' | 'pglite'

export interface Db extends Queryable {
  readonly kind: DbKind
  /** Human description of where the data is, without secrets: "embedded at /path" or "postgres localhost:5432/retail_db". */
  readonly label: string
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>
  session(): Promise<Session>
  /** Cancels whatever statement the session with this backend pid is running. */
  cancel(pid: number): Promise<void>
  /** `COPY … FROM STDIN` fed from a stream of CSV bytes. Returns the number of rows copied. */
  copyFrom(copySql: string, source: Readable): Promise<number>
  /** `COPY … TO STDOUT` as a stream of bytes. */
  copyTo(copySql: string): Promise<Readable>
  /** Subscribes to NOTIFY on a channel; returns the unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>
  close(): Promise<void>
}
