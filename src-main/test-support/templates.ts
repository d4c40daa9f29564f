/**
 * TEST SUPPORT ONLY — migrated templates, so a test's scratch database is a copy instead of every migration
 * applied again. PostgreSQL: one template database per test run (vitest's global setup makes it and names it in
 * ASSAY_TEST_TEMPLATE), copied with CREATE DATABASE … TEMPLATE. PGlite: one migrated instance per process,
 * cloned in memory.
 */
import { randomBytes } from 'node:crypto'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'
import { migrate } from '../engine/db/migrate.js'
import { parsers } from '../engine/db/normalise.js'
import { PgDb } from '../engine/db/pg.js'
import { PgliteDb } from '../engine/db/pglite.js'
import { configOf, createDatabase, dropDatabase } from './databases.js'

const TEMPLATE_ENV = 'ASSAY_TEST_TEMPLATE'

/** Makes a migrated PostgreSQL template for this test run; returns its name and a function that drops it. */
export async function makePgTemplate(): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = await createDatabase(`assay_test_tpl_${process.pid}_${randomBytes(3).toString('hex')}`)
  const db = await PgDb.open(configOf(name), { applicationName: 'assay-test-template' })
  try {
    await migrate(db)
  } finally {
    // A template must have no connections while it is copied.
    await db.close()
  }
  process.env[TEMPLATE_ENV] = name
  return { name, drop: () => dropDatabase(name) }
}

/** The migrated template of this test run, when the run's global setup made one. */
export function pgTemplate(): string | undefined {
  return process.env[TEMPLATE_ENV] || undefined
}

let pgliteTemplate: Promise<PGlite> | undefined

/** A fresh in-memory PGlite, migrated (a clone of a template made once per process) or empty. */
export async function pgliteInstance(migrated: boolean): Promise<PGlite> {
  if (!migrated) return PGlite.create({ parsers, extensions: { pg_trgm } })
  pgliteTemplate ??= (async () => {
    const base = await PGlite.create({ parsers, extensions: { pg_trgm } })
    await migrate(PgliteDb.wrap(base))
    return base
  })()
  return (await (await pgliteTemplate).clone()) as PGlite
}
