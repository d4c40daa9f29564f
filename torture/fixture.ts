import { type GoldSnapshot, type GoldTable, snapshotGold } from './checks.js'
import { createDatabase, databaseUrl, dropDatabase, newName, pool, type Sql, sqlOf } from './db.js'
import { hasStackTrace, runAssay } from './runner.js'
import { lastLines } from './trial.js'

/** The `assay` commands the CLI offers right now (others are being written concurrently). */
export async function availableCommands(): Promise<Set<string>> {
  const result = await runAssay(['--help'], { timeoutMs: 30_000 })
  const section = result.stdout.split(/^Commands:$/m)[1] ?? ''
  return new Set([...section.matchAll(/^ {2}([a-z][a-z-]*)/gm)].map((match) => match[1] as string))
}

async function assay(args: string[], database: string): Promise<string> {
  const result = await runAssay(args, { databaseUrl: databaseUrl(database), timeoutMs: 300_000 })
  if (result.code !== 0 || hasStackTrace(result.stderr)) {
    throw new Error(`assay ${args.join(' ')} exited ${result.code}: ${lastLines(result.stderr, 8)}`)
  }
  return result.stdout
}

/**
 * Synthetic silver for when `assay demo`/`assay silver` are not available: dim_date over the Online Retail
 * span, products, and one fact row per (date, product, country) drawn with a seeded random.
 */
export async function syntheticSilver(sql: Sql, scale: number, seed: number): Promise<void> {
  const rows = Math.max(200, Math.round(400_000 * scale))
  const products = Math.max(20, Math.round(4000 * scale))
  await sql('SELECT setseed($1)', [((seed % 2000) - 1000) / 1000])
  await sql(`
    INSERT INTO silver.dim_date (date_id, date, day, day_of_week, month, quarter, year, day_name, month_name, is_weekend)
    SELECT to_char(d, 'YYYYMMDD')::int, d, extract(day FROM d), extract(dow FROM d), extract(month FROM d),
           extract(quarter FROM d), extract(year FROM d), to_char(d, 'FMDay'), to_char(d, 'FMMonth'),
           extract(dow FROM d) IN (0, 6)
    FROM generate_series('2010-12-01'::date, '2011-12-09'::date, '1 day') AS d`)
  await sql(
    `INSERT INTO silver.dim_product (stock_code, description, category)
     SELECT (20000 + g)::text, 'PRODUCT ' || g, 'General' FROM generate_series(1, $1::int) AS g`,
    [products],
  )
  await sql(
    `INSERT INTO silver.fact_sales_daily (date_id, product_id, country, customer_id, total_transactions,
                                          total_quantity, total_revenue, avg_unit_price)
     SELECT DISTINCT ON (date_id, product_id, country) date_id, product_id, country,
            CASE WHEN random() < 0.25 THEN -1 ELSE 12000 + (random() * 4000)::int END,
            1 + (random() * 4)::int, q, round((q * p)::numeric, 2), round(p::numeric, 2)
     FROM (
       SELECT to_char('2010-12-01'::date + (random() * 373)::int, 'YYYYMMDD')::int AS date_id,
              1 + (random() * ($2::int - 1))::int AS product_id,
              (ARRAY['United Kingdom','United Kingdom','United Kingdom','France','Germany','EIRE','Spain'])[1 + (random() * 6)::int] AS country,
              1 + (random() * 24)::int AS q, 0.1 + random() * 12 AS p, g
       FROM generate_series(1, $1::int) AS g
     ) r
     ORDER BY date_id, product_id, country, g`,
    [rows, products],
  )
}

/** Processing state and gold emptied, silver kept: every trial starts from "silver built, gold not yet". */
const RESET_TEMPLATE = `
  TRUNCATE gold.fact_sales_monthly, gold.fact_product_performance, gold.fact_country_sales,
           ops.processed_months, ops.pipeline_checkpoint, ops.pipeline_runs, ops.pipeline_logs`

export interface Template {
  name: string
  months: string[]
  source: 'demo' | 'synthetic'
  silverRows: number
}

/** Builds the template database of a scale: init, silver (demo → silver, or synthetic), gold empty. */
export async function buildTemplate(
  scale: number,
  seed: number,
  commands: Set<string>,
  prefer: 'demo' | 'synthetic' = 'demo',
): Promise<Template> {
  const name = await createDatabase(newName(`tpl_${String(scale).replace('.', '_')}`))
  await assay(['init'], name)
  const useDemo = prefer === 'demo' && commands.has('demo') && commands.has('silver')
  if (useDemo) {
    await assay(['demo', '--scale', String(scale), '--seed', String(seed)], name)
    await assay(['silver'], name)
  }
  const p = pool(name, 1)
  try {
    const sql = sqlOf(p)
    if (!useDemo) await syntheticSilver(sql, scale, seed)
    await sql(RESET_TEMPLATE)
    const months = (
      await sql<{ m: string }>(
        `SELECT DISTINCT lpad((date_id / 10000)::text, 4, '0') || '-' || lpad(((date_id / 100) % 100)::text, 2, '0') AS m
         FROM silver.fact_sales_daily ORDER BY 1`,
      )
    ).map((row) => row.m)
    const [count] = await sql<{ n: string }>('SELECT count(*)::text AS n FROM silver.fact_sales_daily')
    return { name, months, source: useDemo ? 'demo' : 'synthetic', silverRows: Number(count?.n ?? 0) }
  } finally {
    await p.end()
  }
}

/** The clean reference: one normal `assay monthly` (and `assay reliable`) on a fresh copy of the template. */
export async function computeReference(template: string, tables: GoldTable[]): Promise<GoldSnapshot> {
  const name = await createDatabase(newName('ref'), template)
  try {
    await assay(['monthly'], name)
    if (tables.some((table) => table !== 'gold.fact_sales_monthly')) await assay(['reliable'], name)
    const p = pool(name, 1)
    try {
      return await snapshotGold(sqlOf(p), tables)
    } finally {
      await p.end()
    }
  } finally {
    await dropDatabase(name)
  }
}

/**
 * The contract's monthly sums computed straight from silver, independently of the engine: a cross-check that
 * the reference itself is right. Returns the months whose reference disagrees, with the columns.
 */
export async function oracleDisagreements(sql: Sql, reference: GoldSnapshot): Promise<string[]> {
  const rows = await sql<Record<string, string>>(`
    SELECT lpad((date_id / 10000)::text, 4, '0') || '-' || lpad(((date_id / 100) % 100)::text, 2, '0') AS key,
           sum(total_revenue)::text AS total_revenue, sum(total_quantity)::text AS total_quantity,
           sum(total_transactions)::text AS total_transactions,
           count(DISTINCT product_id)::text AS total_products, count(DISTINCT country)::text AS total_countries
    FROM silver.fact_sales_daily GROUP BY 1 ORDER BY 1`)
  const monthly = reference['gold.fact_sales_monthly'] ?? new Map()
  const out: string[] = []
  for (const { key, ...expected } of rows) {
    const got = monthly.get(key as string)
    if (!got) {
      out.push(`${key}: missing from the reference`)
      continue
    }
    const wrong = Object.entries(expected)
      .filter(([column, value]) => Number(got[column]) !== Number(value))
      .map(([column, value]) => `${column} ${got[column]} (silver says ${value})`)
    if (wrong.length > 0) out.push(`${key}: ${wrong.join(', ')}`)
  }
  if (monthly.size !== rows.length) out.push(`reference has ${monthly.size} months, silver ${rows.length}`)
  return out
}
