import { Readable } from 'node:stream'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { PgliteConfig } from '../config.js'
import { describeConfig } from '../config.js'
import { AssayError } from '../errors.js'
import { privatiseTree } from '../private-files.js'
import { type DirLock, lockDataDir } from './dir-lock.js'
import { parsers } from './normalise.js'
import type { Db, Queryable, QueryResult, Row, Session, Statement, TransactionOptions } from './types.js'

type Target = PGlite | Transaction

async function run<R>(
  target: Target,
  statement: string | Statement,
  values?: readonly unknown[],
): Promise<QueryResult<R>> {
  const text = typeof statement === 'string' ? statement : statement.text
  const params = (typeof statement === 'string' ? values : (statement.values ?? values)) as
    | unknown[]
    | undefined
  // Parsers per query, not per instance: clones (as tests make) do not inherit an instance's parsers.
  const result = await target.query<R>(text, params, { parsers })
  return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length }
}

function queryable(target: Target): Queryable {
  return {
    query: (statement, values) => run(target, statement, values),
    exec: async (script) => {
      await target.exec(script)
    },
  }
}

/**
 * The embedded implementation of {@link Db}. PGlite is one PostgreSQL backend in this process: every
 * "session" shares it, transactions are serialised by PGlite, and advisory locks (re-entrant within one
 * backend) are emulated in process. Other processes are kept out by the data-directory lock.
 */
export class PgliteDb implements Db {
  readonly kind = 'pglite' as const
  readonly label: string
  private readonly held = new Set<string>()
  private nextSession = 1

  private constructor(
    readonly config: PgliteConfig,
    private readonly pg: PGlite,
    private readonly lock: DirLock | undefined,
  ) {
    this.label = describeConfig(config)
  }

  /** Opens (creating if needed) the data directory; `memory://` opens a throwaway in-memory database. */
  static async open(config: PgliteConfig): Promise<PgliteDb> {
    const inMemory = config.dataDir.startsWith('memory://')
    const lock = inMemory ? undefined : lockDataDir(config.dataDir)
    try {
      const pg = await PGlite.create({
        dataDir: inMemory ? undefined : config.dataDir,
        parsers,
        extensions: { pg_trgm },
      })
      await pg.exec(`SET TimeZone = 'UTC'`)
      // PGlite's file system layer creates files 0666 whatever the umask: the folder's files are made private at
      // open (which also mends a database made by an older version) and again at close.
      if (!inMemory) privatiseTree(config.dataDir)
      return new PgliteDb(config, pg, lock)
    } catch (error) {
      lock?.release()
      if (error instanceof AssayError) throw error
      throw new AssayError(
        'db_open',
        `cannot open the embedded database at ${config.dataDir}: ${error instanceof Error ? error.message : error}`,
        { cause: error },
      )
    }
  }

  /** Wraps an already-open PGlite (tests clone a template this way). */
  static wrap(pg: PGlite, label = 'embedded database (in memory)'): PgliteDb {
    return new PgliteDb({ kind: 'pglite', dataDir: 'memory://', source: 'test' }, pg, undefined).withLabel(
      label,
    )
  }

  private withLabel(label: string): this {
    ;(this as { label: string }).label = label
    return this
  }

  /** The underlying PGlite, for cloning in tests. */
  get raw(): PGlite {
    return this.pg
  }

  query<R = Row>(statement: string | Statement, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.pg, statement, values)
  }

  async exec(script: string): Promise<void> {
    await this.pg.exec(script)
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.pg.transaction(async (tx) => {
      if (options?.isolation)
        await tx.exec(`SET TRANSACTION ISOLATION LEVEL ${options.isolation.toUpperCase()}`)
      return fn(queryable(tx))
    })
  }

  async session(): Promise<Session> {
    const id = this.nextSession++
    const mine = new Set<string>()
    const unlock = (name: string) => {
      if (mine.delete(name)) this.held.delete(name)
    }
    return {
      pid: id,
      ...queryable(this.pg),
      transaction: (fn, options) => this.transaction(fn, options),
      tryLock: async (namespace, key, release = []) => {
        for (const done of release) unlock(`${namespace}:${done}`)
        const name = `${namespace}:${key}`
        if (this.held.has(name)) return mine.has(name)
        this.held.add(name)
        mine.add(name)
        return true
      },
      unlock: async (namespace, key) => unlock(`${namespace}:${key}`),
      // One backend: a COPY issued here runs inside whatever transaction this session opened with BEGIN.
      copyFrom: (copySql, source) => this.copyFrom(copySql, source),
      copyTo: (copySql) => this.copyTo(copySql),
      release: async () => {
        for (const name of mine) this.held.delete(name)
        mine.clear()
      },
    }
  }

  /** PGlite runs statements on this thread, so there is nothing to interrupt: work stops at the next statement boundary. */
  async cancel(): Promise<void> {}

  /** Buffers the stream into one blob: callers feed it in bounded batches. */
  async copyFrom(copySql: string, source: Readable): Promise<number> {
    const chunks: Buffer[] = []
    for await (const chunk of source) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
    const sql = copySql.replace(/FROM\s+STDIN/i, `FROM '/dev/blob'`)
    const result = await this.pg.query(sql, [], { blob: new Blob(chunks) })
    return result.affectedRows ?? 0
  }

  async copyTo(copySql: string): Promise<Readable> {
    const sql = copySql.replace(/TO\s+STDOUT/i, `TO '/dev/blob'`)
    const result = await this.pg.query(sql)
    const blob = result.blob
    if (!blob) return Readable.from([])
    return Readable.fromWeb(blob.stream() as unknown as import('node:stream/web').ReadableStream)
  }

  async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    const unlisten = await this.pg.listen(channel, onPayload)
    return async () => {
      await unlisten()
    }
  }

  async close(): Promise<void> {
    try {
      if (!this.pg.closed) await this.pg.close()
      if (this.lock) privatiseTree(this.config.dataDir)
    } finally {
      this.lock?.release()
    }
  }
}
