import type { Readable } from 'node:stream'
import { PGlite, type Transaction } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import type { PgliteConfig } from '../config.js'
import { describeConfig } from '../config.js'
import { AssayError } from '../errors.js'
import { privatiseTree } from '../private-files.js'
import { type DirLock, lockDataDir } from './dir-lock.js'
import { parsers } from './normalise.js'
import { pgliteCopyIn, pgliteCopyOut, pgliteCopyOutInTransaction } from './pglite-copy.js'
import type { Capabilities, Db, ServerInfo, Session, TransactionOptions, Tx } from './types.js'
import { type Queryable, type QueryResult, type Row, type Statement, toStatement } from './types.js'

type Target = PGlite | Transaction

async function run<R>(
  target: Target,
  statement: string | Statement,
  values?: readonly unknown[],
): Promise<QueryResult<R>> {
  const { text, values: params } = toStatement(statement, values)
  // Parsers per query, not per instance: clones (as tests make) do not inherit an instance's parsers.
  const result = await target.query<R>(text, params as unknown[] | undefined, { parsers })
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

function txHandle(tx: Transaction): Tx {
  return {
    ...queryable(tx),
    copyIn: (copySql, source) => pgliteCopyIn(tx, copySql, source),
    copyOut: (copySql) => pgliteCopyOut(tx, copySql),
  }
}

const CAPABILITIES: Capabilities = {
  canCancelStatements: false,
  locksInSql: false,
  blocksEventLoop: true,
  asyncCommit: false,
  canLoseConnection: false,
}

/**
 * The embedded implementation of {@link Db}. PGlite is one PostgreSQL backend in this process: every
 * "session" shares it, transactions are serialised by PGlite, and advisory locks (re-entrant within one
 * backend) are emulated in process. Other processes are kept out by the data-directory lock.
 */
export class PgliteDb implements Db {
  readonly capabilities = CAPABILITIES
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

  get server(): ServerInfo {
    return { kind: 'pglite', label: this.label, logFields: { db_kind: 'pglite', db_label: this.label } }
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

  /** PGlite's own transaction: it holds PGlite's lock, so no other work of this process runs inside it. */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return this.pg.transaction(async (tx) => {
      const modes = [
        options?.isolation ? `ISOLATION LEVEL ${options.isolation.toUpperCase()}` : '',
        options?.readOnly ? 'READ ONLY' : '',
      ].filter(Boolean)
      if (modes.length > 0) await tx.exec(`SET TRANSACTION ${modes.join(', ')}`)
      return fn(txHandle(tx))
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
      copyIn: (copySql, source) => this.copyIn(copySql, source),
      copyOut: (copySql) => this.copyOut(copySql),
      release: async () => {
        for (const name of mine) this.held.delete(name)
        mine.clear()
      },
    }
  }

  /** PGlite runs statements on this thread, so there is nothing to interrupt: work stops at the next statement boundary. */
  async cancel(): Promise<void> {}

  async heldLocks(namespace: number): Promise<Set<number>> {
    const prefix = `${namespace}:`
    return new Set(
      [...this.held].filter((n) => n.startsWith(prefix)).map((n) => Number(n.slice(prefix.length))),
    )
  }

  /** In one transaction, so a load of several chunks lands whole or not at all. */
  copyIn(copySql: string, source: Readable): Promise<number> {
    return this.pg.transaction((tx) => pgliteCopyIn(tx, copySql, source))
  }

  copyOut(copySql: string): Readable {
    return pgliteCopyOutInTransaction(this.pg, copySql)
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
