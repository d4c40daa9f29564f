import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { from as copyFromStream, to as copyToStream } from 'pg-copy-streams'
import type { PostgresConfig } from '../config.js'
import { describeConfig } from '../config.js'
import { messageOf, UsageError } from '../errors.js'
import { classify } from '../retry.js'
import { TRY_LOCK } from './advisory.js'
import { explainConnectionError } from './connection-errors.js'
import { parsers } from './normalise.js'
import type { Db, Queryable, QueryResult, Row, Session, Statement, TransactionOptions } from './types.js'

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
  const config: pg.QueryConfig & { query_timeout: number } =
    typeof statement === 'string'
      ? { text: statement, values: values as unknown[] | undefined, query_timeout: timeout }
      : {
          name: statement.name,
          text: statement.text,
          values: (statement.values ?? values) as unknown[] | undefined,
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
  fn: (tx: Queryable) => Promise<T>,
  options: TransactionOptions | undefined,
  timeout: number,
): Promise<T> {
  const tx = queryable(client, timeout)
  await tx.exec(options?.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN')
  try {
    const result = await fn(tx)
    await tx.exec('COMMIT')
    return result
  } catch (error) {
    await tx.exec('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/** Streams `source` into a `COPY … FROM STDIN` on one client. */
async function copyInto(client: pg.PoolClient, copySql: string, source: Readable): Promise<number> {
  const sink = client.query(copyFromStream(copySql))
  await pipeline(source, sink)
  return Number(sink.rowCount ?? 0)
}

/**
 * Waits before the 2nd, 3rd and 4th try of the first connection. A server restarting (refused, "starting up"),
 * or a connection terminated as it opens (57P01), must not fail a run before its own retry policy is in force.
 */
const OPEN_RETRY_MS = [250, 500, 1000]

/** Transient, and quick to fail: a connection timeout already waited its 10 s and is not tried again. */
function worthAnotherKnock(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code
  return classify(error).transient && code !== 'ETIMEDOUT' && !/timeout/i.test(messageOf(error))
}

/** The PostgreSQL implementation of {@link Db}: a `pg` pool, sessions are checked-out clients. */
export class PgDb implements Db {
  readonly kind = 'postgres' as const
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
    const pool = new pg.Pool({
      host: config.host,
      port: config.port,
      database: config.database,
      user: config.user,
      password: config.password,
      max: options.max ?? 6,
      types,
      application_name: options.applicationName ?? 'assay',
      connectionTimeoutMillis: 10_000,
      // Assay stores TIMESTAMP columns in UTC; every session agrees on that.
      options: '-c TimeZone=UTC',
    })
    // An idle client losing its server must not crash the process; the next checkout reconnects.
    pool.on('error', () => undefined)
    const db = new PgDb(config, pool, timeout)
    for (let attempt = 0; ; attempt++) {
      try {
        await pool.query('SELECT 1')
        return db
      } catch (error) {
        const wait = OPEN_RETRY_MS[attempt]
        if (wait !== undefined && worthAnotherKnock(error)) {
          await new Promise((resolve) => setTimeout(resolve, wait))
          continue
        }
        await pool.end().catch(() => undefined)
        throw explainConnectionError(error, config)
      }
    }
  }

  query<R = Row>(statement: string | Statement, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.pool, statement, values, this.timeout)
  }

  async exec(script: string): Promise<void> {
    await run(this.pool, script, undefined, this.timeout)
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    const client = await this.pool.connect()
    let broken = false
    try {
      return await inTransaction(client, fn, options, this.timeout)
    } catch (error) {
      broken = isConnectionLoss(error)
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
      copyFrom: (copySql, source) => copyInto(client, copySql, source),
      copyTo: async (copySql) => client.query(copyToStream(copySql)),
      release: async (broken = false) => {
        if (released) return
        released = true
        // A pooled client is checked out again and again: one listener per checkout would pile up.
        if (!broken) client.off('error', ignore)
        client.release(broken)
      },
    }
  }

  async cancel(pid: number): Promise<void> {
    await this.pool.query('SELECT pg_cancel_backend($1)', [pid])
  }

  async copyFrom(copySql: string, source: Readable): Promise<number> {
    const client = await this.pool.connect()
    try {
      return await copyInto(client, copySql, source)
    } finally {
      client.release()
    }
  }

  async copyTo(copySql: string): Promise<Readable> {
    const client = await this.pool.connect()
    const stream = client.query(copyToStream(copySql))
    let done = false
    const finish = (error?: unknown) => {
      if (done) return
      done = true
      client.release(error instanceof Error)
    }
    stream.on('end', () => finish())
    stream.on('error', (error) => finish(error))
    stream.on('close', () => finish())
    return stream
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

/** True for errors after which a connection cannot be trusted (it was cut or the server went away). */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code ?? ''
  const message = error instanceof Error ? error.message : ''
  return (
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P02' ||
    code === '57P03' ||
    code === 'ECONNRESET' ||
    code === 'ECONNREFUSED' ||
    code === 'EPIPE' ||
    /Connection terminated|connection is closed|Client has encountered a connection error|Query read timeout/i.test(
      message,
    )
  )
}
