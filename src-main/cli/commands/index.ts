import type { Command } from 'commander'

/**
 * One `assay` command as `--help` lists it. `load` imports the command's module only when that command runs
 * (or its own help is asked for), so `assay --help` and `assay --version` never load a database driver, the
 * server or the engine. A new command: a module exporting `defineX(command)`, plus one entry here.
 */
export interface CommandEntry {
  name: string
  summary: string
  load: () => Promise<(command: Command) => void>
}

/** Every `assay` command, in the order `--help` lists them. */
export const commands: readonly CommandEntry[] = [
  {
    name: 'init',
    summary:
      'create or upgrade the bronze, silver, gold and ops schemas (versioned migrations in sql/; safe to re-run)',
    load: async () => (await import('./init.js')).defineInit,
  },
  {
    name: 'ingest',
    summary:
      'load an Online Retail file (.csv or .xlsx) into bronze.raw_transactions, atomically; the same content is never loaded twice. Exit 0 = all lines loaded, 3 = loaded with rejected lines, 1 = file refused (nothing written)',
    load: async () => (await import('./ingest.js')).defineIngest,
  },
  {
    name: 'demo',
    summary:
      'fill bronze with deterministic Online Retail-like data (13 months, Dec 2010 – Dec 2011; scale 1 ≈ 540,000 lines); the same scale and seed are never loaded twice',
    load: async () => (await import('./demo.js')).defineDemo,
  },
  {
    name: 'silver',
    summary:
      'build silver.dim_date, silver.dim_product and silver.fact_sales_daily from bronze (one transaction; re-running on unchanged bronze changes nothing)',
    load: async () => (await import('./silver.js')).defineSilver,
  },
  {
    name: 'monthly',
    summary:
      'aggregate silver.fact_sales_daily into gold.fact_sales_monthly month by month, idempotently (tracked in ops.processed_months)',
    load: async () => (await import('./monthly.js')).defineMonthly,
  },
  {
    name: 'verify',
    summary:
      'prove gold equals silver: recompute every gold column per month (and the reliable tables), name what drifted and by how much, and mark it for monthly to repair. Exit 0 = clean, 1 = drift found, 2 = bad usage',
    load: async () => (await import('./verify.js')).defineVerify,
  },
  {
    name: 'status',
    summary:
      'which layers exist and hold data, the migration state, and the command that fills what is missing',
    load: async () => (await import('./status.js')).defineStatus,
  },
  {
    name: 'serve',
    summary:
      'serve the operator console to a browser on this machine (127.0.0.1 only, with a per-launch token in the URL it prints)',
    load: async () => (await import('./serve.js')).defineServe,
  },
  {
    name: 'reliable',
    summary:
      'update gold.fact_product_performance and gold.fact_country_sales with checkpoints, retries and structured logs. Exit 0 = completed, 1 = a stage failed (resume it with --resume RUN_ID), 130 = cancelled',
    load: async () => (await import('./reliable.js')).defineReliable,
  },
  {
    name: 'runs',
    summary: 'list recent runs of both pipelines (newest first); `assay runs show RUN_ID` for one run',
    load: async () => (await import('./runs.js')).defineRuns,
  },
]
