import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import { loadMigrations, migrate, schemaState } from './migrate.js'

/** What a user's retail_db looks like after the earlier ingestion and modelling steps (their own DDL, with data). */
const UPSTREAM = `
CREATE SCHEMA bronze; CREATE SCHEMA silver; CREATE SCHEMA gold;
CREATE TABLE bronze.raw_transactions (id SERIAL PRIMARY KEY, invoiceno VARCHAR(10) NOT NULL, stockcode VARCHAR(20) NOT NULL,
  description VARCHAR(255), quantity INTEGER, invoicedate TIMESTAMP NOT NULL, unitprice DECIMAL(10,2), customerid VARCHAR(10),
  country VARCHAR(100), ingested_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, source_file VARCHAR(255));
INSERT INTO bronze.raw_transactions (invoiceno, stockcode, description, quantity, invoicedate, unitprice, customerid, country, source_file)
VALUES ('536365','85123A','WHITE HANGING HEART T-LIGHT HOLDER',6,'2010-12-01 08:26',2.55,'17850','United Kingdom','online_retail.xlsx'),
       ('C536379','D','Discount',-1,'2010-12-01 09:41',27.50,'14527','United Kingdom','online_retail.xlsx');
CREATE TABLE silver.dim_date (date_id INTEGER PRIMARY KEY, date DATE NOT NULL UNIQUE, day INTEGER NOT NULL, day_of_week INTEGER NOT NULL,
  month INTEGER NOT NULL, quarter INTEGER NOT NULL, year INTEGER NOT NULL, day_name VARCHAR(10) NOT NULL, month_name VARCHAR(10) NOT NULL,
  is_weekend BOOLEAN NOT NULL, is_holiday BOOLEAN DEFAULT FALSE, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
INSERT INTO silver.dim_date VALUES (20101201,'2010-12-01',1,3,12,4,2010,'Wednesday','December',false,false,'2024-01-01');
CREATE TABLE silver.dim_product (product_id SERIAL PRIMARY KEY, stock_code VARCHAR(20) NOT NULL UNIQUE, description VARCHAR(255) NOT NULL,
  category VARCHAR(100), created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
INSERT INTO silver.dim_product (stock_code, description, category, created_at, updated_at) VALUES ('85123A','WHITE HANGING HEART T-LIGHT HOLDER','General','2024-01-01','2024-01-01');
CREATE TABLE silver.fact_sales_daily (id SERIAL PRIMARY KEY, date_id INTEGER NOT NULL REFERENCES silver.dim_date(date_id),
  product_id INTEGER NOT NULL REFERENCES silver.dim_product(product_id), country VARCHAR(100) NOT NULL, customer_id INTEGER,
  total_transactions INTEGER NOT NULL, total_quantity INTEGER NOT NULL, total_revenue DECIMAL(15,2) NOT NULL, avg_unit_price DECIMAL(10,2) NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE (date_id, product_id, country));
CREATE FUNCTION silver.update_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at = CURRENT_TIMESTAMP; RETURN NEW; END $$;
CREATE TRIGGER trg_fact_sales_daily_updated BEFORE UPDATE ON silver.fact_sales_daily FOR EACH ROW EXECUTE FUNCTION silver.update_updated_at();
INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions, total_quantity, total_revenue, avg_unit_price, created_at, updated_at)
VALUES (20101201, 1, 'United Kingdom', 17850, 1, 6, 15.30, 2.55, '2024-01-01', '2024-01-01');
CREATE TABLE gold.fact_sales_monthly (id BIGSERIAL PRIMARY KEY, year INTEGER NOT NULL, month INTEGER NOT NULL, total_revenue NUMERIC(15,2),
  total_quantity INTEGER, total_transactions INTEGER, total_products INTEGER, total_countries INTEGER, avg_revenue_per_transaction NUMERIC(15,2),
  avg_quantity_per_transaction NUMERIC(10,2), unique_customers INTEGER, cancelled_transactions INTEGER DEFAULT 0, cancelled_revenue NUMERIC(15,2) DEFAULT 0,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, UNIQUE (year, month));
INSERT INTO gold.fact_sales_monthly (year, month, total_revenue, total_quantity, total_transactions, total_products, total_countries,
  avg_revenue_per_transaction, avg_quantity_per_transaction, unique_customers, created_at, updated_at)
VALUES (2010, 12, 15.30, 6, 1, 1, 1, 15.30, 6.00, 1, '2024-01-01', '2024-01-01');
CREATE TABLE gold.fact_sales_daily_enhanced (id BIGSERIAL PRIMARY KEY, date_id INTEGER NOT NULL UNIQUE, date DATE NOT NULL,
  total_revenue NUMERIC(15,2), revenue_change_pct NUMERIC(5,2));
`

const TABLES = [
  'bronze.raw_transactions',
  'silver.dim_date',
  'silver.dim_product',
  'silver.fact_sales_daily',
  'gold.fact_sales_monthly',
  'gold.fact_sales_daily_enhanced',
]

async function fingerprint(s: Scratch): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const table of TABLES) {
    const { rows } = await s.db.query<{ h: string }>(
      // Every contract column's value; Assay's added lineage columns (NULL on these rows) are not the contract's.
      `SELECT md5(coalesce(string_agg(j::text, '|' ORDER BY j::text), '')) AS h
       FROM (SELECT to_jsonb(t) - 'source_line' - 'source_sha256' AS j FROM ${table} t) x`,
    )
    out[table] = rows[0]!.h
  }
  return out
}

describe.each(backends)('migrations on $name', ({ scratch }) => {
  let s: Scratch
  beforeAll(async () => {
    s = await scratch({ migrated: false })
  })
  afterAll(async () => {
    await s.dispose()
  })

  it('upgrades a database built by the earlier steps in place, leaving every row untouched', async () => {
    await s.db.exec(UPSTREAM)
    const before = await fingerprint(s)
    const report = await migrate(s.db)
    expect(report.applied).toEqual(loadMigrations().map((m) => m.name))
    expect(await fingerprint(s)).toEqual(before)
    const { rows } = await s.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'ops'
       AND table_name IN ('processed_months', 'pipeline_checkpoint', 'pipeline_logs', 'pipeline_runs', 'silver_months')`,
    )
    expect(rows[0]?.n).toBe(5)
    // The user's own updated_at trigger is kept and ours is not added beside it.
    const triggers = await s.db.query<{ tgname: string }>(
      `SELECT tgname FROM pg_trigger WHERE tgrelid = 'silver.fact_sales_daily'::regclass AND NOT tgisinternal ORDER BY tgname`,
    )
    expect(triggers.rows.map((t) => t.tgname)).toContain('trg_fact_sales_daily_updated')
    expect(triggers.rows.map((t) => t.tgname)).not.toContain('assay_touch_updated_at')
    // Silver that existed before Assay is recorded for staleness tracking.
    const months = await s.db.query('SELECT yyyymm, row_count FROM ops.silver_months')
    expect(months.rows).toEqual([{ yyyymm: 201012, row_count: 1 }])
  })

  it('reports nothing to do the second time', async () => {
    const report = await migrate(s.db)
    expect(report.applied).toEqual([])
    expect(report.changed).toEqual([])
    expect(await schemaState(s.db)).toEqual({ pending: [], changed: [] })
  })

  it('reports a migration edited after it was applied instead of re-running it', async () => {
    const edited = loadMigrations().map((m) =>
      m.version === 2 ? { ...m, sql: `${m.sql}\n-- edited`, checksum: 'f'.repeat(64) } : m,
    )
    const report = await migrate(s.db, edited)
    expect(report.applied).toEqual([])
    expect(report.changed).toEqual([
      expect.objectContaining({ name: '0002_silver.sql', current: 'f'.repeat(64) }),
    ])
  })

  it('tracks silver changes per month through the triggers', async () => {
    await s.db.query(`UPDATE silver.fact_sales_daily SET total_quantity = 7`)
    await s.db.query(`UPDATE silver.fact_sales_daily SET total_quantity = 7 WHERE false`)
    const { rows } = await s.db.query<{ version: number; row_count: number }>(
      'SELECT version, row_count FROM ops.silver_months',
    )
    expect(rows).toEqual([{ version: 2, row_count: 1 }])
    await s.db.query(`DELETE FROM silver.fact_sales_daily`)
    const after = await s.db.query<{ version: number; row_count: number }>(
      'SELECT version, row_count FROM ops.silver_months',
    )
    expect(after.rows).toEqual([{ version: 3, row_count: 0 }])
  })
})

describe('migrations on an empty database', () => {
  it.each(backends)('creates every layer on $name', async ({ scratch }) => {
    const s = await scratch({ migrated: false })
    try {
      await migrate(s.db)
      // Named, not counted: a count hides one table swapped for another.
      const { rows } = await s.db.query<{ name: string }>(
        `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
         WHERE table_schema IN ('bronze', 'silver', 'gold', 'ops') ORDER BY 1`,
      )
      expect(rows.map((r) => r.name)).toEqual([
        'bronze.ingested_files',
        'bronze.raw_transactions',
        'bronze.rejected_lines',
        'gold.fact_country_sales',
        'gold.fact_product_performance',
        'gold.fact_sales_daily_enhanced',
        'gold.fact_sales_monthly',
        'ops.bronze_changed_dates',
        'ops.bronze_changed_products',
        'ops.pipeline_checkpoint',
        'ops.pipeline_logs',
        'ops.pipeline_runs',
        'ops.processed_months',
        'ops.schema_migrations',
        'ops.silver_build_state',
        'ops.silver_months',
        'ops.silver_product_counts',
        'silver.dim_date',
        'silver.dim_product',
        'silver.fact_sales_daily',
      ])
    } finally {
      await s.dispose()
    }
  })
})
