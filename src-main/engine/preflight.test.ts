import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Scratch, scratchPg, scratchPglite } from '../test-support/scratch.js'
import { PgDb } from './db/pg.js'
import { preflight } from './preflight.js'

describe('preflight', () => {
  describe('PostgreSQL', () => {
    let s: Scratch
    beforeAll(async () => {
      s = await scratchPg({ prefix: 'assay_preflight' })
    })
    afterAll(async () => {
      await s.dispose()
    })

    it('passes on a freshly initialised database, for both pipelines, reading and writing', async () => {
      await expect(preflight(s.db, 'monthly')).resolves.toBeUndefined()
      await expect(preflight(s.db, 'reliable')).resolves.toBeUndefined()
      await expect(preflight(s.db, 'monthly', { write: false })).resolves.toBeUndefined()
    })

    it('names a gold column of the wrong type', async () => {
      await s.db.exec('ALTER TABLE gold.fact_sales_monthly ALTER COLUMN total_revenue TYPE text')
      try {
        await expect(preflight(s.db, 'monthly')).rejects.toMatchObject({
          code: 'schema_mismatch',
          message:
            'gold.fact_sales_monthly.total_revenue is text, expected numeric — the table does not match the contract',
        })
        // The reliable pipeline does not touch that table.
        await expect(preflight(s.db, 'reliable')).resolves.toBeUndefined()
      } finally {
        await s.db.exec(
          'ALTER TABLE gold.fact_sales_monthly ALTER COLUMN total_revenue TYPE numeric(15,2) USING total_revenue::numeric',
        )
      }
    })

    it('names a missing silver table and a missing upsert key', async () => {
      await s.db.exec('ALTER TABLE silver.fact_sales_daily RENAME TO fact_sales_daily_away')
      try {
        await expect(preflight(s.db, 'monthly')).rejects.toThrow(
          /^silver\.fact_sales_daily does not exist — build silver first/,
        )
      } finally {
        await s.db.exec('ALTER TABLE silver.fact_sales_daily_away RENAME TO fact_sales_daily')
      }
      const { rows } = await s.db.query<{ conname: string }>(
        `SELECT conname FROM pg_constraint WHERE conrelid = 'gold.fact_sales_monthly'::regclass AND contype = 'u'`,
      )
      await s.db.exec(`ALTER TABLE gold.fact_sales_monthly DROP CONSTRAINT ${rows[0]!.conname}`)
      try {
        await expect(preflight(s.db, 'monthly')).rejects.toThrow(
          'gold.fact_sales_monthly has no unique constraint on (year, month), which the upsert needs — the table does not match the contract',
        )
      } finally {
        await s.db.exec('ALTER TABLE gold.fact_sales_monthly ADD UNIQUE (year, month)')
      }
    })

    it('tells a read-only user what it cannot write, and lets it plan', async () => {
      const role = `assay_ro_${Date.now().toString(36)}`
      const database = s.config!.database
      await s.db.exec(`CREATE ROLE ${role} LOGIN;
        GRANT CONNECT ON DATABASE ${database} TO ${role};
        GRANT USAGE ON SCHEMA silver, gold, ops TO ${role};
        GRANT SELECT ON ALL TABLES IN SCHEMA silver, gold, ops TO ${role};`)
      const ro = await PgDb.open({ ...s.config!, user: role, password: undefined })
      try {
        await expect(preflight(ro, 'monthly', { write: false })).resolves.toBeUndefined()
        const error = await preflight(ro, 'monthly').catch((e: unknown) => e)
        expect(error).toMatchObject({ code: 'not_permitted' })
        expect((error as Error).message).toMatch(
          new RegExp(
            `^user "${role}" cannot write to gold\\.fact_sales_monthly \\(missing INSERT, UPDATE\\) — connect as a user who can, or: GRANT INSERT, UPDATE ON gold\\.fact_sales_monthly TO "${role}"`,
          ),
        )
      } finally {
        await ro.close()
        await s.db.exec(`DROP OWNED BY ${role}; DROP ROLE ${role}`)
      }
    })

    it('refuses a database that only accepts reads', async () => {
      const client = new pg.Client({ ...s.config!, options: '-c default_transaction_read_only=on' })
      await client.connect()
      const db = {
        query: (text: string, values?: unknown[]) => client.query(text, values),
        exec: async () => {},
      }
      try {
        await expect(preflight(db as never, 'monthly')).rejects.toThrow(
          /^the database only accepts reads \(a hot standby, or default_transaction_read_only is on\)/,
        )
        await expect(preflight(db as never, 'monthly', { write: false })).resolves.toBeUndefined()
      } finally {
        await client.end()
      }
    })
  })

  it('sends a database that was never initialised to assay init', async () => {
    const s = await scratchPg({ prefix: 'assay_preflight', migrated: false })
    try {
      await expect(preflight(s.db, 'monthly')).rejects.toMatchObject({
        code: 'schema_missing',
        message: expect.stringMatching(
          /^the database is not initialised \(\d+ migration\(s\) pending: .*\) — run: assay init$/,
        ),
      })
    } finally {
      await s.dispose()
    }
  })

  describe('PGlite', () => {
    it('passes on a freshly initialised embedded database', async () => {
      const s = await scratchPglite()
      try {
        await expect(preflight(s.db, 'monthly')).resolves.toBeUndefined()
        await expect(preflight(s.db, 'reliable')).resolves.toBeUndefined()
      } finally {
        await s.dispose()
      }
    })
  })
})
