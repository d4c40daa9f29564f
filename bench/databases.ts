/** Scratch databases for the benchmark: created, cloned from templates, and all dropped at the end. */
import pg from 'pg'
import type { PostgresConfig } from '../src-main/engine/config.js'
import { PgDb } from '../src-main/engine/db/pg.js'
import { testServer } from '../src-main/test-support/scratch.js'

const NAME = /^assay_bench_[a-z0-9_]+$/

/** The server the benchmark uses: ASSAY_TEST_PG (a maintenance-database URL), else local trust auth, as the tests. */
export function server(): PostgresConfig {
  return testServer()
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...server() })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Every database this run created (templates kept with --keep are not listed), dropped by `dropAll`. */
const created = new Set<string>()

export function configOf(name: string): PostgresConfig {
  return { ...server(), database: name, source: 'bench' }
}

export function urlOf(name: string): string {
  const s = server()
  const auth = s.password
    ? `${encodeURIComponent(s.user)}:${encodeURIComponent(s.password)}`
    : encodeURIComponent(s.user)
  return `postgres://${auth}@${s.host}:${s.port}/${name}`
}

export async function exists(name: string): Promise<boolean> {
  const { rows } = await admin((c) => c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]))
  return rows.length > 0
}

let fileCopy: Promise<boolean> | undefined

/**
 * Creates a database, empty or as a copy of `template` (which must have no connections). `large` copies the
 * files instead of writing the whole template to WAL (PostgreSQL 15's default), which on a server with the
 * default max_wal_size would force checkpoints in the middle of the next measurement.
 */
export async function createDatabase(
  name: string,
  options: { template?: string; keep?: boolean; large?: boolean } = {},
): Promise<string> {
  if (!NAME.test(name)) throw new Error(`bad benchmark database name ${name}`)
  if (options.template && !NAME.test(options.template)) throw new Error(`bad template ${options.template}`)
  fileCopy ??= admin(async (c) => {
    const { rows } = await c.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`)
    return (rows[0]?.v ?? 0) >= 150000
  })
  const strategy = options.template && options.large && (await fileCopy) ? ' STRATEGY = FILE_COPY' : ''
  await admin((c) =>
    c.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}${strategy}` : ''}`),
  )
  if (!options.keep) created.add(name)
  return name
}

export async function dropDatabase(name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`refusing to drop ${name}`)
  await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
  created.delete(name)
}

/** Renames a database (no one may be connected); `keep` takes it off the list dropped at the end. */
export async function renameDatabase(
  from: string,
  to: string,
  options: { keep?: boolean } = {},
): Promise<void> {
  if (!NAME.test(from) || !NAME.test(to)) throw new Error(`bad benchmark database name ${from} or ${to}`)
  await admin((c) => c.query(`ALTER DATABASE ${from} RENAME TO ${to}`))
  created.delete(from)
  if (!options.keep) created.add(to)
}

/** Drops every database this run created. */
export async function dropAll(): Promise<void> {
  for (const name of [...created]) await dropDatabase(name).catch(() => undefined)
}

/**
 * Drops scratch databases of earlier runs whose process is gone (killed before it could clean up). Only for a
 * server on this machine, where a process id means something; kept templates are never touched.
 */
export async function dropOrphans(): Promise<string[]> {
  if (!['127.0.0.1', 'localhost', '::1'].includes(server().host)) return []
  const { rows } = await admin((c) =>
    c.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^assay_bench_[0-9]+_'`),
  )
  const dead = rows
    .map((r) => r.datname)
    .filter((name) => {
      const pid = Number(/^assay_bench_(\d+)_/.exec(name)?.[1])
      if (pid === process.pid) return false
      try {
        process.kill(pid, 0)
        return false
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'ESRCH'
      }
    })
  for (const name of dead) await dropDatabase(name)
  return dead
}

let counter = 0
/** A fresh name for a scratch database of this run. */
export function scratchName(purpose: string): string {
  return `assay_bench_${process.pid}_${purpose}_${++counter}`.toLowerCase().replace(/[^a-z0-9_]/g, '_')
}

/** Opens a database; the pool is small, as the CLI's. */
export function open(name: string, applicationName = 'assay-bench'): Promise<PgDb> {
  return PgDb.open(configOf(name), { applicationName })
}

/** Opens, runs `fn`, closes. */
export async function withDatabase<T>(name: string, fn: (db: PgDb) => Promise<T>): Promise<T> {
  const db = await open(name)
  try {
    return await fn(db)
  } finally {
    await db.close()
  }
}
