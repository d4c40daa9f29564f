/** Scratch databases for the benchmark: the test kit's (created, cloned from templates, all dropped at the end). */
import type { PostgresConfig } from '../src-main/engine/config.js'
import { PgDb } from '../src-main/engine/db/pg.js'
import {
  admin,
  configOf as config,
  createDatabase as create,
  databaseExists,
  databaseUrl,
  dropDatabase as drop,
  dropCreated,
  dropOrphans as dropDead,
  pidName,
  renameDatabase as rename,
  testServer,
} from '../src-main/test-support/databases.js'

const NAME = /^assay_bench_[a-z0-9_]+$/

function checkBench(name: string): string {
  if (!NAME.test(name)) throw new Error(`bad benchmark database name ${name}`)
  return name
}

/** The server the benchmark uses: ASSAY_TEST_PG (a maintenance-database URL), else local trust auth, as the tests. */
export const server = testServer

export const configOf = (name: string): PostgresConfig => config(name, 'bench')

export const urlOf = (name: string): string => databaseUrl(name)

export const exists = databaseExists

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
  checkBench(name)
  if (options.template) checkBench(options.template)
  fileCopy ??= admin(async (c) => {
    const { rows } = await c.query<{ v: number }>(`SELECT current_setting('server_version_num')::int AS v`)
    return (rows[0]?.v ?? 0) >= 150000
  })
  const large = Boolean(options.template && options.large && (await fileCopy))
  return create(name, { template: options.template, keep: options.keep, fileCopy: large })
}

export const dropDatabase = (name: string): Promise<void> => drop(checkBench(name))

/** Renames a database (no one may be connected); `keep` takes it off the list dropped at the end. */
export const renameDatabase = (from: string, to: string, options: { keep?: boolean } = {}): Promise<void> =>
  rename(checkBench(from), checkBench(to), options)

/** Drops every database this run created. */
export const dropAll = dropCreated

/** Drops scratch databases of earlier runs whose process is gone; kept templates are never touched. */
export const dropOrphans = (): Promise<string[]> => dropDead('assay_bench')

/** A fresh name for a scratch database of this run. */
export const scratchName = (purpose: string): string => pidName('assay_bench', purpose)

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
