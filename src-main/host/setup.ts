import type { EventPayload, RequestOut, SetupProgress } from '../../src-shared/contract.js'
import type { Db } from '../engine/db/types.js'
import { AssayError } from '../engine/errors.js'
import { initDatabase } from '../engine/schema/init.js'

export interface StepOptions {
  signal?: AbortSignal
  /** fraction 0–1 (or null when unknown) and a short description of what is happening. */
  onProgress?: (fraction: number | null, message: string) => void
}

/** The first-run steps after `init`, provided by the ingest/demo and silver modules (injected). */
export interface SetupApi {
  /** Generates demo Online Retail lines into bronze.raw_transactions. */
  loadDemo(db: Db, options: StepOptions & { scale: number }): Promise<{ rows: number }>
  /** Builds the silver star schema from bronze. */
  buildSilver(db: Db, options: StepOptions): Promise<{ rows: number }>
}

/** Default demo size: large enough to look real, small enough to reach a completed run in well under a minute. */
export const DEMO_SCALE = 0.2

type Progress = (progress: EventPayload<'setup:progress'>) => void

async function step<T>(
  name: SetupProgress['step'],
  report: Progress,
  running: string,
  fn: (onProgress: StepOptions['onProgress']) => Promise<T>,
  done: (result: T) => string,
): Promise<T> {
  report({ step: name, phase: 'running', message: running, fraction: 0 })
  try {
    const result = await fn((fraction, message) =>
      report({ step: name, phase: 'running', message, fraction }),
    )
    report({ step: name, phase: 'done', message: done(result), fraction: 1 })
    return result
  } catch (error) {
    report({
      step: name,
      phase: 'failed',
      message: error instanceof Error ? error.message : String(error),
      fraction: null,
    })
    throw error
  }
}

/** `assay init` from the console. */
export async function runInit(db: Db, report: Progress): Promise<RequestOut<'setup:init'>> {
  const result = await step(
    'init',
    report,
    'creating the bronze, silver, gold and ops schemas',
    () => initDatabase(db),
    (r) =>
      [
        r.migrations.applied.length ? `${r.migrations.applied.length} migration(s) applied` : '',
        r.repaired.length ? `repaired ${r.repaired.map((p) => `${p.kind} ${p.name}`).join(', ')}` : '',
        r.drifted.length ? `${r.drifted.join(', ')} marked drifted (run monthly)` : '',
      ]
        .filter(Boolean)
        .join('; ') || 'schemas already in place',
  )
  return {
    applied: result.migrations.applied,
    alreadyApplied: result.migrations.alreadyApplied,
    changed: result.migrations.changed.map((c) => c.name),
  }
}

/** Demo data into an empty bronze layer, then silver built from it. */
export async function runDemo(
  db: Db,
  setup: SetupApi,
  scale: number,
  report: Progress,
): Promise<RequestOut<'setup:demo'>> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT CASE WHEN to_regclass('bronze.raw_transactions') IS NULL THEN -1
                 ELSE (SELECT count(*) FROM bronze.raw_transactions) END::bigint AS n`,
  )
  const existing = rows[0]?.n ?? 0
  if (existing < 0)
    throw new AssayError('schema_missing', 'the database is not initialised yet — create the schemas first')
  if (existing > 0) {
    throw new AssayError(
      'not_empty',
      `bronze.raw_transactions already holds ${existing.toLocaleString('en')} rows; demo data is only loaded into an empty database`,
    )
  }
  const bronze = await step(
    'demo',
    report,
    'generating demo sales into bronze',
    (onProgress) => setup.loadDemo(db, { scale, onProgress }),
    (r) => `${r.rows.toLocaleString('en')} bronze rows loaded`,
  )
  const silver = await silverStep(db, setup, report)
  return { bronzeRows: bronze.rows, silverRows: silver.rows }
}

/** The silver build as a reported step. */
function silverStep(db: Db, setup: SetupApi, report: Progress) {
  return step(
    'silver',
    report,
    'building the silver star schema',
    (onProgress) => setup.buildSilver(db, { onProgress }),
    (r) => `${r.rows.toLocaleString('en')} silver rows built`,
  )
}

/** `assay silver` from the console (Overview's fix for an empty silver layer). */
export async function runSilver(db: Db, setup: SetupApi, report: Progress): Promise<{ silverRows: number }> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT CASE WHEN to_regclass('bronze.raw_transactions') IS NULL THEN -1
                 ELSE (SELECT count(*) FROM bronze.raw_transactions) END::bigint AS n`,
  )
  if (Number(rows[0]?.n ?? 0) <= 0)
    throw new AssayError(
      'bronze_empty',
      'bronze is empty — load data first (demo data, or assay ingest <file>)',
    )
  const silver = await silverStep(db, setup, report)
  return { silverRows: silver.rows }
}
