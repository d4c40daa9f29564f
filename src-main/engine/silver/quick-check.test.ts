import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import type { Db } from '../db/types.js'
import { loadDemo } from '../demo/demo.js'
import { buildSilver } from './build.js'

/** `db` with every statement, transaction and session it is asked for written to `calls`. */
function counted(db: Db, calls: string[]): Db {
  return new Proxy(db, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver)
      if (typeof value !== 'function') return value
      return (...args: unknown[]) => {
        if (['query', 'exec', 'transaction', 'session'].includes(String(key))) calls.push(String(key))
        return value.apply(target, args)
      }
    },
  })
}

const reltuples = async (db: Db) =>
  Number(
    (
      await db.query<{ n: number }>(
        `SELECT reltuples AS n FROM pg_class WHERE oid = 'bronze.raw_transactions'::regclass`,
      )
    ).rows[0]?.n,
  )

describe.each(backends)('silver before building, on $name', ({ name, scratch }) => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratch()
    // Autovacuum must not analyze bronze behind the test's back (PGlite has none).
    if (name === 'postgres')
      await s.db.exec('ALTER TABLE bronze.raw_transactions SET (autovacuum_enabled = false)')
    await loadDemo(s.db, { scale: 0.01, seed: 3 })
  })
  afterAll(async () => {
    await s?.dispose()
  })

  it('analyzes a bronze without statistics before the first build', async () => {
    expect(await reltuples(s.db)).toBeLessThan(0)
    expect(await buildSilver(s.db)).toMatchObject({ mode: 'full' })
    expect(await reltuples(s.db)).toBeGreaterThan(1000)
  })

  it('a no-op build is one statement: no transaction, no lock, no ANALYZE', async () => {
    const calls: string[] = []
    const report = await buildSilver(counted(s.db, calls))
    expect(report).toMatchObject({ mode: 'incremental', changedDays: 0, changedMonths: [] })
    expect(calls).toEqual(['query'])
  })

  it('a change after the no-op is still found, and the next no-op is one statement again', async () => {
    await s.db.exec(`UPDATE bronze.raw_transactions SET quantity = quantity + 1
                     WHERE id = (SELECT min(id) FROM bronze.raw_transactions WHERE quantity > 0)`)
    const report = await buildSilver(s.db)
    expect(report.changedDays).toBe(1)
    expect(report.changedMonths).toHaveLength(1)
    const calls: string[] = []
    await buildSilver(counted(s.db, calls))
    expect(calls).toEqual(['query'])
  })

  it('still refuses a database with a migration pending', async () => {
    const { rows } = await s.db.query<{ version: number; name: string; checksum: string }>(
      'DELETE FROM ops.schema_migrations WHERE version = (SELECT max(version) FROM ops.schema_migrations) RETURNING *',
    )
    const row = rows[0]!
    try {
      await expect(buildSilver(s.db)).rejects.toMatchObject({ code: 'schema_missing' })
    } finally {
      await s.db.query('INSERT INTO ops.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        row.version,
        row.name,
        row.checksum,
      ])
    }
  })
})
