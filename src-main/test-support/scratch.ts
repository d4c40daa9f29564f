import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import pg from 'pg'
import { describe, it } from 'vitest'
import type { PostgresConfig } from '../engine/config.js'
import { migrate } from '../engine/db/migrate.js'
import { parsers } from '../engine/db/normalise.js'
import { PgDb } from '../engine/db/pg.js'
import { PgliteDb } from '../engine/db/pglite.js'
import type { Db } from '../engine/db/types.js'

/** The server integration tests use: ASSAY_TEST_PG (a postgres:// URL of a maintenance database), else local trust auth. */
export function testServer(): PostgresConfig {
  const url = new URL(process.env.ASSAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres')
  return {
    kind: 'postgres',
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1) || 'postgres',
    user: decodeURIComponent(url.username) || 'postgres',
    password: url.password ? decodeURIComponent(url.password) : undefined,
    source: 'test',
  }
}

export interface Scratch {
  db: Db
  /** Connection settings of the scratch database (PostgreSQL only). */
  config?: PostgresConfig
  /** Closes and, for PostgreSQL, drops the scratch database. */
  dispose(): Promise<void>
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const server = testServer()
  const client = new pg.Client({ ...server })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

/** Creates an empty scratch database on the test server. */
export async function createScratchDatabase(prefix = 'assay_test'): Promise<PostgresConfig> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`
  await admin((client) => client.query(`CREATE DATABASE ${name}`))
  return { ...testServer(), database: name }
}

/** Drops a scratch database, ending any session still connected to it. */
export async function dropScratchDatabase(name: string): Promise<void> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`refusing to drop ${name}`)
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))
}

/** A fresh PostgreSQL database, migrated unless `migrated: false`. */
export async function scratchPg(options: { migrated?: boolean; prefix?: string } = {}): Promise<Scratch> {
  const config = await createScratchDatabase(options.prefix)
  const db = await PgDb.open(config, { applicationName: 'assay-test' })
  if (options.migrated !== false) await migrate(db)
  return {
    db,
    config,
    async dispose() {
      await db.close()
      await dropScratchDatabase(config.database)
    },
  }
}

let template: Promise<PGlite> | undefined

/** A fresh in-memory PGlite, cloned from a migrated template made once per test process (initdb is slow). */
export async function scratchPglite(options: { migrated?: boolean } = {}): Promise<Scratch> {
  let pglite: PGlite
  if (options.migrated === false) {
    pglite = await PGlite.create({ parsers, extensions: { pg_trgm } })
  } else {
    template ??= (async () => {
      const base = await PGlite.create({ parsers, extensions: { pg_trgm } })
      await migrate(PgliteDb.wrap(base))
      return base
    })()
    pglite = (await (await template).clone()) as PGlite
  }
  await pglite.exec(`SET TimeZone = 'UTC'`)
  const db = PgliteDb.wrap(pglite)
  return {
    db,
    async dispose() {
      await db.close()
    },
  }
}

export type Backend = 'postgres' | 'pglite'

/** Both backends, for `describe.each(backends)`. */
export const backends: { name: Backend; scratch: (options?: { migrated?: boolean }) => Promise<Scratch> }[] =
  [
    { name: 'postgres', scratch: (options) => scratchPg(options) },
    { name: 'pglite', scratch: (options) => scratchPglite(options) },
  ]

/**
 * `describe` when the backend matches, otherwise a registrar that registers nothing: backend-specific
 * tests (process kills, pg_terminate_backend) do not exist on the other backend rather than showing as skipped.
 */
export function describeOn(current: Backend, wanted: Backend): (name: string, body: () => void) => void {
  const register = describe
  return current === wanted ? register : () => undefined
}

/** `it` when the backend matches, otherwise nothing is registered (see {@link describeOn}). */
export function itOn(
  current: Backend,
  wanted: Backend,
): (name: string, body: () => Promise<void>, timeout?: number) => void {
  const register = it
  return current === wanted ? register : () => undefined
}
