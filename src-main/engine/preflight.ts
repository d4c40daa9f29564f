import { assertMigrated } from './db/migrate.js'
import type { Queryable } from './db/types.js'
import { AssayError } from './errors.js'

/**
 * Checks, before a pipeline touches anything, that the database is the one the upstream contract describes
 * and that this user may do the work: the tables exist, the columns the pipeline reads and writes have the
 * contract's types, the upsert keys exist, and the tables it writes are writable. A failure is an AssayError
 * with one specific sentence (e.g. "gold.fact_sales_monthly.total_revenue is text, expected numeric — the
 * table does not match the contract"); the other problems found are in `details.problems`.
 * Three catalogue queries, a few milliseconds; works on PostgreSQL and PGlite.
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

interface ColumnRow {
  table_name: string
  column_name: string
  data_type: string
}

/** Problems with the tables and columns: missing, wrong type, missing upsert key. */
async function schemaProblems(db: Queryable, needs: TableNeed[]): Promise<string[]> {
  const names = needs.map((need) => need.table)
  const { rows: tables } = await db.query<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname || '.' || c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'f', 'm')`,
    [names],
  )
  const present = new Set(tables.map((row) => row.name))
  const { rows: columns } = await db.query<ColumnRow>(
    `SELECT table_schema || '.' || table_name AS table_name, column_name, data_type
     FROM information_schema.columns WHERE table_schema || '.' || table_name = ANY($1::text[])`,
    [names],
  )
  const types = new Map(columns.map((row) => [`${row.table_name}.${row.column_name}`, row.data_type]))
  const { rows: keys } = await db.query<{ name: string; columns: string[] }>(
    `SELECT n.nspname || '.' || c.relname AS name,
            array(SELECT a.attname::text FROM unnest(i.indkey) k JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k ORDER BY 1) AS columns
     FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.indisunique AND i.indpred IS NULL AND n.nspname || '.' || c.relname = ANY($1::text[])`,
    [names],
  )
  const problems: string[] = []
  for (const need of needs) {
    if (!present.has(need.table)) {
      problems.push(missingTableHint(need.table))
      continue
    }
    for (const [column, kind] of Object.entries(need.columns)) {
      const type = types.get(`${need.table}.${column}`)
      if (type === undefined)
        problems.push(`${need.table} has no column ${column} — the table does not match the contract`)
      else if (!KINDS[kind].includes(type))
        problems.push(
          `${need.table}.${column} is ${type}, expected ${kind} — the table does not match the contract`,
        )
    }
    if (need.unique) {
      const wanted = [...need.unique].sort().join(',')
      const found = keys.some(
        (key) => key.name === need.table && [...key.columns].sort().join(',') === wanted,
      )
      if (!found)
        problems.push(
          `${need.table} has no unique constraint on (${need.unique.join(', ')}), which the upsert needs — the table does not match the contract`,
        )
    }
  }
  return problems
}

/** Problems with what the current user may do, and a database that refuses writes altogether. */
async function privilegeProblems(db: Queryable, needs: TableNeed[], write: boolean): Promise<string[]> {
  const checks = needs.flatMap((need) =>
    (['SELECT', ...(write ? need.write : [])] as Privilege[]).map((privilege) => ({
      table: need.table,
      privilege,
    })),
  )
  const { rows } = await db.query<{ table_name: string; privilege: string; ok: boolean; who: string }>(
    `SELECT t.table_name, t.privilege, current_user AS who,
            has_schema_privilege(split_part(t.table_name, '.', 1), 'USAGE')
              AND has_table_privilege(t.table_name, t.privilege) AS ok
     FROM unnest($1::text[], $2::text[]) AS t(table_name, privilege)`,
    [checks.map((c) => c.table), checks.map((c) => c.privilege)],
  )
  const problems: string[] = []
  const denied = new Map<string, string[]>()
  let who = ''
  for (const row of rows) {
    who = row.who
    if (!row.ok) denied.set(row.table_name, [...(denied.get(row.table_name) ?? []), row.privilege])
  }
  for (const [table, privileges] of denied) {
    const verb = privileges.includes('SELECT') ? 'read' : 'write to'
    problems.push(
      `user "${who}" cannot ${verb} ${table} (missing ${privileges.join(', ')}) — connect as a user who can, or: GRANT ${privileges.join(', ')} ON ${table} TO "${who}"`,
    )
  }
  if (write) {
    const { rows: mode } = await db.query<{ read_only: boolean }>(
      `SELECT current_setting('transaction_read_only') = 'on' OR pg_is_in_recovery() AS read_only`,
    )
    if (mode[0]?.read_only)
      problems.unshift(
        'the database only accepts reads (a hot standby, or default_transaction_read_only is on) — connect to the primary',
      )
  }
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
  const schema = await schemaProblems(db, needs)
  const problems = schema.length > 0 ? schema : await privilegeProblems(db, needs, options.write)
  if (problems.length === 0) return
  const [first, ...rest] = problems as [string, ...string[]]
  const more = rest.length > 0 ? ` (${rest.length} more problem(s): ${rest.join('; ')})` : ''
  throw new AssayError(schema.length > 0 ? 'schema_mismatch' : 'not_permitted', `${first}${more}`, {
    details: { problems },
  })
}
