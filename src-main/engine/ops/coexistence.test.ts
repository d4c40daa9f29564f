import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { backends, type Scratch } from '../../test-support/scratch.js'
import type { RunHooks } from '../api.js'
import type { Queryable } from '../db/types.js'
import { runMonthly } from '../monthly/index.js'
import { expectedCountries, expectedProducts } from '../reliable/expected-gold.js'
import { defaultFixture, loadFixture, readGold } from '../reliable/fixture.js'
import { runReliable } from '../reliable/pipeline.js'

/**
 * The writes of the course's session-3 scripts, transcribed as SQL from what the seed documents (its README's
 * schema tables and JSON records, and issue #11, which quotes reliable_pipeline.py's checkpoint upsert). The
 * scripts bind values with psycopg2; here they are parameters. Each is a write the seed's code does.
 */
const SEED = {
  /** idempotent_pipeline.py: CheckpointManager.set_month_processed(year, month, status). */
  setMonthProcessed: `INSERT INTO ops.processed_months (month_key, year, month, status, processed_at, updated_at)
VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)
ON CONFLICT (month_key) DO UPDATE SET status = EXCLUDED.status, processed_at = EXCLUDED.processed_at,
    updated_at = CURRENT_TIMESTAMP`,
  /** idempotent_pipeline.py: get_processed_months(). */
  getProcessedMonths: `SELECT year, month FROM ops.processed_months WHERE status = 'completed' ORDER BY year, month`,
  /** reliable_pipeline.py: CheckpointManager.start_checkpoint(stage, key). */
  startCheckpoint: `INSERT INTO ops.pipeline_checkpoint
    (pipeline_name, run_id, stage, checkpoint_key, checkpoint_value, status, start_time, metadata)
VALUES ($1, $2, $3, $4, NULL, 'in_progress', CURRENT_TIMESTAMP, $5::jsonb)
ON CONFLICT (pipeline_name, run_id, stage, checkpoint_key) DO UPDATE
SET status = 'in_progress', start_time = CURRENT_TIMESTAMP, metadata = EXCLUDED.metadata`,
  /** reliable_pipeline.py: CheckpointManager.end_checkpoint(stage, key, value, status). */
  endCheckpoint: `INSERT INTO ops.pipeline_checkpoint
    (pipeline_name, run_id, stage, checkpoint_key, checkpoint_value, status, start_time, end_time, duration_ms, metadata)
VALUES ($1, $2, $3, $4, $5, $6, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, $7, $8::jsonb)
ON CONFLICT (pipeline_name, run_id, stage, checkpoint_key) DO UPDATE
SET checkpoint_value = EXCLUDED.checkpoint_value, status = EXCLUDED.status, end_time = EXCLUDED.end_time,
    duration_ms = EXCLUDED.duration_ms, metadata = EXCLUDED.metadata`,
  /** reliable_pipeline.py: PipelineLogger's database handler, one record. */
  log: `INSERT INTO ops.pipeline_logs (timestamp, level, message, logger, pipeline_name, run_id, module, function, line, metadata)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)`,
}

const SEED_RUN = '550e8400-e29b-41d4-a716-4466554400000'

/** One run of the seed's scripts: a month marked, two stages checkpointed (one twice: a retry), three records. */
async function runSeedScripts(db: Queryable, run: string): Promise<void> {
  await db.query(SEED.setMonthProcessed, ['2010-12', 2010, 12, 'in_progress'])
  await db.query(SEED.setMonthProcessed, ['2010-12', 2010, 12, 'completed'])
  for (const stage of ['product_performance', 'product_performance', 'country_sales']) {
    await db.query(SEED.startCheckpoint, ['reliable_gold_pipeline', run, stage, 'rows', '{"attempt": 1}'])
    await db.query(SEED.endCheckpoint, [
      'reliable_gold_pipeline',
      run,
      stage,
      'rows',
      '42',
      'completed',
      12,
      '{"records_processed": 42}',
    ])
  }
  for (const [level, message] of [
    ['INFO', 'Database connection established'],
    ['WARNING', 'retry attempt 1'],
    ['INFO', 'Data loaded successfully'],
  ])
    await db.query(SEED.log, [
      '2024-01-15T10:30:45Z',
      level,
      message,
      'reliable_pipeline',
      'reliable_gold_pipeline',
      run,
      'reliable_pipeline',
      'main',
      120,
      JSON.stringify({ db_host: 'localhost', db_port: 5432 }),
    ])
}

describe.each(backends)("the course's scripts and Assay on one database ($name)", ({ scratch }) => {
  let s: Scratch
  let logDir: string
  const hooks = (): RunHooks => ({ trigger: 'cli', stdout: 'none', logDir })
  beforeAll(async () => {
    s = await scratch()
    logDir = mkdtempSync(join(tmpdir(), 'assay-coexist-'))
    await loadFixture(s.db, defaultFixture())
  })
  afterAll(async () => {
    await s.dispose()
    rmSync(logDir, { recursive: true, force: true })
  })

  it("accepts every write of the seed's code, including its checkpoint upsert key", async () => {
    await runSeedScripts(s.db, SEED_RUN)
    const { rows } = await s.db.query<{ stage: string; status: string; checkpoint_value: string }>(
      'SELECT stage, status, checkpoint_value FROM ops.pipeline_checkpoint WHERE run_id = $1 ORDER BY stage',
      [SEED_RUN],
    )
    expect(rows).toEqual([
      { stage: 'country_sales', status: 'completed', checkpoint_value: '42' },
      { stage: 'product_performance', status: 'completed', checkpoint_value: '42' },
    ])
  })

  it("then runs Assay: the month the seed marked (no fingerprint) is reprocessed, gold is the contract's", async () => {
    const monthly = await runMonthly(s.db, { scope: { kind: 'pending' }, force: false }, hooks())
    expect(monthly.status).toBe('completed')
    const { rows } = await s.db.query<{ month_key: string; status: string; silver_version: number | null }>(
      'SELECT month_key, status, silver_version FROM ops.processed_months ORDER BY month_key',
    )
    expect(rows.length).toBeGreaterThan(1)
    expect(rows.every((r) => r.status === 'completed' && r.silver_version !== null)).toBe(true)
    const reliable = await runReliable(s.db, {}, hooks())
    expect(reliable.status).toBe('completed')
    const gold = await readGold(s.db)
    expect(gold.products).toEqual(expectedProducts(defaultFixture()))
    expect(gold.countries).toEqual(expectedCountries(defaultFixture()))
  })

  it("and the seed's scripts still run after Assay, reading what Assay wrote", async () => {
    await runSeedScripts(s.db, 'second-seed-run')
    const months = await s.db.query(SEED.getProcessedMonths)
    expect(months.rows.length).toBeGreaterThan(1)
    const logs = await s.db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM ops.pipeline_logs WHERE run_id IN ($1, 'second-seed-run')",
      [SEED_RUN],
    )
    expect(logs.rows[0]?.n).toBe(6)
    const checkpoints = await s.db.query<{ pipeline_name: string; n: number }>(
      'SELECT pipeline_name, count(*)::int AS n FROM ops.pipeline_checkpoint GROUP BY 1 ORDER BY 1',
    )
    expect(checkpoints.rows.map((r) => r.pipeline_name)).toEqual([
      'idempotent_gold_pipeline',
      'reliable_gold_pipeline',
    ])
  })
})
