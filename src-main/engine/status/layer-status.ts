import { loadMigrations, schemaState } from '../db/migrate.js'
import type { Db, DbKind } from '../db/types.js'
import { checkSchema } from '../schema/health.js'
import { type Drift, readDrift } from './drift.js'

export type Layer = 'bronze' | 'silver' | 'gold' | 'ops'

export interface TableStatus {
  /** schema.table */
  name: string
  layer: Layer
  exists: boolean
  /** Exact row count; null when the table does not exist. */
  rows: number | null
}

export interface BronzeSource {
  sourceFile: string | null
  rows: number
  firstDate: string
  lastDate: string
}

/** Something missing or empty, and the command(s) that fix it (alternatives, the first one preferred). */
export interface NextStep {
  why: string
  commands: string[]
}

export interface LayerStatus {
  database: { kind: DbKind; label: string }
  schema: { migrations: number; pending: string[]; changed: string[] }
  tables: TableStatus[]
  /** Per source_file (an ingested file's name or `demo:scale=…:seed=…`). */
  bronzeSources: BronzeSource[]
  nextSteps: NextStep[]
  /** What the cheap checks know is wrong with gold; null when the schema is not there to check. */
  drift: Drift | null
  /** True when nothing is missing, empty or drifted. */
  complete: boolean
}

/** Every table the status reports on, by layer. Names come from this list only (they are interpolated). */
export const TABLES: readonly { name: string; layer: Layer }[] = [
  { name: 'bronze.raw_transactions', layer: 'bronze' },
  { name: 'bronze.ingested_files', layer: 'bronze' },
  { name: 'bronze.rejected_lines', layer: 'bronze' },
  { name: 'silver.dim_date', layer: 'silver' },
  { name: 'silver.dim_product', layer: 'silver' },
  { name: 'silver.fact_sales_daily', layer: 'silver' },
  { name: 'gold.fact_sales_monthly', layer: 'gold' },
  { name: 'gold.fact_product_performance', layer: 'gold' },
  { name: 'gold.fact_country_sales', layer: 'gold' },
  { name: 'gold.fact_sales_daily_enhanced', layer: 'gold' },
  { name: 'ops.schema_migrations', layer: 'ops' },
  { name: 'ops.processed_months', layer: 'ops' },
  { name: 'ops.silver_months', layer: 'ops' },
  { name: 'ops.pipeline_checkpoint', layer: 'ops' },
  { name: 'ops.pipeline_logs', layer: 'ops' },
  { name: 'ops.pipeline_runs', layer: 'ops' },
]

async function tableStatuses(db: Db): Promise<TableStatus[]> {
  const { rows } = await db.query<{ name: string; exists: boolean }>(
    'SELECT name, to_regclass(name) IS NOT NULL AS exists FROM unnest($1::text[]) AS name',
    [TABLES.map((t) => t.name)],
  )
  const exists = new Map(rows.map((r) => [r.name, r.exists]))
  const present = TABLES.filter((t) => exists.get(t.name))
  const counts = new Map<string, number>()
  if (present.length > 0) {
    // One round trip for all counts; exact, which is fine at Online Retail sizes.
    const select = present.map((t, i) => `(SELECT count(*) FROM ${t.name}) AS c${i}`).join(', ')
    const { rows: countRows } = await db.query<Record<string, number>>(`SELECT ${select}`)
    for (const [i, t] of present.entries()) counts.set(t.name, Number(countRows[0]?.[`c${i}`] ?? 0))
  }
  return TABLES.map((t) => ({ ...t, exists: exists.get(t.name) === true, rows: counts.get(t.name) ?? null }))
}

async function bronzeSources(db: Db): Promise<BronzeSource[]> {
  const { rows } = await db.query<{ source_file: string | null; rows: number; first: string; last: string }>(
    `SELECT source_file, count(*) AS rows, min(invoicedate)::date AS first, max(invoicedate)::date AS last
     FROM bronze.raw_transactions GROUP BY source_file ORDER BY min(ingested_at), source_file LIMIT 100`,
  )
  return rows.map((r) => ({
    sourceFile: r.source_file,
    rows: Number(r.rows),
    firstDate: r.first,
    lastDate: r.last,
  }))
}

/** The fixes, in pipeline order; a missing upstream layer hides the steps after it (they would fail anyway). */
function nextSteps(tables: TableStatus[], pending: string[]): NextStep[] {
  const rows = (name: string) => tables.find((t) => t.name === name)?.rows ?? 0
  const missing = tables.filter((t) => !t.exists).map((t) => t.name)
  if (pending.length > 0 || missing.length > 0) {
    const why =
      pending.length > 0
        ? `${pending.length} migration(s) pending: ${pending.join(', ')}`
        : `missing table(s): ${missing.join(', ')}`
    return [{ why, commands: ['assay init'] }]
  }
  if (rows('bronze.raw_transactions') === 0) {
    return [
      {
        why: 'bronze.raw_transactions is empty',
        commands: ['assay demo --scale 0.2', 'assay ingest <file>'],
      },
    ]
  }
  const emptySilver = ['silver.dim_date', 'silver.dim_product', 'silver.fact_sales_daily'].filter(
    (t) => rows(t) === 0,
  )
  if (emptySilver.length > 0) return [{ why: `${emptySilver.join(', ')} empty`, commands: ['assay silver'] }]
  const steps: NextStep[] = []
  if (rows('gold.fact_sales_monthly') === 0) {
    steps.push({ why: 'gold.fact_sales_monthly is empty', commands: ['assay monthly'] })
  }
  const emptyGold = ['gold.fact_product_performance', 'gold.fact_country_sales'].filter((t) => rows(t) === 0)
  if (emptyGold.length > 0) steps.push({ why: `${emptyGold.join(', ')} empty`, commands: ['assay reliable'] })
  return steps
}

/** The fixes for drift: monthly redoes drifted months; bronze outside the bounds needs a person. */
function driftSteps(drift: Drift): NextStep[] {
  const steps: NextStep[] = []
  if (drift.months.length > 0)
    steps.push({
      why: `gold.fact_sales_monthly drifted from silver in ${drift.months.join(', ')} (assay verify says what differs)`,
      commands: ['assay monthly'],
    })
  if (drift.outsideWindow.length > 0)
    steps.push({
      why: `silver.fact_sales_daily holds months outside the supported window (${drift.outsideWindow.join(', ')}) that no pipeline processes; silver --full --prune deletes them, with any other fact row of a date bronze no longer has`,
      commands: ['assay silver --full --prune'],
    })
  return steps
}

/**
 * Which layers exist and hold data, the migration state, and for everything missing or empty the command
 * that fixes it. Read-only; the CLI prints it and the console shows it.
 */
export async function layerStatus(db: Db): Promise<LayerStatus> {
  const migrations = loadMigrations()
  const state = await schemaState(db, migrations)
  const tables = await tableStatuses(db)
  const bronze = tables.find((t) => t.name === 'bronze.raw_transactions')
  const sources = bronze?.exists && (bronze.rows ?? 0) > 0 ? await bronzeSources(db) : []
  const steps = nextSteps(tables, state.pending)
  const initNeeded = steps.some((s) => s.commands.includes('assay init'))
  if (!initNeeded) {
    const problems = await checkSchema(db)
    if (problems.length > 0)
      steps.unshift({
        why: problems.map((p) => `${p.kind} ${p.name} ${p.state}`).join(', '),
        commands: ['assay init'],
      })
  }
  const drift = initNeeded ? null : await readDrift(db)
  if (drift) steps.push(...driftSteps(drift))
  return {
    database: { kind: db.server.kind, label: db.label },
    schema: { migrations: migrations.length, pending: state.pending, changed: state.changed },
    tables,
    bronzeSources: sources,
    nextSteps: steps,
    drift,
    complete: steps.length === 0 && state.changed.length === 0,
  }
}
