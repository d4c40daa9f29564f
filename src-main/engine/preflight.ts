import { assertMigrated } from './db/migrate.js'
import type { Queryable } from './db/types.js'
import { AssayError } from './errors.js'
import { checkTracking } from './schema/health.js'

/**
 * Checks, before a pipeline touches anything, that the database is the one the upstream contract describes
 * and that this user may do the work: the tables exist, the columns the pipeline reads and writes have the
 * contract's types, the upsert keys exist, and the tables it writes are writable. A failure is an AssayError
 * with one specific sentence (e.g. "gold.fact_sales_monthly.total_revenue is text, expected numeric — the
 * table does not match the contract"); the other problems found are in `details.problems`.
 * Two queries (the migration ledger, then the catalogue), a third for monthly (its tracking triggers), about a
 * millisecond each; works on PostgreSQL and PGlite.
 */
export type PreflightPipeline = 'monthly' | 'reliable'

type Kind = 'integer' | 'numeric' | 'text' | 'date' | 'timestamp'
type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE'

interface TableNeed {
  table: string
  columns: Record<string, Kind>
  /** Privileges a real run needs; SELECT alone for a plan or dry run. */
  write: Privilege[]
  /** Columns of the unique key the upsert's ON CONFLICT names. */
  unique?: string[]
}

const KINDS: Record<Kind, string[]> = {
  integer: ['smallint', 'integer', 'bigint'],
  numeric: ['numeric'],
  text: ['character varying', 'text', 'character'],
  date: ['date'],
  timestamp: ['timestamp without time zone', 'timestamp with time zone'],
}

const SILVER_FACT: TableNeed = {
  table: 'silver.fact_sales_daily',
  columns: {
    date_id: 'integer',
    product_id: 'integer',
    country: 'text',
    customer_id: 'integer',
    total_transactions: 'integer',
    total_quantity: 'integer',
    total_revenue: 'numeric',
  },
  write: [],
}

const OPS: TableNeed[] = [
  {
    table: 'ops.processed_months',
    columns: { month_key: 'text', status: 'text', silver_version: 'integer' },
    write: ['INSERT', 'UPDATE', 'DELETE'],
    unique: ['month_key'],
  },
  { table: 'ops.silver_months', columns: { yyyymm: 'integer', version: 'integer' }, write: [] },
  {
    table: 'ops.pipeline_checkpoint',
    columns: { run_id: 'text', stage: 'text' },
    write: ['INSERT', 'UPDATE'],
  },
  { table: 'ops.pipeline_runs', columns: { run_id: 'text', status: 'text' }, write: ['INSERT', 'UPDATE'] },
  // ops.pipeline_logs is deliberately not required: a log store outage must not stop a run (records are buffered).
]

const MONTHLY_GOLD: TableNeed = {
  table: 'gold.fact_sales_monthly',
  columns: {
    year: 'integer',
    month: 'integer',
    total_revenue: 'numeric',
    total_quantity: 'integer',
    total_transactions: 'integer',
    total_products: 'integer',
    total_countries: 'integer',
    avg_revenue_per_transaction: 'numeric',
    avg_quantity_per_transaction: 'numeric',
    unique_customers: 'integer',
    updated_at: 'timestamp',
  },
  write: ['INSERT', 'UPDATE'],
  unique: ['year', 'month'],
}

const RELIABLE_GOLD: TableNeed[] = [
  {
    table: 'silver.dim_product',
    columns: { product_id: 'integer', stock_code: 'text', description: 'text', category: 'text' },
    write: [],
  },
  { table: 'silver.dim_date', columns: { date_id: 'integer', date: 'date' }, write: [] },
  {
    table: 'gold.fact_product_performance',
    columns: {
      product_id: 'integer',
      total_revenue: 'numeric',
      total_quantity: 'integer',
      total_transactions: 'integer',
      total_days_sold: 'integer',
      avg_revenue_per_day: 'numeric',
      first_sale_date: 'date',
      last_sale_date: 'date',
    },
    write: ['INSERT', 'UPDATE', 'DELETE'],
    unique: ['product_id'],
  },
  {
    table: 'gold.fact_country_sales',
    columns: {
      country: 'text',
      total_revenue: 'numeric',
      total_quantity: 'integer',
      total_transactions: 'integer',
      top_product_id: 'integer',
      first_transaction_date: 'date',
    },
    write: ['INSERT', 'UPDATE', 'DELETE'],
    unique: ['country'],
  },
]

/** What a pipeline reads and writes. */
export function requirements(pipeline: PreflightPipeline): TableNeed[] {
  return pipeline === 'monthly'
    ? [SILVER_FACT, MONTHLY_GOLD, ...OPS]
    : [SILVER_FACT, ...RELIABLE_GOLD, ...OPS]
}

function missingTableHint(table: string): string {
  if (table.startsWith('silver.'))
    return `${table} does not exist — build silver first (assay silver, or the modelling step), then run again`
  return `${table} does not exist — run: assay init`
}

/** One needed table as the catalogue describes it (only tables that exist have a row). */
interface CatalogRow {
  name: string
  /** Column name → type, as information_schema.columns.data_type spells it (domains as their base type). */
  columns: Record<string, string>
  /** The column sets of its unique, non-partial indexes. */
  keys: string[][]
  /** Privileges this user lacks on it, from the ones asked for. */
  denied: Privilege[] | null
  who: string
  read_only: boolean
}

/**
 * Everything preflight needs in one round trip (a run pays it before every start): the needed tables that
 * exist, their columns and unique keys, the privileges the user lacks, and whether the database takes writes.
 * pg_catalog rather than information_schema, whose column view alone costs several milliseconds.
 * $1/$2: table and privilege, one pair per check.
 */
const CATALOG = `
WITH need AS (SELECT * FROM unnest($1::text[], $2::text[]) AS t(table_name, privilege)),
rel AS (
  SELECT n.nspname || '.' || c.relname AS name, c.oid, n.oid AS nsp
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname || '.' || c.relname IN (SELECT table_name FROM need) AND c.relkind IN ('r', 'p', 'v', 'f', 'm')
)
SELECT r.name,
  (SELECT json_object_agg(a.attname, format_type(COALESCE(NULLIF(t.typbasetype, 0), a.atttypid), NULL))
   FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
   WHERE a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
  (SELECT COALESCE(json_agg(array(SELECT a.attname::text FROM unnest(i.indkey) k
                                  JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum = k ORDER BY 1)), '[]')
   FROM pg_index i WHERE i.indrelid = r.oid AND i.indisunique AND i.indpred IS NULL) AS keys,
  (SELECT json_agg(nd.privilege) FROM need nd
   WHERE nd.table_name = r.name
     AND NOT (has_schema_privilege(r.nsp, 'USAGE') AND has_table_privilege(r.oid, nd.privilege))) AS denied,
  current_user AS who,
  current_setting('transaction_read_only') = 'on' OR pg_is_in_recovery() AS read_only
FROM rel r`

/** The catalogue rows of the needed tables that exist, by table name. */
async function readCatalog(
  db: Queryable,
  needs: TableNeed[],
  write: boolean,
): Promise<Map<string, CatalogRow>> {
  const checks = needs.flatMap((need) =>
    (['SELECT', ...(write ? need.write : [])] as Privilege[]).map((privilege) => ({
      table: need.table,
      privilege,
    })),
  )
  const { rows } = await db.query<CatalogRow>(CATALOG, [
    checks.map((c) => c.table),
    checks.map((c) => c.privilege),
  ])
  return new Map(rows.map((row) => [row.name, row]))
}

/** Problems with the tables and columns: missing, wrong type, missing upsert key. */
function schemaProblems(catalog: Map<string, CatalogRow>, needs: TableNeed[]): string[] {
  const problems: string[] = []
  for (const need of needs) {
    const found = catalog.get(need.table)
    if (!found) {
      problems.push(missingTableHint(need.table))
      continue
    }
    for (const [column, kind] of Object.entries(need.columns)) {
      const type = found.columns[column]
      if (type === undefined)
        problems.push(`${need.table} has no column ${column} — the table does not match the contract`)
      else if (!KINDS[kind].includes(type))
        problems.push(
          `${need.table}.${column} is ${type}, expected ${kind} — the table does not match the contract`,
        )
    }
    if (need.unique) {
      const wanted = [...need.unique].sort().join(',')
      if (!found.keys.some((key) => [...key].sort().join(',') === wanted))
        problems.push(
          `${need.table} has no unique constraint on (${need.unique.join(', ')}), which the upsert needs — the table does not match the contract`,
        )
    }
  }
  return problems
}

/** Problems with what the current user may do, and a database that refuses writes altogether. */
function privilegeProblems(catalog: Map<string, CatalogRow>, needs: TableNeed[], write: boolean): string[] {
  const problems: string[] = []
  // In the order of `needs` (what the pipeline reads, then writes), not the catalogue's.
  for (const need of needs) {
    const row = catalog.get(need.table)
    if (!row?.denied?.length) continue
    const verb = row.denied.includes('SELECT') ? 'read' : 'write to'
    problems.push(
      `user "${row.who}" cannot ${verb} ${row.name} (missing ${row.denied.join(', ')}) — connect as a user who can, or: GRANT ${row.denied.join(', ')} ON ${row.name} TO "${row.who}"`,
    )
  }
  if (write && catalog.values().next().value?.read_only)
    problems.unshift(
      'the database only accepts reads (a hot standby, or default_transaction_read_only is on) — connect to the primary',
    )
  return problems
}

/**
 * Throws an AssayError naming the first problem unless the database is fit for `pipeline`: `schema_missing`
 * (never initialised: run assay init), `schema_mismatch` (a table or column is not the contract's) or
 * `not_permitted` (this user may not read or write what the pipeline needs, or the database is read-only).
 * `write: false` (plans, dry runs) checks reading only.
 */
export async function preflight(
  db: Queryable,
  pipeline: PreflightPipeline,
  options: { write: boolean } = { write: true },
): Promise<void> {
  await assertMigrated(db)
  const needs = requirements(pipeline)
  const catalog = await readCatalog(db, needs, options.write)
  const schema = schemaProblems(catalog, needs)
  // Monthly trusts ops.silver_months to say which months changed: only while the tracking triggers fire.
  if (schema.length === 0 && pipeline === 'monthly')
    schema.push(
      ...(await checkTracking(db)).map((p) => `${p.message} (silver changes made meanwhile are re-checked)`),
    )
  const problems = schema.length > 0 ? schema : privilegeProblems(catalog, needs, options.write)
  if (problems.length === 0) return
  const [first, ...rest] = problems as [string, ...string[]]
  const more = rest.length > 0 ? ` (${rest.length} more problem(s): ${rest.join('; ')})` : ''
  throw new AssayError(schema.length > 0 ? 'schema_mismatch' : 'not_permitted', `${first}${more}`, {
    details: { problems },
  })
}
