import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, it } from 'vitest'
import type { PostgresConfig } from '../engine/config.js'
import { migrate } from '../engine/db/migrate.js'
import { PgDb } from '../engine/db/pg.js'
import { PgliteDb } from '../engine/db/pglite.js'
import type { Db } from '../engine/db/types.js'
import { configOf, createDatabase, dropDatabase } from './databases.js'
import { pgliteInstance, pgTemplate } from './templates.js'

export { testServer } from './databases.js'

export interface Scratch {
  db: Db
  /** Connection settings of the scratch database (PostgreSQL only). */
  config?: PostgresConfig
  /** Closes and, for PostgreSQL, drops the scratch database. */
  dispose(): Promise<void>
}

/** Creates an empty scratch database on the test server. */
export async function createScratchDatabase(prefix = 'assay_test'): Promise<PostgresConfig> {
  const name = await createDatabase(`${prefix}_${randomBytes(5).toString('hex')}`)
  return configOf(name)
}

/** Drops a scratch database, ending any session still connected to it. */
export const dropScratchDatabase = dropDatabase

/**
 * A fresh PostgreSQL database, migrated unless `migrated: false`: a copy of the run's migrated template where
 * there is one (vitest's global setup), else migrated here.
 */
export async function scratchPg(options: { migrated?: boolean; prefix?: string } = {}): Promise<Scratch> {
  const migrated = options.migrated !== false
  const template = migrated ? pgTemplate() : undefined
  const name = await createDatabase(`${options.prefix ?? 'assay_test'}_${randomBytes(5).toString('hex')}`, {
    template,
  })
  const config = configOf(name)
  const db = await PgDb.open(config, { applicationName: 'assay-test' })
  if (migrated && !template) await migrate(db)
  return {
    db,
    config,
    async dispose() {
      await db.close()
      await dropScratchDatabase(config.database)
    },
  }
}

/** A fresh in-memory PGlite, cloned from a migrated template made once per test process (initdb is slow). */
export async function scratchPglite(options: { migrated?: boolean } = {}): Promise<Scratch> {
  const pglite = await pgliteInstance(options.migrated !== false)
  await pglite.exec(`SET TimeZone = 'UTC'`)
  const db = PgliteDb.wrap(pglite)
  return {
    db,
    async dispose() {
      await db.close()
    },
  }
}

/**
 * A scratch database for the enclosing `describe`: made before its tests, disposed after them. The object is
 * filled in by then, so tests read `s.db` as usual.
 */
export function suiteScratch(make: () => Promise<Scratch>): Scratch {
  const suite = {} as Scratch
  beforeAll(async () => {
    Object.assign(suite, await make())
  })
  afterAll(async () => {
    await suite.dispose()
  })
  return suite
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
