import type { Readable } from 'node:stream'
import type { ConnectionOptions } from 'node:tls'
import pg from 'pg'
import type { PostgresConfig } from '../config.js'
import { describeConfig } from '../config.js'
import { AssayError, messageOf, UsageError } from '../errors.js'
import { DEFAULT_TLS, explainTlsError, isNoTlsServer, pgSsl } from '../tls.js'
import { HELD_LOCKS, TRY_LOCK } from './advisory.js'
import { explainConnectionError } from './connection-errors.js'
import { classifyError, isConnectionLoss } from './error-class.js'
import { parsers } from './normalise.js'
import { copyIn, copyOut, copyOutPooled, isAbandoned } from './pg-copy.js'
import type { Capabilities, Db, ServerInfo, Session, TransactionOptions, Tx } from './types.js'
import { type Queryable, type QueryResult, type Row, type Statement, toStatement } from './types.js'

type PgQueryable = pg.Pool | pg.PoolClient

/** Per-connection type parsers: we never touch pg's global type table, so other pg users in the process are unaffected. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parse = parsers[oid]
    if (parse && format !== 'binary') return parse
    return pg.types.getTypeParser(oid, format)
  },
} as unknown as pg.CustomTypesConfig

/**
 * How long a statement may go without an answer before the client gives up on its connection (ASSAY_QUERY_TIMEOUT_MS,
 * default 10 minutes). Without it a connection that goes silent — a network partition, a stalled proxy, a frozen
 * server — hangs its caller for ever: TCP keepalive does not fire while a middlebox still acknowledges. The
 * timeout surfaces as "Query read timeout", a connection loss (the connection is discarded; callers retry).
 */
export function queryTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.ASSAY_QUERY_TIMEOUT_MS
  if (raw === undefined || raw.trim() === '') return 600_000
  const value = /^\d+$/.test(raw.trim()) ? Number(raw) : Number.NaN
  if (!(value >= 100 && value <= 86_400_000)) {
    throw new UsageError(
      `ASSAY_QUERY_TIMEOUT_MS must be a whole number of milliseconds from 100 to 86,400,000 (got "${raw}")`,
    )
  }
  return value
}

async function run<R>(
  target: PgQueryable,
  statement: string | Statement,
  values: readonly unknown[] | undefined,
  timeout: number,
): Promise<QueryResult<R>> {
  const { name, text, values: params } = toStatement(statement, values)
  const config: pg.QueryConfig & { query_timeout: number } = {
    name,
    text,
    values: params as unknown[] | undefined,
    query_timeout: timeout,
  }
  const result = await target.query(config)
  return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 }
}

function queryable(target: PgQueryable, timeout: number): Queryable {
  return {
    query: (statement, values) => run(target, statement, values, timeout),
    exec: async (script) => {
      await run(target, script, undefined, timeout)
    },
  }
}

/** BEGIN … COMMIT on one client, rolled back on any error. */
async function inTransaction<T>(
  client: pg.PoolClient,
  fn: (tx: Tx) => Promise<T>,
  options: TransactionOptions | undefined,
  timeout: number,
): Promise<T> {
  const tx: Tx = {
    ...queryable(client, timeout),
    copyIn: (copySql, source) => copyIn(client, copySql, source),
    copyOut: (copySql) => copyOut(client, copySql),
  }
  const modes = [
    options?.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '',
    options?.readOnly ? 'READ ONLY' : '',
  ].filter(Boolean)
  await tx.exec(['BEGIN', ...modes].join(' '))
  try {
    const result = await fn(tx)
    await tx.exec('COMMIT')
    return result
  } catch (error) {
    // An abandoned COPY leaves the connection unable to read the answer: it is discarded, which rolls back.
    if (!isAbandoned(client)) await tx.exec('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/**
 * Waits before the 2nd, 3rd and 4th try of the first connection. A server restarting (refused, "starting up"),
 * or a connection terminated as it opens (57P01), must not fail a run before its own retry policy is in force.
 */
const OPEN_RETRY_MS = [250, 500, 1000]

/** Transient, and quick to fail: a connection timeout already waited its 10 s and is not tried again. */
function worthAnotherKnock(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return classifyError(error).transient && code !== 'ETIMEDOUT' && !/timeout/i.test(messageOf(error))
}

const CAPABILITIES: Capabilities = {
  canCancelStatements: true,
  locksInSql: true,
  blocksEventLoop: false,
  asyncCommit: true,
  canLoseConnection: true,
}

/** The PostgreSQL implementation of {@link Db}: a `pg` pool, sessions are checked-out clients. */
export class PgDb implements Db {
  readonly capabilities = CAPABILITIES
  readonly label: string
  private readonly pool: pg.Pool
  private readonly timeout: number

  private constructor(
    readonly config: PostgresConfig,
    pool: pg.Pool,
    timeout: number,
  ) {
    this.pool = pool
    this.label = describeConfig(config)
    this.timeout = timeout
  }

  /** Opens a pool and proves it can connect, translating failures into specific messages. */
  static async open(
    config: PostgresConfig,
    options: { max?: number; applicationName?: string } = {},
  ): Promise<PgDb> {
    const timeout = queryTimeoutMs()
    const tls = config.tls ?? DEFAULT_TLS
    const makePool = (ssl: false | ConnectionOptions) => {
      const pool = new pg.Pool({
        host: config.host,
        port: config.port,
        database: config.database,
        user: config.user,
        password: config.password,
        ssl,
        max: options.max ?? 6,
        types,
        application_name: options.applicationName ?? 'assay',
        connectionTimeoutMillis: 10_000,
        // Assay stores TIMESTAMP columns in UTC; every session agrees on that.
        options: '-c TimeZone=UTC',
      })
      // An idle client losing its server must not crash the process; the next checkout reconnects.
      pool.on('error', () => undefined)
      return pool
    }
    let pool = makePool(pgSsl(tls, config.host))
    for (let attempt = 0; ; attempt++) {
      try {
        await pool.query('SELECT 1')
        return new PgDb(config, pool, timeout)
      } catch (error) {
        // prefer (libpq's default): a server without TLS is spoken to in plain text.
        if (tls.mode === 'prefer' && isNoTlsServer(error)) {
          await pool.end().catch(() => undefined)
          pool = makePool(false)
          continue
        }
        const wait = OPEN_RETRY_MS[attempt]
        if (wait !== undefined && worthAnotherKnock(error)) {
          await new Promise((resolve) => setTimeout(resolve, wait))
          continue
        }
        await pool.end().catch(() => undefined)
        const tlsProblem = explainTlsError(error, tls, `${config.host}:${config.port}`, config.host)
        if (tlsProblem) throw new AssayError('db_tls', tlsProblem, { cause: error })
        throw explainConnectionError(error, config)
      }
    }
  }

  get server(): ServerInfo {
    const { host, port, database } = this.config
    return {
      kind: 'postgres',
      label: this.label,
      logFields: { db_host: host, db_port: port, db_name: database },
    }
  }

  query<R = Row>(statement: string | Statement, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.pool, statement, values, this.timeout)
  }

  async exec(script: string): Promise<void> {
    await run(this.pool, script, undefined, this.timeout)
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const client = await this.pool.connect()
    let broken = false
    try {
      return await inTransaction(client, fn, options, this.timeout)
    } catch (error) {
      broken = isConnectionLoss(error) || isAbandoned(client)
      throw error
    } finally {
      client.release(broken)
    }
  }

  async session(): Promise<Session> {
    const client = await this.pool.connect()
    const pid = (client as unknown as { processID: number }).processID
    let released = false
    // A session whose connection drops must not take the process down; its next query fails instead.
    const ignore = () => undefined
    client.on('error', ignore)
    const q = queryable(client, this.timeout)
    return {
      pid,
      ...q,
      transaction: (fn, options) => inTransaction(client, fn, options, this.timeout),
      tryLock: async (namespace, id, release = []) => {
        const { rows } = await q.query<{ ok: boolean }>(TRY_LOCK, [namespace, id, release])
        return rows[0]?.ok === true
      },
      unlock: async (namespace, id) => {
        await q.query('SELECT pg_advisory_unlock($1::int, $2::int)', [namespace, id])
      },
      copyIn: (copySql, source) => copyIn(client, copySql, source),
      copyOut: (copySql) => copyOut(client, copySql),
      release: async (discard = false) => {
        if (released) return
        released = true
        const broken = discard || isAbandoned(client)
        // A pooled client is checked out again and again: one listener per checkout would pile up.
        if (!broken) client.off('error', ignore)
        client.release(broken)
      },
    }
  }

  async cancel(pid: number): Promise<void> {
    await this.pool.query('SELECT pg_cancel_backend($1)', [pid])
  }

  async heldLocks(namespace: number): Promise<Set<number>> {
    const { rows } = await this.query<{ id: number }>(HELD_LOCKS, [namespace])
    return new Set(rows.map((r) => Number(r.id)))
  }

  async copyIn(copySql: string, source: Readable): Promise<number> {
    const client = await this.pool.connect()
    let broken = false
    try {
      return await copyIn(client, copySql, source)
    } catch (error) {
      broken = isConnectionLoss(error)
      throw error
    } finally {
      client.release(broken)
    }
  }

  copyOut(copySql: string): Readable {
    return copyOutPooled(this.pool, copySql)
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`)
    const client = await this.pool.connect()
    client.on('error', () => undefined)
    const handler = (message: pg.Notification) => {
      if (message.channel === channel) onPayload(message.payload ?? '')
    }
    client.on('notification', handler)
    await client.query(`LISTEN ${channel}`)
    return async () => {
      client.off('notification', handler)
      await client.query(`UNLISTEN ${channel}`).catch(() => undefined)
      client.release()
    }
  }

  async close(): Promise<void> {
    await this.pool.end()
  }
}
