/**
 * What Assay owns in a database and `assay init` keeps in place: the objects its migrations create (sql/). Every
 * one is created idempotently there, so re-running the migrations recreates whatever is missing without touching
 * data. A user's own objects (the modelling step's triggers, extra indexes) are never listed here.
 */

export type OwnedKind = 'table' | 'index' | 'trigger' | 'function' | 'constraint'

export interface OwnedObject {
  kind: OwnedKind
  /** schema.name; for triggers and constraints, schema.table.name. */
  name: string
  /** What breaks without it, for the message. */
  role: string
}

const TRACKING = 'keeps ops.silver_months, which tells monthly which months changed'
const NOTIFY = 'tells open consoles that ops tables changed'

export const OWNED: readonly OwnedObject[] = [
  ...[
    'bronze.raw_transactions',
    'bronze.ingested_files',
    'bronze.rejected_lines',
    'silver.dim_date',
    'silver.dim_product',
    'silver.fact_sales_daily',
    'gold.fact_sales_monthly',
    'gold.fact_product_performance',
    'gold.fact_country_sales',
    'gold.fact_sales_daily_enhanced',
    'ops.processed_months',
    'ops.silver_months',
    'ops.pipeline_checkpoint',
    'ops.pipeline_logs',
    'ops.pipeline_runs',
  ].map((name) => ({ kind: 'table' as const, name, role: 'a table of the contract or of Assay' })),
  { kind: 'index', name: 'ops.processed_months_month_key_key', role: "the monthly upsert's key" },
  { kind: 'index', name: 'ops.pipeline_checkpoint_run_stage_key', role: "Assay's checkpoint upsert key" },
  {
    kind: 'index',
    name: 'ops.pipeline_checkpoint_seed_key',
    role: "the seed scripts' checkpoint upsert key",
  },
  { kind: 'index', name: 'ops.pipeline_logs_spool_id_key', role: 'exactly-once log back-fill' },
  { kind: 'index', name: 'ops.pipeline_logs_run_idx', role: "a run's log records" },
  { kind: 'index', name: 'ops.pipeline_logs_timestamp_idx', role: 'the log view and the seed queries' },
  { kind: 'index', name: 'silver.idx_fact_sales_daily_date', role: "monthly's per-month reads" },
  ...['track_silver_insert', 'track_silver_update', 'track_silver_delete', 'track_silver_truncate'].map(
    (f) => ({ kind: 'function' as const, name: `ops.${f}`, role: TRACKING }),
  ),
  { kind: 'function', name: 'ops.notify_change', role: NOTIFY },
  ...['insert', 'update', 'delete', 'truncate'].map((op) => ({
    kind: 'trigger' as const,
    name: `silver.fact_sales_daily.assay_track_${op}`,
    role: TRACKING,
  })),
  ...['processed_months', 'pipeline_checkpoint', 'pipeline_logs', 'pipeline_runs'].map((t) => ({
    kind: 'trigger' as const,
    name: `ops.${t}.assay_notify`,
    role: NOTIFY,
  })),
  {
    kind: 'constraint',
    name: 'silver.fact_sales_daily.fact_sales_daily_date_id_window',
    role: 'keeps silver inside the supported date window',
  },
]

/** The tracking triggers: when one was missing or off, silver may have changed unseen. */
export const TRACKING_TRIGGERS = OWNED.filter(
  (o) => o.kind === 'trigger' && o.name.includes('assay_track_'),
).map((o) => o.name)
