import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch, suiteScratch } from '../../test-support/scratch.js'
import type { Db } from '../db/types.js'
import { UsageError } from '../errors.js'
import { demoSource, loadDemo } from './demo.js'
import { demoInvoices, planDemo } from './generate.js'

/** A digest of every content column of one source, in load order. */
async function digest(db: Db, source: string): Promise<string> {
  const { rows } = await db.query<{ md5: string }>(
    `SELECT md5(string_agg(concat_ws('|', invoiceno, stockcode, description, quantity, invoicedate, unitprice,
                                     customerid, country), E'\\n' ORDER BY id)) AS md5
     FROM bronze.raw_transactions WHERE source_file = $1`,
    [source],
  )
  return rows[0]!.md5
}

const digests = new Map<string, string>()

describe('demo generator', () => {
  it('scales linearly', () => {
    expect(planDemo(1)).toEqual({ lines: 540_000, invoices: 25_900, products: 4_000, customers: 4_300 })
    expect(planDemo(0.1)).toEqual({ lines: 54_000, invoices: 2_590, products: 400, customers: 430 })
    expect(planDemo(10).lines).toBe(5_400_000)
  })

  it('is deterministic in the seed', () => {
    const run = (seed: number) => JSON.stringify([...demoInvoices(0.01, seed)])
    expect(run(1)).toBe(run(1))
    expect(run(1)).not.toBe(run(2))
    expect([...demoInvoices(0.01, 1)].reduce((n, i) => n + i.lines.length, 0)).toBe(5_400)
  })
})

describe.each(backends)('demo on $name', ({ name, scratch }) => {
  const s = suiteScratch(scratch)

  it('loads the data, then refuses to load the same scale and seed again', async () => {
    const report = await loadDemo(s.db, { scale: 0.02, seed: 7 })
    expect(report).toMatchObject({ status: 'loaded', sourceFile: 'demo:scale=0.02:seed=7', lines: 10_800 })
    expect(report.months).toHaveLength(13)
    digests.set(name, await digest(s.db, report.sourceFile))
    const again = await loadDemo(s.db, { scale: 0.02, seed: 7 })
    expect(again.status).toBe('already_present')
    const { rows } = await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM bronze.raw_transactions')
    expect(rows[0]?.n).toBe(10_800)
  })

  it('gives other data for another seed', async () => {
    await loadDemo(s.db, { scale: 0.02, seed: 8 })
    expect(await digest(s.db, demoSource(0.02, 8))).not.toBe(digests.get(name))
  })

  it('rejects a scale or seed out of range as bad usage', async () => {
    await expect(loadDemo(s.db, { scale: 11, seed: 1 })).rejects.toBeInstanceOf(UsageError)
    await expect(loadDemo(s.db, { scale: 1, seed: -1 })).rejects.toBeInstanceOf(UsageError)
  })
})

describe('demo data', () => {
  it('is byte-identical on PostgreSQL and PGlite', () => {
    expect(digests.get('postgres')).toBeDefined()
    expect(digests.get('postgres')).toBe(digests.get('pglite'))
  })
})

describe('demo distribution at scale 0.05', () => {
  let s: Scratch
  beforeAll(async () => {
    s = await backends[0]!.scratch()
    await loadDemo(s.db, { scale: 0.05, seed: 42 })
  })
  afterAll(async () => {
    await s.dispose()
  })

  it('looks like the Online Retail data set', async () => {
    const { rows } = await s.db.query<Record<string, number | string>>(`
      SELECT count(*)::int AS lines,
             avg((country = 'United Kingdom')::int)::float8 AS uk,
             avg((customerid IS NULL)::int)::float8 AS guests,
             (count(DISTINCT invoiceno) FILTER (WHERE invoiceno LIKE 'C%'))::float8 / count(DISTINCT invoiceno) AS cancelled,
             bool_and(invoiceno NOT LIKE 'C%' OR quantity < 0) AS cancellations_negative,
             count(DISTINCT to_char(invoicedate, 'YYYY-MM'))::int AS months,
             min(invoicedate)::date::text AS first, max(invoicedate)::date::text AS last,
             min(unitprice)::float8 AS min_price, max(unitprice)::float8 AS max_price,
             avg((unitprice BETWEEN 0.2 AND 20)::int)::float8 AS typical_price,
             count(*) FILTER (WHERE unitprice = 0)::int AS zero_price,
             count(DISTINCT stockcode) FILTER (WHERE stockcode IN ('POST', 'M', 'DOT', 'C2'))::int AS specials,
             count(DISTINCT country)::int AS countries
      FROM bronze.raw_transactions`)
    const r = rows[0]!
    expect(r).toMatchObject({
      lines: 27_000,
      cancellations_negative: true,
      months: 13,
      min_price: 0,
      specials: 4,
    })
    expect(r.uk).toBeGreaterThan(0.85)
    expect(r.uk).toBeLessThan(0.95)
    expect(r.guests).toBeGreaterThan(0.2)
    expect(r.guests).toBeLessThan(0.3)
    expect(r.cancelled).toBeGreaterThan(0.01)
    expect(r.cancelled).toBeLessThan(0.03)
    expect([r.first, r.last]).toEqual([
      expect.stringMatching(/^2010-12-0/),
      expect.stringMatching(/^2011-12-0/),
    ])
    expect(r.max_price).toBeLessThanOrEqual(10_000)
    expect(r.typical_price).toBeGreaterThan(0.8)
    expect(r.zero_price).toBeGreaterThan(0)
    expect(r.countries).toBeGreaterThan(20)
  })

  it('has a skewed product popularity and a November peak', async () => {
    const { rows } = await s.db.query<{ top: number; median: number; nov: number; feb: number }>(`
      WITH p AS (SELECT stockcode, count(*) AS n FROM bronze.raw_transactions GROUP BY 1)
      SELECT (SELECT max(n) FROM p)::int AS top,
             (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM p)::int AS median,
             (SELECT count(*) FROM bronze.raw_transactions WHERE invoicedate >= '2011-11-01' AND invoicedate < '2011-12-01')::int AS nov,
             (SELECT count(*) FROM bronze.raw_transactions WHERE invoicedate >= '2011-02-01' AND invoicedate < '2011-03-01')::int AS feb`)
    const r = rows[0]!
    expect(r.top).toBeGreaterThan(r.median * 5)
    expect(r.nov).toBeGreaterThan(r.feb * 2)
  })
})
