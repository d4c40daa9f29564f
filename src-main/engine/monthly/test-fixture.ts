/**
 * TEST SUPPORT ONLY — a deterministic silver fixture inserted directly (dim_date, dim_product,
 * fact_sales_daily), and the contract's monthly metrics computed from it in plain JavaScript, independently of
 * the pipeline's SQL.
 */

import { rmSync } from 'node:fs'
import { afterAll, beforeEach } from 'vitest'
import type { YearMonth } from '../../../src-shared/months.js'
import { monthRange } from '../../../src-shared/months.js'
import { type Scratch, suiteScratch } from '../../test-support/scratch.js'
import type { Db, Queryable } from '../db/types.js'
import { faults } from '../faults.js'

export interface FixtureRow {
  date_id: number
  product_id: number
  country: string
  customer_id: number
  total_transactions: number
  total_quantity: number
  /** DECIMAL(15,2) as text. */
  total_revenue: string
  avg_unit_price: string
}

export interface GoldRow {
  year: number
  month: number
  total_revenue: string
  total_quantity: number
  total_transactions: number
  total_products: number
  total_countries: number
  avg_revenue_per_transaction: string
  avg_quantity_per_transaction: string
  unique_customers: number
}

export const FIXTURE_MONTHS = monthRange({ year: 2010, month: 12 }, { year: 2011, month: 12 })
const COUNTRIES = ['United Kingdom', 'France', 'Germany', 'EIRE', 'Spain', 'Netherlands', 'Australia']
export const PRODUCTS = 40

/** A small seeded PRNG (mulberry32), so fixtures are the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function daysIn({ year, month }: YearMonth): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** About `rowsPerMonth` distinct (date, product, country) rows per month, including each month's last day. */
export function makeFixture(
  months: YearMonth[] = FIXTURE_MONTHS,
  rowsPerMonth = 120,
  seed = 7,
): FixtureRow[] {
  const random = rng(seed)
  const pick = (n: number) => Math.floor(random() * n)
  const rows: FixtureRow[] = []
  for (const ym of months) {
    const seen = new Set<string>()
    const last = daysIn(ym)
    for (let i = 0; i < rowsPerMonth; i++) {
      const day = i === 0 ? last : 1 + pick(last)
      const date_id = ym.year * 10000 + ym.month * 100 + day
      const product_id = 1 + pick(PRODUCTS)
      const country = COUNTRIES[pick(COUNTRIES.length)]!
      const id = `${date_id}|${product_id}|${country}`
      if (seen.has(id)) continue
      seen.add(id)
      const quantity = 1 + pick(48)
      const cents = 1 + pick(50_000)
      rows.push({
        date_id,
        product_id,
        country,
        // silver writes -1 when a group had no customer
        customer_id: random() < 0.2 ? -1 : 12000 + pick(300),
        total_transactions: 1 + pick(5),
        total_quantity: quantity,
        total_revenue: (cents / 100).toFixed(2),
        avg_unit_price: (cents / 100 / quantity).toFixed(2),
      })
    }
  }
  return rows
}

/** Inserts dimension rows for the fixture and the fact rows themselves. */
export async function loadFixture(db: Queryable, rows: FixtureRow[]): Promise<void> {
  const dates = [...new Set(rows.map((r) => r.date_id))]
  await db.query(
    `INSERT INTO silver.dim_date (date_id, date, day, day_of_week, month, quarter, year, day_name, month_name, is_weekend)
     SELECT d, dt, extract(day FROM dt)::int, extract(dow FROM dt)::int, extract(month FROM dt)::int,
            extract(quarter FROM dt)::int, extract(year FROM dt)::int, to_char(dt, 'FMDay'), to_char(dt, 'FMMonth'),
            extract(dow FROM dt) IN (0, 6)
     FROM (SELECT d, to_date(d::text, 'YYYYMMDD') AS dt FROM unnest($1::int[]) d) x
     ON CONFLICT (date_id) DO NOTHING`,
    [dates],
  )
  await db.query(
    `INSERT INTO silver.dim_product (product_id, stock_code, description, category)
     SELECT g, 'P' || lpad(g::text, 5, '0'), 'PRODUCT ' || g, 'General' FROM generate_series(1, $1::int) g
     ON CONFLICT (product_id) DO NOTHING`,
    [PRODUCTS],
  )
  await insertFacts(db, rows)
}

export async function insertFacts(db: Queryable, rows: FixtureRow[]): Promise<void> {
  await db.query(
    `INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions,
        total_quantity, total_revenue, avg_unit_price)
     SELECT * FROM unnest($1::int[], $2::int[], $3::varchar[], $4::int[], $5::int[], $6::int[], $7::numeric[], $8::numeric[])`,
    [
      rows.map((r) => r.date_id),
      rows.map((r) => r.product_id),
      rows.map((r) => r.country),
      rows.map((r) => r.customer_id),
      rows.map((r) => r.total_transactions),
      rows.map((r) => r.total_quantity),
      rows.map((r) => r.total_revenue),
      rows.map((r) => r.avg_unit_price),
    ],
  )
}

/** Empties silver, gold and ops (keeping the schema) and loads the fixture again. */
export async function resetFixture(db: Db, rows: FixtureRow[]): Promise<void> {
  await db.exec(`
    TRUNCATE gold.fact_sales_monthly, ops.processed_months, ops.pipeline_checkpoint, ops.pipeline_logs,
             ops.pipeline_runs, silver.fact_sales_daily;
    DELETE FROM ops.silver_months;`)
  await loadFixture(db, rows)
}

const cents = (text: string): bigint => {
  const [whole, frac = ''] = text.split('.')
  return BigInt(whole!) * 100n + BigInt(frac.padEnd(2, '0').slice(0, 2))
}
const money = (value: bigint): string => `${value / 100n}.${String(value % 100n).padStart(2, '0')}`
/** a / b rounded half away from zero (a ≥ 0, b > 0), as PostgreSQL's round() does. */
const roundDiv = (a: bigint, b: bigint): bigint => (2n * a + b) / (2n * b)

/** The contract's monthly definitions, computed in JavaScript over the fixture rows. */
export function expectedGold(rows: FixtureRow[]): GoldRow[] {
  const groups = new Map<number, FixtureRow[]>()
  for (const row of rows) {
    const key = Math.floor(row.date_id / 100)
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a - b)
    .map(([ym, group]) => {
      const revenue = group.reduce((sum, r) => sum + cents(r.total_revenue), 0n)
      const quantity = group.reduce((sum, r) => sum + r.total_quantity, 0)
      const transactions = group.reduce((sum, r) => sum + r.total_transactions, 0)
      const t = BigInt(transactions)
      return {
        year: Math.floor(ym / 100),
        month: ym % 100,
        total_revenue: money(revenue),
        total_quantity: quantity,
        total_transactions: transactions,
        total_products: new Set(group.map((r) => r.product_id)).size,
        total_countries: new Set(group.map((r) => r.country)).size,
        avg_revenue_per_transaction: t === 0n ? '0.00' : money(roundDiv(revenue, t)),
        avg_quantity_per_transaction: t === 0n ? '0.00' : money(roundDiv(BigInt(quantity) * 100n, t)),
        unique_customers: new Set(group.map((r) => r.customer_id)).size,
      }
    })
}

/** gold.fact_sales_monthly as the tests compare it (values only, or with timestamps). */
export async function readGold(db: Queryable): Promise<GoldRow[]> {
  const { rows } = await db.query<GoldRow>(
    `SELECT year, month, total_revenue, total_quantity, total_transactions, total_products, total_countries,
            avg_revenue_per_transaction, avg_quantity_per_transaction, unique_customers
     FROM gold.fact_sales_monthly ORDER BY year, month`,
  )
  return rows
}

export async function readGoldStamps(db: Queryable): Promise<{ key: string; updated_at: string }[]> {
  const { rows } = await db.query<{ key: string; updated_at: string }>(
    `SELECT year || '-' || lpad(month::text, 2, '0') AS key, updated_at FROM gold.fact_sales_monthly ORDER BY year, month`,
  )
  return rows
}

/** Row counts and latest timestamps of gold and ops tables: a fingerprint of "nothing was written". */
export async function writeFingerprint(db: Queryable): Promise<Record<string, unknown>> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*) FROM gold.fact_sales_monthly) AS gold_rows,
            (SELECT max(updated_at) FROM gold.fact_sales_monthly) AS gold_updated,
            (SELECT count(*) FROM ops.processed_months) AS pm_rows,
            (SELECT max(updated_at) FROM ops.processed_months) AS pm_updated,
            (SELECT count(*) FROM ops.pipeline_checkpoint) AS cp_rows,
            (SELECT max(updated_at) FROM ops.pipeline_checkpoint) AS cp_updated,
            (SELECT count(*) FROM ops.pipeline_logs) AS log_rows,
            (SELECT count(*) FROM ops.pipeline_runs) AS run_rows,
            (SELECT max(updated_at) FROM ops.pipeline_runs) AS run_updated,
            (SELECT sum(version) FROM ops.silver_months) AS silver_versions`,
  )
  return rows[0]!
}

/**
 * A database for the enclosing `describe`, holding exactly `rows` with no fault set at each test; `logDir` (the
 * runs' log files) is removed after the describe.
 */
export function fixtureScratch(make: () => Promise<Scratch>, rows: FixtureRow[], logDir: string): Scratch {
  const s = suiteScratch(make)
  afterAll(() => {
    rmSync(logDir, { recursive: true, force: true })
    faults.set([])
  })
  beforeEach(async () => {
    faults.set([])
    await resetFixture(s.db, rows)
  })
  return s
}
